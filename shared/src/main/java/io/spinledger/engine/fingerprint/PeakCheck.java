package io.spinledger.engine.fingerprint;

/**
 * A second, independent test of a candidate line: are the candidate track's own anchor peaks
 * where the line puts them in the query?
 *
 * <p>A triplet only survives when all three of its peaks are among the query's strongest (the
 * density cap), so under loud noise or speech the aligned count of a true match falls to a few,
 * down among chance lines. One peak survives far more often than three: each of the track's
 * anchor peaks that the line maps into the query is looked for among <em>all</em> the query's
 * spectral peaks (before the density cap), within {@code peakFrameTolerance} frames and
 * {@code peakBinTolerance} FFT bins (see {@link FingerprintConfig.Matching}). The same anchors moved off the line by
 * {@link #NULL_SHIFTS} (in time and in pitch) give the rate at which this query's peaks meet a
 * pattern of that shape by chance; the score is how far the line's rate stands above that, in
 * binomial standard deviations: {@code z = (p - p0) / sqrt(p0 (1 - p0) / n)}. A chance line in
 * another track (held-out music in the same key and tempo) scores at most about 8 on the bench; a
 * true match under 0 dB of noise or speech scores 10 to 20 (see
 * {@code docs/fingerprint-benchmark.md}). The anchors come with the index ({@code FingerprintIndex}
 * keeps each track's distinct anchor peaks, about 2 bytes each). A cousin of the verification
 * steps of audfprint and Olaf, which recount hits near a found alignment; here the evidence is
 * peaks, not hashes.
 */
final class PeakCheck {
    /** Query frames the anchors are moved in time for the chance rate (both ways), at most. */
    static final int MAX_TIME_SHIFT_FRAMES = 89;
    /** The off-line placements {query frames, pitch steps} that give the chance rate. */
    static final int[][] NULL_SHIFTS = {
        {31, 0}, {-31, 0}, {47, 0}, {-47, 0}, {67, 0}, {-67, 0}, {89, 0}, {-89, 0},
        {0, 9}, {0, -9}, {0, 19}, {0, -19}, {13, 13}, {-13, -13}, {23, -11}, {-23, 11}};

    private PeakCheck() {
    }

    /**
     * Which of a line's anchors are present in a query, and the chance rate.
     *
     * @param queryFrames    where each anchor inside the query falls on the line, query frames, ascending
     * @param present        whether a query peak lies within the tolerances of it
     * @param chanceRate     the share of the same anchors present at the {@link #NULL_SHIFTS} placements
     *                       (0 when none fell inside the query)
     */
    record Presence(double[] queryFrames, boolean[] present, double chanceRate) {
        /** Number of anchors inside the query. */
        int size() {
            return present.length;
        }
    }

    /**
     * The score of a line.
     *
     * @param config          the extraction config
     * @param query           the query (its {@link QueryFingerprints#peakFrames()} and {@code peakBins()})
     * @param anchorFrames    the track's anchor frames around the line's part of the track, ascending
     * @param anchorPitches   their pitches, steps of {@link FingerprintConfig#pitchStepsPerOctave()}
     * @param a               time scale, track frames per query frame
     * @param offsetFrames    track frame at query frame 0
     * @param frequencyFactor query frequency / track frequency
     * @return z in binomial standard deviations; NaN (no verdict) when fewer than {@code peakMinAnchors}
     *         anchors fall inside the query
     */
    static double score(FingerprintConfig config, QueryFingerprints query, int[] anchorFrames, int[] anchorPitches,
                        double a, double offsetFrames, double frequencyFactor) {
        Presence p = presence(config, query, anchorFrames, anchorPitches, a, offsetFrames, frequencyFactor);
        int n = p.size();
        if (n < config.matching().peakMinAnchors()) {
            return Double.NaN;
        }
        int present = 0;
        for (boolean b : p.present()) {
            present += b ? 1 : 0;
        }
        return z(present, n, p.chanceRate());
    }

