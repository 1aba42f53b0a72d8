package io.spinledger.domain;

import java.util.List;
import java.util.Map;

/**
 * Recording and work metadata gathered by ISRC enrichment.
 *
 * @param isrc           normalised ISRC or null
 * @param title          recording title
 * @param artists        performing artists
 * @param album          album, may be null
 * @param label          label, may be null
 * @param iswc           work ISWC ({@code T-ddd.ddd.ddd-d}) or null
 * @param workTitle      work title or null
 * @param writers        writers/publishers, may be empty
 * @param provenance     field name -> source that supplied it (CATALOG, CACHE, MUSICBRAINZ, ACRCLOUD); kept sorted by
 *                       field, so its JSON is the same in every process
 * @param societyWorkIds the work's identifiers at societies, keyed by MusicBrainz work attribute type (e.g.
 *                       {@code "ASCAP ID" -> "880123456"}, {@code "PRS tune code" -> "123456AB"}); may be empty.
 *                       They say at which societies the work is registered, not which writer belongs where.
 */
public record Recording(String isrc, String title, List<String> artists, String album, String label, String iswc,
                        String workTitle, List<Writer> writers, Map<String, String> provenance,
                        Map<String, String> societyWorkIds) {
    public Recording {
        artists = artists == null ? List.of() : List.copyOf(artists);
        writers = writers == null ? List.of() : List.copyOf(writers);
        provenance = provenance == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(provenance));
        societyWorkIds = societyWorkIds == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(societyWorkIds));
    }

    /** A recording without society work ids. */
    public Recording(String isrc, String title, List<String> artists, String album, String label, String iswc,
                     String workTitle, List<Writer> writers, Map<String, String> provenance) {
        this(isrc, title, artists, album, label, iswc, workTitle, writers, provenance, Map.of());
    }
}
