package io.spinledger.engine.fingerprint;

/**
 * The fingerprints of a query (a chunk or clip): one entry per triplet, with every hash key the
 * triplet may have in the index (its own plus the neighbouring anchor and span bands a speed or
 * tempo change up to {@link FingerprintConfig#maxScaleDeviation()} could have moved it into, and
 * neighbouring ratio levels near a quantisation boundary). Arrays are not copied: read-only.
 *
 * @param startFrames anchor time of each triplet, frames (fractional) from the query's start
 * @param endFrames   time of the triplet's last peak, frames (fractional)
 * @param pitches     anchor pitch, steps of {@link FingerprintConfig#pitchStepsPerOctave()} (fractional)
 * @param keyOffsets  keys of triplet i are {@code keys[keyOffsets[i] .. keyOffsets[i+1])}; length size+1
 * @param keys        hash keys to look up
 * @param durationFrames length of the query audio, frames
 * @param peakFrames  every spectral peak of the query before the density cap (the peaks' own test, see
 *                    {@link FingerprintConfig}), time in frames (interpolated), ordered by whole frame;
 *                    for verifying a candidate's anchor peaks (see {@link Matcher})
 * @param peakBins    the same peaks' FFT bins (interpolated, counted from bin 0 = 0 Hz)
 */
public record QueryFingerprints(float[] startFrames, float[] endFrames, float[] pitches, int[] keyOffsets,
                                int[] keys, int durationFrames, float[] peakFrames, float[] peakBins) {
    /** Number of triplets. */
    public int size() {
        return startFrames.length;
    }
}
