package io.spinledger.domain;

import java.time.Instant;
import java.util.List;

/**
 * A reference track of the catalog: a recording whose fingerprints are indexed.
 *
 * @param trackId          stable id ({@code trk_...})
 * @param title            recording title
 * @param artists          performing artists
 * @param isrc             normalised ISRC (12 characters) or null
 * @param album            album or release title, may be null
 * @param label            record label, may be null
 * @param externalId       the owner's own id, may be null
 * @param writers          declared writers/publishers with shares, may be empty
 * @param durationMs       duration of the registered audio
 * @param fingerprintCount how many hashes the track contributed to the index
 * @param registeredAt     when it was registered
 */
public record Track(String trackId, String title, List<String> artists, String isrc, String album, String label,
                    String externalId, List<Writer> writers, long durationMs, int fingerprintCount,
                    Instant registeredAt) {
    public Track {
        artists = artists == null ? List.of() : List.copyOf(artists);
        writers = writers == null ? List.of() : List.copyOf(writers);
    }
}
