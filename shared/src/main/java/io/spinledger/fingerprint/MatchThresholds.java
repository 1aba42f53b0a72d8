package io.spinledger.fingerprint;

/**
 * When a candidate counts as a match. Both must hold.
 *
 * @param minAlignedCount fewest aligned hashes for a match (random agreements on the Wesnoth
 *                        catalog stay at or below about 6 with the default extraction)
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

    /** The defaults: at least 12 aligned hashes and confidence 0.3. */
    public static MatchThresholds defaults() {
        return new MatchThresholds(12, 0.3);
    }
}
