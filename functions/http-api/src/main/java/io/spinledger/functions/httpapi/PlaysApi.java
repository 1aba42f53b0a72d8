package io.spinledger.functions.httpapi;

import io.spinledger.catalog.StationRepository;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.stage.plays.PlayStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /plays?stationId=&from=&to=}: plays as JSON ({@code plays[]}), or CSV with
 * {@code Accept: text/csv}. {@code from}/{@code to} are ISO-8601 instants (default: the last 24 h).
 */
final class PlaysApi {
    static final List<String> COLUMNS = List.of("playId", "stationId", "trackId", "title", "artists", "isrc",
            "startedAt", "endedAt", "durationMs", "confidence", "source", "royaltyEligible", "status");
    private final PlayStore plays;
    private final StationRepository stations;

    PlaysApi(PlayStore plays, StationRepository stations) {
        this.plays = plays;
        this.stations = stations;
    }

    ApiResponse handle(ApiRequest req) {
        Instant to = req.query("to").map(v -> instant("to", v)).orElse(Instant.now().plusSeconds(3600));
        Instant from = req.query("from").map(v -> instant("from", v)).orElse(to.minusSeconds(48 * 3600));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        List<Play> result;
        var stationId = req.query("stationId");
        if (stationId.isPresent()) {
            if (stations.get(stationId.get()).isEmpty()) {
                throw ApiException.notFound("no station " + stationId.get());
            }
            result = plays.queryPlays(stationId.get(), from, to);
        } else {
            result = plays.queryAll(stations.list().stream().map(Station::stationId).toList(), from, to);
        }
        result = result.stream().sorted(Comparator.comparing(Play::startedAt).thenComparing(Play::playId)).toList();
        if (req.header("accept").orElse("").contains("text/csv")) {
            return ApiResponse.text(200, "text/csv; charset=utf-8", csv(result));
        }
        return ApiResponse.json(200, Map.of("plays", result.stream().map(PlaysApi::view).toList()));
    }

    static Map<String, Object> view(Play p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("playId", p.playId());
        m.put("stationId", p.stationId());
        m.put("trackId", p.trackId());
        m.put("title", p.title());
        m.put("artists", p.artists());
        m.put("isrc", p.isrc());
        m.put("startedAt", p.startedAt());
        m.put("endedAt", p.endedAt());
        m.put("durationMs", p.durationMs());
        m.put("confidence", p.confidence());
        m.put("source", p.source());
        m.put("royaltyEligible", p.royaltyEligible());
        m.put("status", p.status());
        m.put("provisional", p.provisional());
        m.put("detectionIds", p.detectionIds());
        m.put("alternatives", p.alternatives());
        m.put("proMapping", p.proMapping());
        return m;
    }

    static String csv(List<Play> plays) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Play p : plays) {
            List<Object> row = List.of(p.playId(), p.stationId(), p.trackId(), nz(p.title()),
                    String.join("; ", p.artists()), nz(p.isrc()), p.startedAt(), p.endedAt(), p.durationMs(),
                    String.format(java.util.Locale.ROOT, "%.3f", p.confidence()), p.source(), p.royaltyEligible(),
                    p.status());
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(cell(String.valueOf(row.get(i))));
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String cell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static Instant instant(String name, String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-21T00:00:00Z, got " + v);
        }
    }
}
