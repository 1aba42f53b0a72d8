package io.spinledger.fingerprint;

/**
 * When a candidate counts as a match. Both must hold.
 *
 * <p>Tuned on the 41 Wesnoth recordings (38 indexed) with 10 s queries and the default extraction
 * (4 query shifts): the best wrong track reached at most 21 aligned hashes and confidence 0.08 for
 * held-out music, speech, white noise and silence, and 32 aligned / confidence 0.12 between two
 * tracks that quote the same passage; true matches had at least 140 aligned hashes and confidence
 * 0.57 even at 5 dB SNR (clean: 370-2100 and 1.0).
 *
 * @param minAlignedCount fewest aligned hashes for a match
 * @param minConfidence   lowest {@link Match#confidence()} for a match, in [0, 1]
 */
public record MatchThresholds(int minAlignedCount, double minConfidence) {

    /** @throws IllegalArgumentException if out of range */
    public MatchThresholds {
        if (minAlignedCount < 1) {
            throw new IllegalArgumentException("minAlignedCount must be >= 1: " + minAlignedCount);
        }
        if (minConfidence < 0 || minConfidence > 1) {
            throw new IllegalArgumentException("minConfidence must be in [0, 1]: " + minConfidence);
        }
    }

    /** The defaults: at least 30 aligned hashes and confidence 0.3. */
    public static MatchThresholds defaults() {
        return new MatchThresholds(30, 0.3);
    }
}
