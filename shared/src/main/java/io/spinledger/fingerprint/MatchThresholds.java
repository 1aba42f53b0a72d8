package io.spinledger.fingerprint;

/**
 * When a candidate counts as a match. Both must hold.
 *
 * <p>Calibrated with the bench ({@code io.spinledger.bench.FingerprintBenchmark}, report in
 * {@code docs/fingerprint-benchmark.md}): the defaults keep the false-positive rate on all negatives
 * (held-out music, speech, jingles, noise, silence) at or below 0.5 %.
 *
 * @param minAlignedCount fewest aligned triplets for a match
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

    /** The defaults: at least 12 aligned triplets and confidence 0.5. */
    public static MatchThresholds defaults() {
        return new MatchThresholds(12, 0.5);
    }

    /** Whether a candidate passes both thresholds. */
    public boolean accepts(Match m) {
        return m.alignedCount() >= minAlignedCount && m.confidence() >= minConfidence;
    }
}
