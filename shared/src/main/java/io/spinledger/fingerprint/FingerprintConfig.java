package io.spinledger.fingerprint;

/**
 * Every tunable of fingerprint extraction, with its unit in its name. Extraction runs a short-time
 * Fourier transform (Hann window), keeps spectral peaks that are maxima of their time-frequency
 * neighbourhood and stand out from their frame, caps their density, then pairs each peak (the
 * anchor) with the next few peaks in a target zone after it; each pair (f1, f2 - f1, t2 - t1)
 * becomes one 22-bit hash stamped with the anchor's frame (after Wang 2003, see
 * {@code reference/fingerprinting.md}).
 *
 * <p>Hash layout (bits, high to low): anchor bin f1 (9), frequency delta + 64 (7), time delta (6).
 * That fixes the limits checked here: bins below 512, |df| up to 63 bins, dt up to 63 frames.
 *
 * @param sampleRateHz               PCM sample rate the extractor expects
 * @param fftSize                    STFT window length in samples, a power of two
 * @param hopSize                    STFT step in samples (one frame = hopSize / sampleRateHz s)
 * @param minFrequencyHz             lowest frequency searched for peaks
 * @param maxFrequencyHz             highest frequency searched for peaks (its bin must be below 512)
 * @param peakNeighbourhoodBins      half-width in bins of the max filter a peak must top
 * @param peakNeighbourhoodFrames    half-width in frames of the max filter a peak must top
 * @param peakFloorDb                absolute floor (dB relative to a full-scale sine) under which no peak counts
 * @param peakProminenceDb           a peak must exceed its frame's mean level in the band by this much (dB)
 * @param maxPeaksPerSecond          density cap: strongest peaks kept per second of audio
 * @param fanOut                     peaks paired with each anchor (hashes per peak, at most)
 * @param targetZoneMinDtFrames      smallest anchor-to-target time delta, frames (at least 1)
 * @param targetZoneMaxDtFrames      largest anchor-to-target time delta, frames (at most 63)
 * @param targetZoneMaxDfBins        largest |target - anchor| frequency delta, bins (at most 63)
 * @param queryShifts                a query is analysed at this many sub-hop start offsets
 *                                   (0, hop/n, 2 hop/n, ...) and the hashes pooled, so that a chunk
 *                                   cut anywhere still meets the reference's frame grid; 1 = off
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
        int maxPeaksPerSecond,
        int fanOut,
        int targetZoneMinDtFrames,
        int targetZoneMaxDtFrames,
        int targetZoneMaxDfBins,
        int queryShifts) {

    /** Version of the hash layout; part of {@link #schemeId()}. */
    static final int HASH_LAYOUT_VERSION = 1;
    static final int MAX_BIN_EXCLUSIVE = 1 << 9;
    static final int MAX_DF_BINS = 63;
    static final int MAX_DT_FRAMES = 63;

    /** Checks ranges and the hash-layout limits. @throws IllegalArgumentException when out of range */
    public FingerprintConfig {
        require(sampleRateHz >= 4000, "sampleRateHz >= 4000");
        require(fftSize >= 64 && Integer.bitCount(fftSize) == 1, "fftSize a power of two >= 64");
        require(hopSize > 0 && hopSize <= fftSize, "0 < hopSize <= fftSize");
        require(minFrequencyHz >= 0 && minFrequencyHz < maxFrequencyHz, "0 <= minFrequencyHz < maxFrequencyHz");
        require(maxFrequencyHz * 2 < sampleRateHz, "maxFrequencyHz below Nyquist");
        require((long) maxFrequencyHz * fftSize / sampleRateHz < MAX_BIN_EXCLUSIVE,
                "maxFrequencyHz must map to a bin below 512 (lower it or use a smaller fftSize)");
        require(peakNeighbourhoodBins >= 1 && peakNeighbourhoodFrames >= 1, "peak neighbourhood >= 1");
        require(maxPeaksPerSecond >= 1, "maxPeaksPerSecond >= 1");
        require(fanOut >= 1, "fanOut >= 1");
        require(targetZoneMinDtFrames >= 1 && targetZoneMinDtFrames <= targetZoneMaxDtFrames
                && targetZoneMaxDtFrames <= MAX_DT_FRAMES, "1 <= targetZoneMinDtFrames <= targetZoneMaxDtFrames <= 63");
        require(queryShifts >= 1 && queryShifts <= hopSize, "1 <= queryShifts <= hopSize");
        require(targetZoneMaxDfBins >= 1 && targetZoneMaxDfBins <= MAX_DF_BINS, "1 <= targetZoneMaxDfBins <= 63");
    }

    /**
     * The defaults, tuned on the Wesnoth recordings for 10-20 s broadcast chunks: 11025 Hz,
     * 1024-sample window, 256-sample hop (23.2 ms frames), peaks 150-5000 Hz, about 30 peaks and
     * 150 hashes per second; queries analysed at 4 grid shifts.
     */
    public static FingerprintConfig defaults() {
        return new FingerprintConfig(11_025, 1024, 256, 150, 5000,
                12, 8, -65.0, 6.0, 30, 6, 1, 63, 63, 4);
    }

    /** Duration of one frame (one hop) in milliseconds. */
    public double frameMs() {
        return hopSize * 1000.0 / sampleRateHz;
    }

    /** Converts a frame index or frame count to milliseconds (rounded to nearest). */
    public long framesToMs(long frames) {
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

    /**
     * Identifies what a stored hash and frame mean: sample rate, window, hop and hash layout.
     * Segments written under another scheme cannot be matched against this one.
     */
    public int schemeId() {
        return java.util.Objects.hash(HASH_LAYOUT_VERSION, sampleRateHz, fftSize, hopSize);
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("FingerprintConfig: " + rule);
        }
    }
}
