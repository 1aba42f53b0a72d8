package io.spinledger.catalog;

import io.spinledger.domain.Track;

/**
 * A registration refused because the recording is already in the catalog (the fingerprint engine
 * found it, see {@link io.spinledger.engine.fingerprint.FingerprintEngine#findDuplicate}). Register it
 * with {@link TrackMetadata#distinctVersion()} set when it really is another version. Nothing was stored.
 */
public final class DuplicateTrackException extends RuntimeException {
    private final transient Track existing;
    private final long existingOffsetMs;

    /**
     * @param existing         the catalog track the recording duplicates
     * @param existingOffsetMs where in the existing track the new recording's first sample lies, ms
     */
    public DuplicateTrackException(Track existing, long existingOffsetMs) {
        super("this recording is already in the catalog as " + existing.trackId() + " ('" + existing.title()
                + "'); set metadata.distinctVersion to register it as a distinct version");
        this.existing = existing;
        this.existingOffsetMs = existingOffsetMs;
    }

    /** The track already in the catalog. */
    public Track existing() {
        return existing;
    }

    /** Where in the existing track the new recording starts, ms (negative: it has a longer lead-in). */
    public long existingOffsetMs() {
        return existingOffsetMs;
    }
}
