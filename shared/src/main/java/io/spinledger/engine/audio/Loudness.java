package io.spinledger.engine.audio;

import java.util.Objects;

/**
 * The one definition of signal level and of silence: root-mean-square level of float PCM (full scale 1.0)
 * and the RMS under which audio counts as silence. Capture (chunk {@code silent} flag, "audio is arriving"
 * health events) and matching (a silent chunk is not fingerprinted or sent to the fallback) use the same
 * threshold, so a chunk the capture reports as silent is the chunk the matcher skips.
 *
 * <p>The music gate ({@code io.spinledger.stage.fallback.MusicGate}) deliberately uses a different, higher level
 * for its 46 ms analysis frames; see {@code MusicGate.QUIET_FRAME_RMS} for why.
 */
public final class Loudness {

    /**
     * RMS (full scale 1.0) under which audio is silence: 0.003, about -50 dBFS. Broadcast programme sits
     * around -20 to -14 dBFS, so this is dead air, the encoder's noise floor or the last tail of a fade.
     */
    public static final double SILENCE_RMS = 0.003;

    private Loudness() {
    }

    /** Root-mean-square level of all {@code samples}, in [0, 1] for samples in [-1, 1]; 0 when empty. */
    public static double rms(float[] samples) {
        return rms(samples, 0, samples.length);
    }

    /**
     * Root-mean-square level of {@code length} samples starting at {@code offset}; 0 for an empty range.
     *
     * @throws IndexOutOfBoundsException when the range is outside the array
     */
    public static double rms(float[] samples, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        if (length == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            double s = samples[i];
            sum += s * s;
        }
        return Math.sqrt(sum / length);
    }

    /** True when the whole of {@code samples} is below {@link #SILENCE_RMS} (an empty array is silent). */
    public static boolean isSilent(float[] samples) {
        return rms(samples) < SILENCE_RMS;
    }
}
