package io.spinledger.functions.httpapi;

import io.spinledger.catalog.StationRepository;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.report.Csv;
import io.spinledger.report.UsageReports;
import io.spinledger.stage.plays.PlayStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Period exports of one station's final plays started in {@code [from, to)}:
 * <ul>
 *   <li>{@code GET /exports/music-use-log?stationId=&from=&to=}: one row per play;</li>
 *   <li>{@code GET /exports/sound-recording-report?stationId=&from=&to=}: one row per recording with its
 *       performances.</li>
 * </ul>
 * CSV by default (what societies import); JSON rows keyed by column with {@code Accept: application/json}.
 * Columns: {@link UsageReports} and {@code docs/statements-and-exports.md}.
 */
final class ExportsApi {
    private final PlayStore plays;
    private final StationRepository stations;

    ExportsApi(PlayStore plays, StationRepository stations) {
        this.plays = plays;
        this.stations = stations;
    }

    ApiResponse handle(ApiRequest req) {
        String stationId = req.query("stationId").orElseThrow(() -> ApiException.badRequest("stationId is required"));
        Station station = stations.get(stationId).orElseThrow(() -> ApiException.notFound("no station " + stationId));
        Instant from = StatementsApi.instant("from", req.query("from").orElseThrow(() ->
                ApiException.badRequest("from is required")));
        Instant to = StatementsApi.instant("to", req.query("to").orElseThrow(() ->
                ApiException.badRequest("to is required")));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        List<Play> period = plays.queryPlays(stationId, from, to);
        List<String> columns;
        List<List<Object>> rows;
        if (req.path().endsWith("/music-use-log")) {
            columns = UsageReports.MUSIC_USE_COLUMNS;
            rows = UsageReports.musicUseLog(station, period);
        } else {
            columns = UsageReports.SOUND_RECORDING_COLUMNS;
            rows = UsageReports.soundRecordingReport(station, period, from.toString(), to.toString());
        }
        if (req.header("accept").orElse("").contains("application/json")) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (List<Object> r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    m.put(columns.get(i), r.get(i));
                }
                json.add(m);
            }
            return ApiResponse.json(200, Map.of("columns", columns, "rows", json));
        }
        return ApiResponse.text(200, "text/csv; charset=utf-8", Csv.of(columns, rows));
    }
}
