package io.spinledger.ports;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Sort-key encodings for {@link TableStore} keys that must sort the way their values do. */
public final class SortKeys {
    /**
     * ISO-8601 UTC with exactly three fraction digits ({@code 2026-01-02T03:04:05.000Z}), so that sort keys built
     * from instants sort by time ({@link Instant#toString()} drops zero fractions and would not).
     */
    public static final DateTimeFormatter SORTABLE_INSTANT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SortKeys() {
    }

    /** Formats an instant with {@link #SORTABLE_INSTANT} (millisecond precision). */
    public static String sortable(Instant instant) {
        return SORTABLE_INSTANT.format(instant);
    }
}
