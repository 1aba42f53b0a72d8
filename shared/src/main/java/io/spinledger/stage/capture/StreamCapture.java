package io.spinledger.stage.capture;

import io.spinledger.config.Settings;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.engine.audio.FfmpegDecoder;
import io.spinledger.engine.audio.Loudness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Records a live HTTP/Icecast stream (MP3, AAC, Ogg: whatever FFmpeg decodes) into overlapping, UTC-stamped
 * mono chunks until a deadline.
 *
 * <p>{@link FfmpegDecoder#ofStream} (FFmpeg through JavaCV, the same decoder and frame handling as for files)
 * opens the URL with network timeouts of {@code connectTimeoutMs}, resamples to {@code sampleRateHz} mono float
 * PCM, and a {@link Chunker} cuts it.
 * When the connection is refused, times out, ends or fails to decode, the capture reconnects with
 * exponential backoff (1 s, doubling, capped at {@code maxBackoffMs}, no attempt past the deadline). Each
 * connection starts a new chunker with its own anchor, so a gap in the stream is a gap between chunks.
 * FFmpeg's own HTTP reconnect is left off for live streams because it would splice audio across a gap and
 * shift every later instant.
 *
 * <p><b>Timing.</b> A live stream cannot deliver a sample before it is produced, so for every decoded block
 * {@code arrival - samplesSoFar / rate} is an upper bound of the instant of the connection's first sample.
 * The anchor is the smallest such bound over the first chunk's worth of audio: with a server that sends
 * live audio only this is the instant the first audio arrived; server bursts (old audio sent at connect)
 * and FFmpeg's probing buffer are removed from it. It cannot remove the server's and encoder's own
 * latency, so instants are "as received", typically a fraction of a second after the broadcast.
 *
 * <p>One capture at a time per instance. A dead stream never throws out of {@link #capture}; exceptions
 * thrown by the sink or the listener do propagate (the grabber is closed first).
 */
public final class StreamCapture {

    private static final Logger log = LoggerFactory.getLogger(StreamCapture.class);

    /** First reconnect delay; doubles per consecutive failure up to {@code maxBackoffMs}. */
    public static final long INITIAL_BACKOFF_MS = 1_000;

    private static final long AUDIO_EVENT_INTERVAL_NANOS = 1_000_000_000L;

    /** The anchor is fixed no sooner than this after the stream opened, so FFmpeg's probe backlog is drained. */
    private static final long ANCHOR_SETTLE_NANOS = 1_000_000_000L;

    static {
        FfmpegDecoder.loadNatives(); // load the natives now, not inside the first connection's timing
    }

    private final Settings.Capture settings;
    private final double silenceRms;
    private volatile boolean cancelled;

    /** A capture with the settings' chunking, timeouts and backoff and the silence threshold {@link Loudness#SILENCE_RMS}. */
    public StreamCapture(Settings.Capture settings) {
        this(settings, Loudness.SILENCE_RMS);
    }

    /**
     * @param settings   chunk length/overlap, sample rate, connect/read timeout, longest backoff
     * @param silenceRms RMS level below which audio counts as silence
     */
    public StreamCapture(Settings.Capture settings, double silenceRms) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.silenceRms = silenceRms;
    }

    /**
     * Stops the running (or next) capture: it flushes its last chunk and returns within one decoded frame,
     * or when a blocked network call times out ({@code connectTimeoutMs}; up to twice that while opening,
     * because JavaCV retries a failed open once). Interrupting the capturing thread has the same effect.
     * Sticky: a cancelled instance does not capture again.
     */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Captures {@code url} until {@code deadline}, handing each chunk to {@code sink} as soon as it is cut
     * (the final partial chunk of each connection too, if at least {@link Chunker#MIN_FINAL_CHUNK_MS} long).
     *
     * @param stationId station id, for logs and the result
     * @param url       stream URL (http, https or anything FFmpeg opens)
     * @param deadline  UTC instant at which to stop (the segment end)
     * @param sink      receives chunks in order, on the calling thread
     * @param listener  receives health events, on the calling thread
     * @return what was captured; never throws for stream problems
     */
    public CaptureResult capture(String stationId, String url, Instant deadline, Consumer<ChunkAudio> sink,
                                 CaptureListener listener) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(sink, "sink");
        listener = listener == null ? CaptureListener.NONE : listener;
        Run run = new Run(stationId, url, deadline, sink, listener);
        return run.execute();
    }

    /** Why a connection ended. */
    private static final class StreamFailure extends Exception {
        StreamFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** State of one capture() call. */
    private final class Run {
        private final String stationId;
        private final String url;
        private final Instant deadline;
        private final Consumer<ChunkAudio> sink;
        private final CaptureListener listener;
        private final Instant wallBase = Instant.now();
        private final long nanoBase = System.nanoTime();
        private final long deadlineNanos;

        private int chunks;
        private long samples;
        private long bytesRead;
        private int connections;
        private int errors;
        private long connectedNanos;
        private String lastError;

        Run(String stationId, String url, Instant deadline, Consumer<ChunkAudio> sink, CaptureListener listener) {
            this.stationId = stationId;
            this.url = url;
            this.deadline = deadline;
            this.sink = sink;
            this.listener = listener;
            long untilDeadline = Duration.between(wallBase, deadline).toNanos();
            this.deadlineNanos = nanoBase + Math.max(0, untilDeadline);
        }

        CaptureResult execute() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            boolean cpuSupported = threads.isCurrentThreadCpuTimeSupported();
            long cpuStart = cpuSupported ? threads.getCurrentThreadCpuTime() : 0;
            log.info("[{}] capturing {} until {}", stationId, url, deadline);
            int consecutiveErrors = 0;
            long backoffMs = INITIAL_BACKOFF_MS;
            while (!stopRequested()) {
                boolean gotAudio;
                String failure;
                Connection connection = new Connection();
                try {
                    connection.run();
                    break; // deadline or cancellation
                } catch (StreamFailure e) {
                    failure = e.getMessage();
                    gotAudio = connection.samples > 0;
                }
                errors++;
                lastError = failure;
                if (gotAudio) {
                    consecutiveErrors = 0;
                    backoffMs = INITIAL_BACKOFF_MS;
                }
                consecutiveErrors++;
                long nextNanos = System.nanoTime() + backoffMs * 1_000_000L;
                boolean retry = nextNanos < deadlineNanos && !stopRequested();
                Instant nextAttemptAt = retry ? wallAt(nextNanos) : null;
                log.warn("[{}] stream error #{} ({} in a row): {}; {}", stationId, errors, consecutiveErrors, failure,
                        retry ? "reconnecting in " + backoffMs + " ms" : "no attempt left before the deadline");
                listener.onError(failure, consecutiveErrors, nextAttemptAt);
                if (!retry || !sleepUntil(nextNanos)) {
                    break;
                }
                backoffMs = Math.min(backoffMs * 2, Math.max(INITIAL_BACKOFF_MS, settings.maxBackoffMs()));
            }
            long cpuMs = cpuSupported ? (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000L : -1;
            boolean wasCancelled = cancelled || Thread.currentThread().isInterrupted();
            CaptureResult result = new CaptureResult(stationId, url, chunks, samples, settings.sampleRateHz(),
                    bytesRead, connections, errors, connectedNanos / 1_000_000L, cpuMs,
                    wasCancelled && System.nanoTime() < deadlineNanos, lastError);
            log.info("[{}] capture done: {} chunks, {} ms audio, {} connections, {} errors, {} ms connected, {} ms CPU",
                    stationId, chunks, result.audioMs(), connections, errors, result.connectedMs(), cpuMs);
            return result;
        }

        private boolean stopRequested() {
            return cancelled || Thread.currentThread().isInterrupted() || System.nanoTime() >= deadlineNanos;
        }

        /** Sleeps until {@code nanos}; false when cancelled or interrupted meanwhile. */
        private boolean sleepUntil(long nanos) {
            while (!cancelled) {
                long left = nanos - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        private Instant wallAt(long nanos) {
            return wallBase.plusNanos(nanos - nanoBase);
        }

        private void emit(List<ChunkAudio> cut) {
            for (ChunkAudio chunk : cut) {
                chunks++;
                listener.onChunk(chunk);
                if (chunk.silent()) {
                    listener.onSilence(chunk);
                }
                sink.accept(chunk);
            }
        }

        /** One connection: open, decode until deadline/cancel (returns) or failure (throws). */
        private final class Connection {
            private final int rate = settings.sampleRateHz();
            private long samples;
            private long connectStartedNanos;
            private long openedNanos;
            private Chunker chunker;
            private final List<float[]> pending = new ArrayList<>();
            private long anchorNanos = Long.MAX_VALUE;
            private long lastAudioEventNanos;
            private boolean audioReported;

            void run() throws StreamFailure {
                FfmpegDecoder decoder = FfmpegDecoder.ofStream(url, rate, settings.connectTimeoutMs());
                try {
                    decode(decoder);
                } catch (StreamFailure e) {
                    release(decoder);
                    finish();
                    throw e;
                } catch (RuntimeException | Error e) {
                    release(decoder); // sink or listener failed: no more chunks
                    throw e;
                }
                release(decoder);
                finish();
            }

            private void decode(FfmpegDecoder decoder) throws StreamFailure {
                long startNanos = System.nanoTime();
                try {
                    decoder.open();
                } catch (AudioDecodingException | LinkageError e) {
                    throw new StreamFailure("cannot open stream: " + e.getMessage());
                }
                connectStartedNanos = startNanos; // connected time includes FFmpeg's probing of the stream
                openedNanos = System.nanoTime();
                connections++;
                log.info("[{}] connected to {} ({}, {} Hz mono)", stationId, url, decoder.formatName(), rate);
                listener.onConnected(url, wallAt(openedNanos));
                if (!decoder.hasAudio()) {
                    throw new StreamFailure("stream has no audio");
                }
                while (!stopRequested()) {
                    float[] block;
                    try {
                        block = decoder.read();
                    } catch (AudioDecodingException | LinkageError e) {
                        throw new StreamFailure("read/decode error: " + e.getMessage());
                    }
                    if (block == null) {
                        throw new StreamFailure("stream ended");
                    }
                    accept(block, System.nanoTime());
                }
            }

            private void release(FfmpegDecoder decoder) {
                if (connectStartedNanos != 0) {
                    connectedNanos += System.nanoTime() - connectStartedNanos;
                }
                bytesRead += decoder.bytesRead();
                decoder.close();
            }

            private void accept(float[] block, long arrivedNanos) {
                samples += block.length;
                Run.this.samples += block.length;
                long bound = arrivedNanos - samples * 1_000_000_000L / rate;
                if (Loudness.rms(block) >= silenceRms
                        && (!audioReported || arrivedNanos - lastAudioEventNanos >= AUDIO_EVENT_INTERVAL_NANOS)) {
                    audioReported = true;
                    lastAudioEventNanos = arrivedNanos;
                    listener.onAudio(wallAt(arrivedNanos));
                }
                if (chunker != null) {
                    emit(chunker.feed(block));
                    return;
                }
                anchorNanos = Math.min(anchorNanos, bound);
                pending.add(block);
                if (samples >= (long) settings.chunkMs() * rate / 1000
                        && arrivedNanos - openedNanos >= ANCHOR_SETTLE_NANOS) {
                    startChunker();
                }
            }

            private void startChunker() {
                chunker = new Chunker(wallAt(anchorNanos), rate, settings.chunkMs(), settings.chunkOverlapMs(),
                        silenceRms);
                log.debug("[{}] first sample anchored at {}", stationId, chunker.firstSampleAt());
                for (float[] b : pending) {
                    emit(chunker.feed(b));
                }
                pending.clear();
            }

            /** Emits the connection's final partial chunk. */
            private void finish() {
                if (samples == 0) {
                    return;
                }
                if (chunker == null) {
                    startChunker();
                }
                emit(chunker.flush());
            }
        }
    }
}
