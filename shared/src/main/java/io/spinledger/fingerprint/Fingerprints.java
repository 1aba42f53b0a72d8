package io.spinledger.fingerprint;

import java.util.Objects;

/**
 * The fingerprints of one piece of audio as parallel arrays: {@code hashes[i]} was anchored at
 * frame {@code frames[i]} (frames count from the first sample, one frame = one hop, see
 * {@link FingerprintConfig#frameMs()}). Ordered by frame. Arrays are not copied: treat as read-only.
 *
 * @param hashes landmark hashes (22-bit, see {@link FingerprintConfig})
 * @param frames anchor frame of each hash, non-negative, same length as {@code hashes}
 */
public record Fingerprints(int[] hashes, int[] frames) {
    /** No fingerprints (silence, or audio shorter than one window). */
    public static final Fingerprints EMPTY = new Fingerprints(new int[0], new int[0]);

    /** @throws IllegalArgumentException if the arrays differ in length */
    public Fingerprints {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(frames, "frames");
        if (hashes.length != frames.length) {
            throw new IllegalArgumentException("hashes and frames differ in length: "
                    + hashes.length + " != " + frames.length);
        }
    }

    /** Number of fingerprints. */
    public int size() {
        return hashes.length;
    }
}
