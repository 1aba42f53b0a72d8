package io.spinledger.engine.fingerprint;

import java.util.Objects;

/**
 * The reference fingerprints of one piece of audio as parallel arrays: triplet hash
 * {@code hashes[i]} (at most 24 bits, see {@link FingerprintConfig}) was anchored at frame
 * {@code frames[i]} (frames count from the first sample, one frame = one hop, see
 * {@link FingerprintConfig#frameMs()}) on a peak of pitch {@code pitches[i] & 0xff} (steps of
 * {@link FingerprintConfig#pitchStepsPerOctave()} above the band's lowest frequency). Ordered by
 * frame. Arrays are not copied: treat as read-only.
 *
 * @param hashes  triplet hashes
 * @param frames  anchor frame of each hash, non-negative
 * @param pitches anchor pitch of each hash (unsigned byte)
 */
public record Fingerprints(int[] hashes, int[] frames, byte[] pitches) {
    /** No fingerprints (silence, or audio shorter than one window). */
    public static final Fingerprints EMPTY = new Fingerprints(new int[0], new int[0], new byte[0]);

    /** @throws IllegalArgumentException if the arrays differ in length */
    public Fingerprints {
        Objects.requireNonNull(hashes, "hashes");
        Objects.requireNonNull(frames, "frames");
        Objects.requireNonNull(pitches, "pitches");
        if (hashes.length != frames.length || hashes.length != pitches.length) {
            throw new IllegalArgumentException("hashes, frames and pitches differ in length: "
                    + hashes.length + ", " + frames.length + ", " + pitches.length);
        }
    }

    /** Number of fingerprints. */
    public int size() {
        return hashes.length;
    }

    /** Duration covered, in frames (last anchor frame + 1; 0 when empty). */
    public int spanFrames() {
        return hashes.length == 0 ? 0 : frames[frames.length - 1] + 1;
    }
}
