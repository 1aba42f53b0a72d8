package io.spinledger.capture;

import io.spinledger.config.Settings;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records a live HTTP/Icecast stream (MP3, AAC, Ogg: whatever FFmpeg decodes) into overlapping, UTC-stamped
 * mono chunks until a deadline.
 *
 * <p>FFmpeg (JavaCV {@link FFmpegFrameGrabber}) opens the URL with network timeouts of
 * {@code connectTimeoutMs}, resamples to {@code sampleRateHz} mono float PCM, and a {@link Chunker} cuts it.
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
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try {
            FFmpegFrameGrabber.tryLoad(); // load the natives now, not inside the first connection's timing
        } catch (Exception e) {
            log.error("FFmpeg natives could not be loaded: {}", e.toString());
        }
    }

    private final Settings.Capture settings;
    private final double silenceRms;
    private volatile boolean cancelled;

    /** A capture with the settings' chunking, timeouts and backoff and the default silence threshold. */
    public StreamCapture(Settings.Capture settings) {
        this(settings, Chunker.DEFAULT_SILENCE_RMS);
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
                FFmpegFrameGrabber grabber = newGrabber();
                try {
                    decode(grabber);
                } catch (StreamFailure e) {
                    release(grabber);
                    finish();
                    throw e;
                } catch (RuntimeException | Error e) {
                    release(grabber); // sink or listener failed: no more chunks
                    throw e;
                }
                release(grabber);
                finish();
            }

            private void decode(FFmpegFrameGrabber grabber) throws StreamFailure {
                long startNanos = System.nanoTime();
                try {
                    grabber.start();
                } catch (Exception | LinkageError e) {
                    throw new StreamFailure("cannot open stream: " + describe(e));
                }
                connectStartedNanos = startNanos; // connected time includes FFmpeg's probing of the stream
                openedNanos = System.nanoTime();
                connections++;
                log.info("[{}] connected to {} ({}, {} Hz, {} ch)", stationId, url, grabber.getFormat(),
                        grabber.getSampleRate(), grabber.getAudioChannels());
                listener.onConnected(url, wallAt(openedNanos));
                if (!grabber.hasAudio()) {
                    throw new StreamFailure("stream has no audio");
                }
                while (!stopRequested()) {
                    float[] block;
                    try {
                        Frame frame = grabber.grabSamples();
                        if (frame == null) {
                            throw new StreamFailure("stream ended");
                        }
                        block = mono(frame);
                    } catch (StreamFailure e) {
                        throw e;
                    } catch (Exception | LinkageError e) {
                        throw new StreamFailure("read/decode error: " + describe(e));
                    }
                    if (block.length > 0) {
                        accept(block, System.nanoTime());
                    }
                }
            }

            private void release(FFmpegFrameGrabber grabber) {
                if (connectStartedNanos != 0) {
                    connectedNanos += System.nanoTime() - connectStartedNanos;
                }
                bytesRead += bytesRead(grabber);
                try {
                    grabber.close(); // stop() + release()
                } catch (Exception e) {
                    log.debug("[{}] closing the grabber failed: {}", stationId, e.toString());
                }
            }

            private void accept(float[] block, long arrivedNanos) {
                samples += block.length;
                Run.this.samples += block.length;
                long bound = arrivedNanos - samples * 1_000_000_000L / rate;
                if (ChunkAudio.rms(block, 0, block.length) >= silenceRms
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

        private FFmpegFrameGrabber newGrabber() {
            FFmpegFrameGrabber g = new FFmpegFrameGrabber(url);
            String timeoutMicros = Long.toString(Math.max(1, settings.connectTimeoutMs()) * 1000L);
            g.setOption("rw_timeout", timeoutMicros);   // any protocol: longest blocking read/write
            g.setOption("timeout", timeoutMicros);      // http/tcp: socket connect and I/O timeout
            g.setOption("reconnect", "1");              // seekable (non-live) HTTP only: resume at the same offset
            g.setOption("reconnect_streamed", "0");     // live: we reconnect ourselves and re-anchor
            g.setOption("user_agent", "SpinLedger-capture/0.1");
            // A raw MP3 stream has no magic number: with FFmpeg's default 1 MB format probe it takes ~8 s of a
            // 128 kbit/s stream to recognise it. 16 KB (about 1 s) is enough for MP3, AAC (ADTS) and Ogg.
            g.setOption("formatprobesize", "16384");
            g.setOption("analyzeduration", "500000");
            g.setAudioChannels(1);
            g.setSampleRate(settings.sampleRateHz());
            g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
            return g;
        }

    }

    private static long bytesRead(FFmpegFrameGrabber grabber) {
        try {
            AVFormatContext ctx = grabber.getFormatContext();
            return ctx == null || ctx.isNull() || ctx.pb() == null || ctx.pb().isNull() ? 0 : ctx.pb().bytes_read();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static final Pattern AV_ERROR = Pattern.compile("error (-\\d+)");

    /** The exception's message without JavaCV's hints, with FFmpeg's text for its error code. */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        for (String hint : new String[] {" (Has setFormat()", " (For more details"}) {
            int at = m.indexOf(hint);
            if (at >= 0) {
                m = m.substring(0, at);
            }
        }
        Matcher code = AV_ERROR.matcher(m);
        if (code.find()) {
            try {
                byte[] text = new byte[256];
                if (avutil.av_strerror(Integer.parseInt(code.group(1)), text, text.length) == 0) {
                    int end = 0;
                    while (end < text.length && text[end] != 0) {
                        end++;
                    }
                    m = m + " [" + new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8) + "]";
                }
            } catch (RuntimeException ignored) {
                // keep the raw message
            }
        }
        return m;
    }

    /** Copies a decoded frame to mono float samples (averaging channels if FFmpeg left more than one). */
    static float[] mono(Frame frame) {
        Buffer[] planes = frame.samples;
        if (planes == null || planes.length == 0 || planes[0] == null) {
            return new float[0];
        }
        int channels = Math.max(1, frame.audioChannels);
        if (planes.length == 1) {
            float[] interleaved = toFloats(planes[0]);
            if (channels == 1) {
                return interleaved;
            }
            float[] out = new float[interleaved.length / channels];
            for (int i = 0; i < out.length; i++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += interleaved[i * channels + c];
                }
                out[i] = sum / channels;
            }
            return out;
        }
        float[] out = toFloats(planes[0]);
        for (int p = 1; p < planes.length; p++) {
            float[] plane = toFloats(planes[p]);
            for (int i = 0; i < out.length && i < plane.length; i++) {
                out[i] += plane[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= planes.length;
        }
        return out;
    }

    private static float[] toFloats(Buffer buffer) {
        if (buffer instanceof FloatBuffer fb) {
            FloatBuffer d = fb.duplicate();
            float[] out = new float[d.remaining()];
            d.get(out);
            return out;
        }
        if (buffer instanceof ShortBuffer sb) {
            ShortBuffer d = sb.duplicate();
            float[] out = new float[d.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = d.get() / 32768f;
            }
            return out;
        }
        if (buffer instanceof ByteBuffer bb) {
            // unsigned 8-bit PCM
            ByteBuffer d = bb.duplicate();
            float[] out = new float[d.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((d.get() & 0xff) - 128) / 128f;
            }
            return out;
        }
        throw new IllegalStateException("unsupported sample buffer " + buffer.getClass().getName());
    }
}
