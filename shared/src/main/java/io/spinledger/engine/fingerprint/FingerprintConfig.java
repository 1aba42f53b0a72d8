package io.spinledger.engine.fingerprint;

/**
 * Every tunable of fingerprint extraction and matching, with its unit in its name (the matcher's in
 * {@link Matching}).
 *
 * <p>Extraction runs a short-time Fourier transform (Hann window), keeps spectral peaks that top
 * their time-frequency neighbourhood and stand out from their frame (with sub-bin / sub-frame
 * positions by parabolic interpolation), caps their density, then joins each peak (the anchor)
 * with pairs of later peaks into <em>triplets</em>. A triplet's hash is built from quantities that
 * survive the changes radio makes (after the triplet idea of Six and Leman, ISMIR 2014 "Panako",
 * and Sonnleitner and Widmer, IEEE/ACM TASLP 2016 "Robust quad-based audio fingerprinting"):
 * <ul>
 *   <li>two frequency ratios {@code log2(f2/f1)}, {@code log2(f3/f1)}: unchanged by a speed change
 *       (pitch and tempo together) and by a tempo change;</li>
 *   <li>the time ratio {@code (t2-t1)/(t3-t1)}: unchanged by both;</li>
 *   <li>a coarse anchor band {@code log2(f1)} and a coarse span band {@code log2(t3-t1)}: changed
 *       by at most {@link #maxScaleDeviation()}, so queries look up every band that deviation
 *       can reach (no resampled copies are stored or queried).</li>
 * </ul>
 * The reference side is sparse ({@link #referencePeaksPerSecond()}, first
 * {@link #referenceTargetPeaks()} partners) to keep the index small; the query side is denser
 * ({@link #queryPeaksPerSecond()}, {@link #queryTargetPeaks()} partners) so that the reference's
 * triplets are still among the query's after noise reshuffles the weaker peaks.
 *
 * <p>Hash layout (high to low): ratio 1, ratio 2, time ratio, anchor band, span band; widths follow
 * from the level counts here and must total at most {@value #MAX_HASH_BITS} bits.
 *
 * @param sampleRateHz             PCM sample rate the extractor expects
 * @param fftSize                  STFT window length in samples, a power of two
 * @param hopSize                  STFT step in samples (one frame = hopSize / sampleRateHz s)
 * @param minFrequencyHz           lowest frequency searched for peaks
 * @param maxFrequencyHz           highest frequency searched for peaks (below Nyquist)
 * @param peakNeighbourhoodBins    half-width in bins of the max filter a peak must top
 * @param peakNeighbourhoodFrames  half-width in frames of the max filter a peak must top
 * @param peakFloorDb              absolute floor (dB relative to a full-scale sine) under which no peak counts
 * @param peakProminenceDb         a peak must exceed its frame's mean level in the band by this much (dB)
 * @param referencePeaksPerSecond  density cap for reference tracks: strongest peaks kept per second
 * @param queryPeaksPerSecond      density cap for queries (at least the reference's)
 * @param referenceTargetPeaks     a reference anchor is joined with pairs of its first n partners (n*(n-1)/2 triplets)
 * @param queryTargetPeaks         a query anchor is joined with pairs of its first n partners
 * @param targetZoneMinDtFrames    smallest anchor-to-partner time delta, frames (at least 1)
 * @param targetZoneMaxDtFrames    largest anchor-to-partner time delta, frames
 * @param targetZoneMaxOctaves     largest |log2(partner frequency / anchor frequency)|, octaves
 * @param ratioLevelsPerOctave     quantisation of the frequency ratios, levels per octave
 * @param timeRatioLevels          quantisation of the time ratio in (0, 1), levels
 * @param anchorBandsPerOctave     quantisation of the anchor frequency, bands per octave
 * @param spanBandsPerOctave       quantisation of the triplet's time span, bands per octave (of frames)
 * @param pitchStepsPerOctave      resolution of the anchor pitch stored with each posting (for the
 *                                 frequency factor), steps per octave; the band must fit 256 steps
 * @param maxScaleDeviation        largest speed / tempo change a query tolerates, as a fraction
 *                                 (0.06 = 94 % .. 106 %)
 * @param quantisationMargin       a query also looks up the neighbouring level when a ratio lies within
 *                                 this fraction of a level of the boundary (0 = off)
 * @param matching                 the matcher's tunables (they do not change what a stored hash means)
 */
