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
 * @param distinctVersion true when the recording is a distinct version (remaster, edit, live take) of a
 *                   recording already in the catalog, so the duplicate check must not refuse it; optional,
 *                   false when absent
 */
public record TrackMetadata(String title, List<String> artists, String isrc, String album, String label,
                            String externalId, List<Writer> writers, Boolean distinctVersion) {
    public TrackMetadata {
        artists = artists == null ? List.of() : List.copyOf(artists);
        writers = writers == null ? List.of() : List.copyOf(writers);
        distinctVersion = distinctVersion != null && distinctVersion;
    }

    /** Metadata without the distinct-version flag. */
    public TrackMetadata(String title, List<String> artists, String isrc, String album, String label,
                         String externalId, List<Writer> writers) {
        this(title, artists, isrc, album, label, externalId, writers, false);
    }
}
