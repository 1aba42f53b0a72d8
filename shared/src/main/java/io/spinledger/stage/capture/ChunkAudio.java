package io.spinledger.stage.capture;

import io.spinledger.engine.audio.Loudness;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One captured window of a station's audio, decoded to mono PCM.
 *
 * <p>The array is owned by the record and is not copied (chunks are large and produced often): callers
 * must not modify it. Equality is that of records with an array component (identity of the array).
 *
 * @param startedAt    UTC instant of the first sample
 * @param samples      mono samples in [-1, 1]
 * @param sampleRateHz samples per second
 * @param silent       true when the chunk's RMS level is below the capture's silence threshold
 */
public record ChunkAudio(Instant startedAt, float[] samples, int sampleRateHz, boolean silent) {

    public ChunkAudio {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(samples, "samples");
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
        }
    }

    /** Length of the audio in milliseconds, rounded down. */
    public long durationMs() {
        return samples.length * 1000L / sampleRateHz;
    }

    /** UTC instant just after the last sample (exact to the nanosecond, from the sample count). */
    public Instant endedAt() {
        return startedAt.plus(Duration.ofNanos(samples.length * 1_000_000_000L / sampleRateHz));
    }

    /** Root-mean-square level of the whole chunk, in [0, 1] (full-scale sine is about 0.707). */
    public double rms() {
        return Loudness.rms(samples);
    }

    /**
     * Root-mean-square level of {@code length} samples starting at {@code offset}; 0 for an empty range. Same as
     * {@link Loudness#rms(float[], int, int)}, kept for existing callers.
     *
     * @throws IndexOutOfBoundsException when the range is outside the array
     */
    public static double rms(float[] samples, int offset, int length) {
        return Loudness.rms(samples, offset, length);
    }
}