public record FingerprintConfig(
        int sampleRateHz,
        int fftSize,
        int hopSize,
        int minFrequencyHz,
        int maxFrequencyHz,
        int peakNeighbourhoodBins,
        int peakNeighbourhoodFrames,
        double peakFloorDb,
        double peakProminenceDb,
        int referencePeaksPerSecond,
        int queryPeaksPerSecond,
        int referenceTargetPeaks,
        int queryTargetPeaks,
        int targetZoneMinDtFrames,
        int targetZoneMaxDtFrames,
        double targetZoneMaxOctaves,
        int ratioLevelsPerOctave,
        int timeRatioLevels,
        int anchorBandsPerOctave,
        int spanBandsPerOctave,
        int pitchStepsPerOctave,
        double maxScaleDeviation,
        double quantisationMargin,
        Matching matching) {

    /** Version of the hash layout; part of {@link #schemeId()}. */
    static final int HASH_LAYOUT_VERSION = 2;
    /** Hashes are at most this wide (the index's directory and postings assume it). */
    static final int MAX_HASH_BITS = 24;

    /** Checks ranges and the hash-layout limits. @throws IllegalArgumentException when out of range */
    public FingerprintConfig {
        require(sampleRateHz >= 4000, "sampleRateHz >= 4000");
        require(fftSize >= 64 && Integer.bitCount(fftSize) == 1, "fftSize a power of two >= 64");
        require(hopSize > 0 && hopSize <= fftSize, "0 < hopSize <= fftSize");
        require(minFrequencyHz > 0 && minFrequencyHz < maxFrequencyHz, "0 < minFrequencyHz < maxFrequencyHz");
        require(maxFrequencyHz * 2 < sampleRateHz, "maxFrequencyHz below Nyquist");
        require(peakNeighbourhoodBins >= 1 && peakNeighbourhoodFrames >= 1, "peak neighbourhood >= 1");
        require(referencePeaksPerSecond >= 1 && queryPeaksPerSecond >= referencePeaksPerSecond,
                "1 <= referencePeaksPerSecond <= queryPeaksPerSecond");
        require(referenceTargetPeaks >= 2 && queryTargetPeaks >= referenceTargetPeaks,
                "2 <= referenceTargetPeaks <= queryTargetPeaks");
        require(targetZoneMinDtFrames >= 1 && targetZoneMinDtFrames < targetZoneMaxDtFrames,
                "1 <= targetZoneMinDtFrames < targetZoneMaxDtFrames");
        require(targetZoneMaxOctaves > 0 && targetZoneMaxOctaves <= 3, "0 < targetZoneMaxOctaves <= 3");
        require(ratioLevelsPerOctave >= 1 && timeRatioLevels >= 1 && anchorBandsPerOctave >= 1
                && spanBandsPerOctave >= 1, "quantisation levels >= 1");
        require(pitchStepsPerOctave >= 1 && octaves(minFrequencyHz, maxFrequencyHz) * pitchStepsPerOctave < 256,
                "pitchStepsPerOctave * octaves of the band < 256");
        require(maxScaleDeviation >= 0 && maxScaleDeviation < 0.3, "0 <= maxScaleDeviation < 0.3");
        require(quantisationMargin >= 0 && quantisationMargin < 0.5, "0 <= quantisationMargin < 0.5");
        java.util.Objects.requireNonNull(matching, "matching");
        int bits = bitsFor(ratioLevels(targetZoneMaxOctaves, ratioLevelsPerOctave)) * 2 + bitsFor(timeRatioLevels)
                + bitsFor(anchorBands(minFrequencyHz, maxFrequencyHz, anchorBandsPerOctave))
                + bitsFor(spanBands(targetZoneMaxDtFrames, spanBandsPerOctave));
        require(bits <= MAX_HASH_BITS, "the hash needs " + bits + " bits, at most " + MAX_HASH_BITS
                + " fit: use fewer levels");
    }

    /**
     * The defaults, tuned on the Wesnoth recordings for 5-20 s broadcast chunks: 11025 Hz, 1024-sample
     * window, 256-sample hop (23.2 ms frames), peaks 150-4000 Hz; references about 10 peaks and
     * at most 30 triplets per second, queries 24 peaks per second with 6 partners; speed and tempo
     * changes up to 6 % tolerated.
     */
    public static FingerprintConfig defaults() {
        return new FingerprintConfig(11_025, 1024, 256, 150, 4000,
                10, 6, -70.0, 6.0,
                10, 24, 3, 6,
                1, 40, 1.0,
                24, 6, 4, 2, 50,
                0.06, 0.15, Matching.defaults());
    }

    /**
     * The matcher's tunables (see {@code Matcher} and {@code docs/fingerprint-index.md}, "Matching").
     *
     * @param alignToleranceFrames      hits within this of a fitted line are on it, frames
     * @param pitchToleranceSteps       largest distance of a hit's pitch difference from the expected one, pitch steps
     * @param maxCandidates             tracks that get a line fit, at most
     * @param maxWindows                offset windows (per shard, and in all) that get the second pass, at most
     * @param minCandidateVotes         fewer votes than this in its best window and a track is not a candidate
     *                                  (for {@code Matcher#candidates}; {@code match} uses the thresholds' aligned minimum)
     * @param voteBinFramesLog2         offset bins of the first pass are 2^this frames wide (6: 64 frames, 1.5 s)
     * @param hotBinVotes               windows are looked for only around bins with at least this many votes
     * @param decisiveVotes             votes in one window, from a quarter or half of a query, that can end the vote early
     * @param decisiveRatio             how many times the best other track's votes a decisive window must have
     * @param peakCheckMinAligned       fewest aligned triplets for a line to get the peak check
     * @param peakCheckBelowConfidence  lines whose triplet confidence is at least this skip the peak check
     * @param peakChecksBelowThreshold  of the lines the thresholds would reject, only this many (the best) are checked
     * @param peakRefuteBelowZ          a checked line scoring below this is refuted (confidence 0), standard deviations
     * @param peakFrameTolerance        largest time distance of a query peak from an anchor's place, frames
     * @param peakBinTolerance          largest frequency distance of a query peak from an anchor's place, FFT bins
     * @param peakMinAnchors            fewer anchors inside the query than this and the peak check gives no verdict
     */
    public record Matching(double alignToleranceFrames, double pitchToleranceSteps, int maxCandidates, int maxWindows,
                           int minCandidateVotes, int voteBinFramesLog2, int hotBinVotes, int decisiveVotes,
                           int decisiveRatio, int peakCheckMinAligned, double peakCheckBelowConfidence,
                           int peakChecksBelowThreshold, double peakRefuteBelowZ, double peakFrameTolerance,
                           double peakBinTolerance, int peakMinAnchors) {

        /** Checks ranges. @throws IllegalArgumentException when out of range */
        public Matching {
            require(alignToleranceFrames > 0 && pitchToleranceSteps > 0, "tolerances > 0");
            require(maxCandidates >= 1 && maxWindows >= 1 && minCandidateVotes >= 1, "counts >= 1");
            require(voteBinFramesLog2 >= 3 && voteBinFramesLog2 <= 10, "3 <= voteBinFramesLog2 <= 10");
            require(hotBinVotes >= 1 && decisiveVotes >= 1 && decisiveRatio >= 1, "vote counts >= 1");
            require(peakCheckMinAligned >= 1 && peakChecksBelowThreshold >= 0 && peakMinAnchors >= 1,
                    "peak check counts in range");
            require(peakCheckBelowConfidence >= 0 && peakCheckBelowConfidence <= 1, "0 <= peakCheckBelowConfidence <= 1");
            require(peakFrameTolerance > 0 && peakBinTolerance > 0, "peak tolerances > 0");
        }

        /**
         * The defaults, tuned on the bench (seed 2026; {@code docs/fingerprint-benchmark.md}): lines within
         * 1.5 frames and 1.5 pitch steps; 16 candidates and windows; 64-frame vote bins, hot at 6
         * votes; decisive at 48 votes and 3 times any other track; the peak check for lines with 5
         * aligned triplets below triplet confidence 0.9 (the best 2 of those the thresholds reject),
         * refuting below z = 5, anchors met within 1.5 frames and 1.5 bins, at least 20 anchors.
         */
        public static Matching defaults() {
            return new Matching(1.5, 1.5, 16, 16, 4, 6, 6, 48, 3, 5, 0.9, 2, 5.0, 1.5, 1.5, 20);
        }
    }

    /** Duration of one frame (one hop) in milliseconds. */
    public double frameMs() {
        return hopSize * 1000.0 / sampleRateHz;
    }

    /** Converts a frame index or frame count to milliseconds (rounded to nearest). */
    public long framesToMs(double frames) {
        return Math.round(frames * frameMs());
    }

    /** Frequency bin index of the lowest searched frequency. */
    int minBin() {
        return Math.max(1, (int) Math.ceil((double) minFrequencyHz * fftSize / sampleRateHz));
    }

    /** Frequency bin index of the highest searched frequency (inclusive). */
    int maxBin() {
        return (int) Math.floor((double) maxFrequencyHz * fftSize / sampleRateHz);
    }

    /** Levels of one frequency ratio. */
    int ratioLevels() {
        return ratioLevels(targetZoneMaxOctaves, ratioLevelsPerOctave);
    }

    /** Number of anchor bands. */
    int anchorBands() {
        return anchorBands(minFrequencyHz, maxFrequencyHz, anchorBandsPerOctave);
    }

    /** Number of span bands. */
    int spanBands() {
        return spanBands(targetZoneMaxDtFrames, spanBandsPerOctave);
    }

    /**
     * Identifies what a stored hash, frame and pitch mean: sample rate, window, hop, band and every
     * quantisation. Segments written under another scheme cannot be matched against this one.
     */
    public int schemeId() {
        return java.util.Objects.hash(HASH_LAYOUT_VERSION, sampleRateHz, fftSize, hopSize, minFrequencyHz,
                maxFrequencyHz, targetZoneMaxOctaves, ratioLevelsPerOctave, timeRatioLevels, anchorBandsPerOctave,
                spanBandsPerOctave, targetZoneMaxDtFrames, pitchStepsPerOctave);
    }

    static int bitsFor(int levels) {
        return levels <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(levels - 1);
    }

    private static double octaves(int lo, int hi) {
        return Math.log((double) hi / lo) / Math.log(2);
    }

    private static int ratioLevels(double maxOctaves, int perOctave) {
        return (int) Math.ceil(2 * maxOctaves * perOctave);
    }

    private static int anchorBands(int lo, int hi, int perOctave) {
        return (int) Math.ceil(octaves(lo, hi) * perOctave) + 1;
    }

    private static int spanBands(int maxDtFrames, int perOctave) {
        // spans run from 2 frames (t1 < t2 < t3) to maxDt frames plus a scale change
        return (int) Math.ceil(Math.log(maxDtFrames * 1.3) / Math.log(2) * perOctave) + 1;
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("FingerprintConfig: " + rule);
        }
    }
}
