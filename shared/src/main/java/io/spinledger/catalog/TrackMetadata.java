package io.spinledger.catalog;

import io.spinledger.domain.Writer;
import java.util.List;

/**
 * What a rights holder says about a reference recording when registering it (the {@code metadata} part of
 * {@code POST /tracks}).
 *
 * @param title      recording title (required)
 * @param artists    performing artists (at least one)
 * @param isrc       ISRC in any common form ("ISRC GB-AAA-99-00303", lower case...), optional
 * @param album      optional
 * @param label      optional
 * @param externalId the owner's own id, optional
 * @param writers    writers/publishers with society and share, optional
 */
public record TrackMetadata(String title, List<String> artists, String isrc, String album, String label,
                            String externalId, List<Writer> writers) {
    public TrackMetadata {
        artists = artists == null ? List.of() : List.copyOf(artists);
        writers = writers == null ? List.of() : List.copyOf(writers);
    }
}
