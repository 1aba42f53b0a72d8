package io.spinledger.report;

import io.spinledger.domain.Play;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Station;
import io.spinledger.domain.Writer;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Period exports that societies and stations use, from final plays (CLOSED or POSTED; OPEN plays are left
 * out). Every column is documented in {@code docs/statements-and-exports.md}.
 * <ul>
 *   <li>{@link #musicUseLog}: one row per play (census: every detected play, not a sample), in the station's
 *       local date and time - the cue-sheet style log a performing-rights society distributes from.</li>
 *   <li>{@link #soundRecordingReport}: one row per recording with its actual total performances - the shape
 *       of a SoundExchange/PPL report of use for neighbouring rights.</li>
 * </ul>
 */
public final class UsageReports {
    /** Music-use log columns, in order. */
    public static final List<String> MUSIC_USE_COLUMNS = List.of("station", "stationName", "date", "startTime",
            "timezone", "startedAtUtc", "durationSeconds", "title", "performers", "writers", "publishers", "isrc",
            "iswc", "societies", "playId", "source", "confidence", "reportingBasis");
    /** Sound-recording report columns, in order. */
    public static final List<String> SOUND_RECORDING_COLUMNS = List.of("station", "stationName",
            "transmissionCategory", "featuredArtist", "title", "isrc", "album", "label", "performances",
            "totalSeconds", "periodFrom", "periodTo");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private UsageReports() {
    }

    /** Rows of the music-use log of one station's plays, oldest first (values as in {@link #MUSIC_USE_COLUMNS}). */
    public static List<List<Object>> musicUseLog(Station station, List<Play> plays) {
        ZoneId zone = zone(station.timezone());
        List<List<Object>> rows = new ArrayList<>();
        for (Play p : finals(plays)) {
            ZonedDateTime local = p.startedAt().atZone(zone);
            Recording r = p.recording();
            List<Writer> writers = r == null ? List.of() : r.writers();
            List<Object> row = new ArrayList<>();
            row.add(station.stationId());
            row.add(station.name());
            row.add(local.toLocalDate().toString());
            row.add(TIME.format(local));
            row.add(zone.getId());
            row.add(p.startedAt().toString());
            row.add(Math.round(p.durationMs() / 1000.0));
            row.add(p.title());
            row.add(String.join("; ", p.artists()));
            row.add(names(writers, false));
            row.add(names(writers, true));
            row.add(p.isrc() != null ? p.isrc() : r == null ? null : r.isrc());
            row.add(r == null ? null : r.iswc());
            row.add(p.proMapping() == null ? null : String.join("; ", p.proMapping().shares().stream()
                    .map(s -> s.societyName() + " " + s.societyCode() + " " + s.sharePercent().toPlainString() + "%")
                    .toList()));
            row.add(p.playId());
            row.add(p.source());
            row.add(String.format(Locale.ROOT, "%.3f", p.confidence()));
            row.add("census");
            rows.add(row);
        }
        return rows;
    }

    /**
     * Rows of the sound-recording report of one station for a period: plays grouped by ISRC (by track id when
     * the ISRC is unknown), sorted by featured artist then title.
     */
    public static List<List<Object>> soundRecordingReport(Station station, List<Play> plays, String periodFrom,
                                                          String periodTo) {
        record Acc(Play first, long[] counts) {
        }
        Map<String, Acc> byRecording = new TreeMap<>();
        for (Play p : finals(plays)) {
            String key = p.isrc() != null ? p.isrc() : "track:" + p.trackId();
            Acc acc = byRecording.computeIfAbsent(key, k -> new Acc(p, new long[2]));
            acc.counts()[0]++;
            acc.counts()[1] += p.durationMs();
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Acc acc : byRecording.values()) {
            Play p = acc.first();
            Recording r = p.recording();
            rows.add(new ArrayList<>(java.util.Arrays.asList(station.stationId(), station.name(),
                    station.streamUrl() == null ? "TERRESTRIAL" : "SIMULCAST", String.join("; ", p.artists()),
                    p.title(), p.isrc(), r == null ? null : r.album(), r == null ? null : r.label(),
                    acc.counts()[0], Math.round(acc.counts()[1] / 1000.0), periodFrom, periodTo)));
        }
        rows.sort((a, b) -> {
            int c = String.valueOf(a.get(3)).compareTo(String.valueOf(b.get(3)));
            return c != 0 ? c : String.valueOf(a.get(4)).compareTo(String.valueOf(b.get(4)));
        });
        return rows;
    }

    private static List<Play> finals(List<Play> plays) {
        return plays.stream().filter(p -> p.status() != Play.Status.OPEN)
                .sorted(java.util.Comparator.comparing(Play::startedAt).thenComparing(Play::playId)).toList();
    }

    private static String names(List<Writer> writers, boolean publishers) {
        return String.join("; ", writers.stream().filter(w -> w.name() != null)
                .filter(w -> (w.role() != null && w.role().toLowerCase(Locale.ROOT).contains("publisher")) == publishers)
                .map(w -> w.name() + (w.ipi() == null ? "" : " [IPI " + w.ipi() + "]")).toList());
    }

    private static ZoneId zone(String tz) {
        try {
            return tz == null || tz.isBlank() ? ZoneOffset.UTC : ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }
}
