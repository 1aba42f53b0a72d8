package io.spinledger.engine.fingerprint;

/**
 * When a candidate counts as a match. Both must hold.
 *
 * <p>Calibrated with the bench ({@code spinledger bench}, cli module; report and method in
 * {@code docs/fingerprint-benchmark.md}), Wesnoth recordings, seed 2026: over 465 negatives
 * (held-out music clean and degraded, 10 s and 5 s; espeak-ng speech; synthetic jingles; noise;
 * silence) the defaults accepted none (a false-positive rate of 0 measured, below 0.65 % at 95 %
 * confidence by the rule of three), while accepting 99.8 % of the degraded positives; on seeds 7
 * and 11 (other splits) they accepted 1 and 0 of 465. The confidence is the higher of the triplets'
 * and the peak check's (see {@code Matcher}); the aligned minimum of 5 keeps the peak check to
 * lines with some triplet evidence.
 *
 * @param minAlignedTriplets fewest aligned triplets for a match
 * @param minConfidence   lowest {@link Match#confidence()} for a match, in [0, 1]
 */
public record MatchThresholds(int minAlignedTriplets, double minConfidence) {

    /** @throws IllegalArgumentException if out of range */
    public MatchThresholds {
        if (minAlignedTriplets < 1) {
            throw new IllegalArgumentException("minAlignedTriplets must be >= 1: " + minAlignedTriplets);
        }
        if (minConfidence < 0 || minConfidence > 1) {
            throw new IllegalArgumentException("minConfidence must be in [0, 1]: " + minConfidence);
        }
    }

    /** The defaults: at least 5 aligned triplets and confidence 0.5. */
    public static MatchThresholds defaults() {
        return new MatchThresholds(5, 0.5);
    }

    /** Whether a candidate passes both thresholds. */
    public boolean accepts(Match m) {
        return m.alignedCount() >= minAlignedTriplets && m.confidence() >= minConfidence;
    }
}