    /**
     * How far {@code present} of {@code n} stands above a chance rate, in binomial standard deviations
     * (the rate clamped to [0.02, 0.98]).
     */
    static double z(int present, int n, double chanceRate) {
        double p0 = Math.min(0.98, Math.max(0.02, chanceRate));
        return ((double) present / n - p0) / Math.sqrt(p0 * (1 - p0) / n);
    }

    /** The anchors of a line inside the query, each present or not, and the chance rate; see {@link #score}. */
    static Presence presence(FingerprintConfig config, QueryFingerprints query, int[] anchorFrames,
                             int[] anchorPitches, double a, double offsetFrames, double frequencyFactor) {
        return presence(config, query, anchorFrames, anchorPitches, a, offsetFrames, frequencyFactor, true);
    }

    /**
     * The anchors of a line inside the query, each present or not, and (when {@code withChance}) the chance rate;
     * without it the chance rate is NaN and the {@link #NULL_SHIFTS} placements, 16 times the work, are skipped.
     */
    static Presence presence(FingerprintConfig config, QueryFingerprints query, int[] anchorFrames,
                             int[] anchorPitches, double a, double offsetFrames, double frequencyFactor,
                             boolean withChance) {
        float[] pf = query.peakFrames();
        float[] pb = query.peakBins();
        double duration = query.durationFrames();
        double ft = config.matching().peakFrameTolerance();
        double bt = config.matching().peakBinTolerance();
        double binPerStep = Math.pow(2, 1.0 / config.pitchStepsPerOctave());
        double bin0 = config.minFrequencyHz() * frequencyFactor * config.fftSize() / config.sampleRateHz();
        int n = anchorFrames.length;
        double[] qf = new double[n];
        double[] bins = new double[n];
        for (int i = 0; i < n; i++) {
            qf[i] = (anchorFrames[i] - offsetFrames) / a;
            bins[i] = bin0 * Math.pow(binPerStep, anchorPitches[i]);
        }
        double[] onFrames = new double[n];
        boolean[] onPresent = new boolean[n];
        int onLine = 0;
        for (int i = 0; i < n; i++) {
            if (qf[i] >= 0 && qf[i] < duration) {
                onFrames[onLine] = qf[i];
                onPresent[onLine] = present(pf, pb, qf[i], bins[i], ft, bt);
                onLine++;
            }
        }
        if (!withChance) {
            return new Presence(java.util.Arrays.copyOf(onFrames, onLine), java.util.Arrays.copyOf(onPresent, onLine),
                    Double.NaN);
        }
        int off = 0;
        int offPresent = 0;
        for (int[] shift : NULL_SHIFTS) {
            double pitchFactor = Math.pow(binPerStep, shift[1]);
            for (int i = 0; i < n; i++) {
                double t = qf[i] + shift[0];
                if (t >= 0 && t < duration) {
                    off++;
                    offPresent += present(pf, pb, t, bins[i] * pitchFactor, ft, bt) ? 1 : 0;
                }
            }
        }
        return new Presence(java.util.Arrays.copyOf(onFrames, onLine), java.util.Arrays.copyOf(onPresent, onLine),
                off == 0 ? 0 : (double) offPresent / off);
    }

    /** Whether a query peak lies within the tolerances of (frame t, bin b). */
    private static boolean present(float[] pf, float[] pb, double t, double b, double frameTolerance,
                                   double binTolerance) {
        // peaks are ordered by whole frame, their interpolated times within half a frame of it
        int lo = 0;
        int hi = pf.length;
        double from = t - frameTolerance - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pf[mid] < from) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        double to = t + frameTolerance + 1;
        for (int i = lo; i < pf.length && pf[i] <= to; i++) {
            if (Math.abs(pf[i] - t) <= frameTolerance && Math.abs(pb[i] - b) <= binTolerance) {
                return true;
            }
        }
        return false;
    }
}
