package io.spinledger.engine.audio;

import java.util.Objects;

/**
 * Mono PCM audio: samples as floats in [-1, 1] at one sample rate.
 *
 * @param samples      mono samples, nominally in [-1, 1]; not copied, treat as read-only
 * @param sampleRateHz samples per second, positive
 */
public record Pcm(float[] samples, int sampleRateHz) {

    /** Validates the arguments. @throws IllegalArgumentException on a non-positive sample rate */
    public Pcm {
        Objects.requireNonNull(samples, "samples");
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sampleRateHz must be positive: " + sampleRateHz);
        }
    }

    /** Duration in milliseconds (rounded down). */
    public long durationMs() {
        return samples.length * 1000L / sampleRateHz;
    }

    /**
     * A copy of the samples between two times, clamped to the audio.
     *
     * @param startMs start, inclusive, in ms from the first sample
     * @param endMs   end, exclusive, in ms from the first sample
     * @return a new Pcm at the same rate (empty if the range is outside the audio)
     */
    public Pcm slice(long startMs, long endMs) {
        int from = (int) Math.max(0, Math.min(samples.length, startMs * sampleRateHz / 1000));
        int to = (int) Math.max(from, Math.min(samples.length, endMs * sampleRateHz / 1000));
        return new Pcm(java.util.Arrays.copyOfRange(samples, from, to), sampleRateHz);
    }
}
