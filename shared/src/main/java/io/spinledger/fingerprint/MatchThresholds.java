package io.spinledger.fingerprint;

/**
 * When a candidate counts as a match. Both must hold.
 *
 * <p>Tuned on the 41 Wesnoth recordings with 10 s queries and the default extraction: the best
 * wrong track reached at most 15 aligned hashes and confidence 0.09 (held-out music, speech, white
 * noise, silence); true matches had at least 47 aligned hashes and confidence 0.5 even at 5 dB SNR.
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

    /** The defaults: at least 20 aligned hashes and confidence 0.3. */
    public static MatchThresholds defaults() {
        return new MatchThresholds(20, 0.3);
    }
}
