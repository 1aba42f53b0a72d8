package io.spinledger.stage.capture;

import io.spinledger.config.Settings;
import io.spinledger.engine.audio.Loudness;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a continuous mono PCM stream into overlapping windows.
 *
 * <p>Chunk {@code k} covers samples {@code [k*hop, k*hop + chunk)} of the stream, where
 * {@code chunk = chunkMs * rate / 1000} and {@code hop = chunk - chunkOverlapMs * rate / 1000}: windows are
 * contiguous with overlap and leave no gaps. Start instants are derived from sample counts
 * ({@code firstSampleAt + index / rate}), never from the wall clock, so arrival jitter does not move them.
 *
 * <p>Stateful and not thread-safe: one instance per continuous run of audio. After a gap in the stream
 * (a reconnect) start a new instance with the new anchor, so the gap stays visible.
 */
public final class Chunker {

    /** A final partial chunk (see {@link #flush()}) is emitted only if it is at least this long. */
    public static final long MIN_FINAL_CHUNK_MS = 2_000;

    /** Default silence threshold: {@link Loudness#SILENCE_RMS} (about -50 dBFS). */
    public static final double DEFAULT_SILENCE_RMS = Loudness.SILENCE_RMS;

    private final Instant firstSampleAt;
    private final int sampleRateHz;
    private final int chunkSamples;
    private final int hopSamples;
    private final int minFinalSamples;
    private final double silenceRms;

    /** Buffered samples; buf[0] is absolute sample {@code bufStart}, the start of the next chunk. */
    private float[] buf;
    private int buffered;
    private long bufStart;
    /** One past the last absolute sample already emitted in some chunk. */
    private long emittedEnd;
    private int chunksEmitted;
    private boolean flushed;

    /**
     * @param firstSampleAt  UTC instant of the stream's first sample (sample index 0)
     * @param sampleRateHz   sample rate of the PCM that will be fed
     * @param chunkMs        window length
     * @param chunkOverlapMs overlap between consecutive windows, in [0, chunkMs)
     * @param silenceRms     RMS level below which a chunk is marked silent
     * @throws IllegalArgumentException when the lengths do not give a positive window and hop
     */
    public Chunker(Instant firstSampleAt, int sampleRateHz, long chunkMs, long chunkOverlapMs, double silenceRms) {
        this.firstSampleAt = Objects.requireNonNull(firstSampleAt, "firstSampleAt");
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
        }
        if (chunkMs <= 0 || chunkOverlapMs < 0 || chunkOverlapMs >= chunkMs) {
            throw new IllegalArgumentException("need 0 <= chunkOverlapMs < chunkMs, got chunkMs=" + chunkMs
                    + " chunkOverlapMs=" + chunkOverlapMs);
        }
        this.sampleRateHz = sampleRateHz;
        this.chunkSamples = Math.toIntExact(chunkMs * sampleRateHz / 1000);
        this.hopSamples = chunkSamples - Math.toIntExact(chunkOverlapMs * sampleRateHz / 1000);
        if (hopSamples <= 0) {
            throw new IllegalArgumentException("chunk and overlap round to a non-positive hop at " + sampleRateHz + " Hz");
        }
        this.minFinalSamples = Math.toIntExact(MIN_FINAL_CHUNK_MS * sampleRateHz / 1000);
        this.silenceRms = silenceRms;
        this.buf = new float[chunkSamples + 4096];
    }

    /** A chunker with the capture settings' window, overlap and sample rate and the default silence threshold. */
    public static Chunker of(Settings.Capture settings, Instant firstSampleAt) {
        return new Chunker(firstSampleAt, settings.sampleRateHz(), settings.chunkMs(), settings.chunkOverlapMs(),
                DEFAULT_SILENCE_RMS);
    }

    /** Feeds a whole block; see {@link #feed(float[], int, int)}. */
    public List<ChunkAudio> feed(float[] block) {
        return feed(block, 0, block.length);
    }

    /**
     * Appends the next {@code length} samples of the stream (any block size, including 0) and returns the
     * chunks completed by them, oldest first (usually none or one).
     *
     * @throws IllegalStateException after {@link #flush()}
     */
    public List<ChunkAudio> feed(float[] block, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, block.length);
        if (flushed) {
            throw new IllegalStateException("chunker already flushed");
        }
        if (buffered + length > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, buffered + length));
        }
        System.arraycopy(block, offset, buf, buffered, length);
        buffered += length;
        List<ChunkAudio> out = List.of();
        while (buffered >= chunkSamples) {
            if (out.isEmpty()) {
                out = new ArrayList<>(2);
            }
            out.add(emit(chunkSamples));
            System.arraycopy(buf, hopSamples, buf, 0, buffered - hopSamples);
            buffered -= hopSamples;
            bufStart += hopSamples;
        }
        return out;
    }

    /**
     * Ends the stream: returns the final partial chunk (from the next window start to the last sample fed) if
     * it holds samples no earlier chunk had and is at least {@link #MIN_FINAL_CHUNK_MS} long; otherwise
     * nothing, and those samples are dropped. The chunker accepts no more samples afterwards.
     */
    public List<ChunkAudio> flush() {
        if (flushed) {
            return List.of();
        }
        flushed = true;
        boolean hasNewSamples = bufStart + buffered > emittedEnd;
        List<ChunkAudio> out = hasNewSamples && buffered >= minFinalSamples ? List.of(emit(buffered)) : List.of();
        bufStart += buffered;
        buffered = 0;
        return out;
    }

    private ChunkAudio emit(int length) {
        float[] samples = java.util.Arrays.copyOf(buf, length);
        emittedEnd = bufStart + length;
        chunksEmitted++;
        return new ChunkAudio(instantOf(bufStart), samples, sampleRateHz,
                Loudness.rms(samples, 0, length) < silenceRms);
    }

    /** UTC instant of absolute sample {@code sampleIndex} of this stream (0 = first sample), exact to the ns. */
    public Instant instantOf(long sampleIndex) {
        long seconds = sampleIndex / sampleRateHz;
        long nanos = (sampleIndex % sampleRateHz) * 1_000_000_000L / sampleRateHz;
        return firstSampleAt.plusSeconds(seconds).plusNanos(nanos);
    }

    /** UTC instant of the stream's first sample. */
    public Instant firstSampleAt() {
        return firstSampleAt;
    }

    /** Samples fed so far. */
    public long samplesFed() {
        return bufStart + buffered;
    }

    /** Chunks emitted so far (including a final partial one). */
    public int chunksEmitted() {
        return chunksEmitted;
    }

    /** Samples in a full chunk. */
    public int chunkSamples() {
        return chunkSamples;
    }

    /** Samples between the starts of consecutive chunks. */
    public int hopSamples() {
        return hopSamples;
    }
}
