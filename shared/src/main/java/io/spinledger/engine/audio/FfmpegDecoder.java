package io.spinledger.engine.audio;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one FFmpeg decoder (JavaCV {@link FFmpegFrameGrabber}, no system install needed): opens a source (bytes
 * in memory, a file, or a live stream URL with network timeouts), has FFmpeg resample it to mono float PCM at
 * one sample rate, and hands it out block by block ({@link #read()}, one decoded frame per call). Used by
 * {@link AudioDecoder} (uploads and files) and by {@code io.spinledger.stage.capture.StreamCapture} (live streams), so
 * every caller sees the same frames:
 * <ul>
 *   <li><b>sample format</b>: float, 16-bit, 32-bit integer, double and unsigned 8-bit buffers become float
 *       in [-1, 1];</li>
 *   <li><b>channels</b>: FFmpeg downmixes to mono; if a frame still has several channels (interleaved or
 *       planar) they are averaged;</li>
 *   <li><b>range</b>: samples are clamped to [-1, 1] (resampling overshoot of clipped audio) and NaN is 0;</li>
 *   <li><b>empty frames</b> are skipped; <b>end of input</b> is {@code null} from {@link #read()};</li>
 *   <li><b>a read or decode error</b> (corrupt data, truncated input, network error or timeout) throws
 *       {@link AudioDecodingException} and ends the decoding; the blocks already read stay valid, so a caller
 *       can keep what decoded (a truncated file) or reconnect (a live stream).</li>
 * </ul>
 *
 * <p>Exception messages are FFmpeg's reason without JavaCV's hints, with FFmpeg's text for its error code
 * (e.g. "... error -110 [Connection timed out]"); callers add what they were decoding. One instance is one
 * decoding session: not thread-safe, {@link #close()} when done.
 */
public final class FfmpegDecoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FfmpegDecoder.class);

    private static final boolean NATIVES_LOADED;

    static {
        boolean loaded = false;
        try {
            // FFmpeg logs every probe and resync to stderr by default; keep only errors.
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            FFmpegFrameGrabber.tryLoad();
            loaded = true;
        } catch (Exception | LinkageError e) {
            LOG.error("FFmpeg natives could not be loaded: {}", e.toString());
        }
        NATIVES_LOADED = loaded;
    }

    private final FFmpegFrameGrabber grabber;
    private final int sampleRateHz;
    private boolean opened;
    private boolean ended;
    private boolean closed;
    private long bytesReadAtClose;

    private FfmpegDecoder(FFmpegFrameGrabber grabber, int sampleRateHz) {
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sampleRateHz must be positive, got " + sampleRateHz);
        }
        this.grabber = grabber;
        this.sampleRateHz = sampleRateHz;
        grabber.setSampleRate(sampleRateHz);
        grabber.setAudioChannels(1);
        grabber.setSampleMode(FrameGrabber.SampleMode.FLOAT);
    }

    /**
     * Loads FFmpeg's natives if not done yet (once per JVM; call it early so the loading does not fall inside
     * the timing of a first connection).
     *
     * @return true when they loaded; when false, every {@link #open()} fails
     */
    public static boolean loadNatives() {
        return NATIVES_LOADED;
    }

    /**
     * A decoder of an encoded file held in memory (any container/codec FFmpeg reads). FFmpeg may seek anywhere in
     * the array while probing (Ogg and MP4 need it).
     *
     * @param encoded      the whole file, not copied: do not modify it while decoding
     * @param sampleRateHz output sample rate, positive
     */
    public static FfmpegDecoder ofBytes(byte[] encoded, int sampleRateHz) {
        Objects.requireNonNull(encoded, "encoded");
        return new FfmpegDecoder(new FFmpegFrameGrabber(new ByteArrayInputStream(encoded), encoded.length),
                sampleRateHz);
    }

    /**
     * A decoder of an audio file.
     *
     * @param file         path of the file
     * @param sampleRateHz output sample rate, positive
     */
    public static FfmpegDecoder ofFile(Path file, int sampleRateHz) {
        return new FfmpegDecoder(new FFmpegFrameGrabber(file.toFile()), sampleRateHz);
    }

    /**
     * A decoder of a live stream (HTTP/Icecast or anything FFmpeg opens). Every blocking network call (connect,
     * read) gives up after {@code timeoutMs}. FFmpeg's own reconnect is off for live streams, because it would
     * splice audio across a gap: the caller reconnects. The format probe is small (16 KB, 0.5 s), enough for
     * MP3, AAC (ADTS) and Ogg, so a raw MP3 stream is recognised in about a second instead of eight.
     *
     * @param url          stream URL
     * @param sampleRateHz output sample rate, positive
     * @param timeoutMs    connect and read timeout in ms (at least 1)
     */
    public static FfmpegDecoder ofStream(String url, int sampleRateHz, long timeoutMs) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(Objects.requireNonNull(url, "url"));
        String timeoutMicros = Long.toString(Math.max(1, timeoutMs) * 1000L);
        g.setOption("rw_timeout", timeoutMicros);   // any protocol: longest blocking read/write
        g.setOption("timeout", timeoutMicros);      // http/tcp: socket connect and I/O timeout
        g.setOption("reconnect", "1");              // seekable (non-live) HTTP only: resume at the same offset
        g.setOption("reconnect_streamed", "0");     // live: the caller reconnects and re-anchors
        g.setOption("user_agent", "SpinLedger-capture/0.1");
        // A raw MP3 stream has no magic number: with FFmpeg's default 1 MB format probe it takes ~8 s of a
        // 128 kbit/s stream to recognise it. 16 KB (about 1 s) is enough for MP3, AAC (ADTS) and Ogg.
        g.setOption("formatprobesize", "16384");
        g.setOption("analyzeduration", "500000");
        return new FfmpegDecoder(g, sampleRateHz);
    }

    /**
     * Opens the source and probes its format (for a stream: connects; JavaCV retries a failed open once, so this
     * can block up to twice the timeout).
     *
     * @throws AudioDecodingException when the source cannot be opened or is not a format FFmpeg reads
     * @throws IllegalStateException  when already opened or closed
     */
    public void open() {
        if (opened || closed) {
            throw new IllegalStateException("decoder already " + (closed ? "closed" : "opened"));
        }
        try {
            grabber.start();
        } catch (Exception e) {
            throw new AudioDecodingException(describe(e), e);
        }
        opened = true;
    }

    /** True when the opened source has an audio stream. */
    public boolean hasAudio() {
        return opened && grabber.hasAudio();
    }

    /** FFmpeg's name of the opened container format (e.g. "mp3", "ogg"), or null before {@link #open()}. */
    public String formatName() {
        return opened ? grabber.getFormat() : null;
    }

    /** The output sample rate in Hz. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /**
     * The next block of decoded audio: mono float samples in [-1, 1] at {@link #sampleRateHz()}, never empty.
     *
     * @return the block, or null at the end of the input (and on every call after it)
     * @throws AudioDecodingException when the source has no audio stream, or on a read or decode error (which
     *                                ends the decoding: later calls return null)
     * @throws IllegalStateException  before {@link #open()} or after {@link #close()}
     */
    public float[] read() {
        if (!opened || closed) {
            throw new IllegalStateException("decoder not open");
        }
        if (ended) {
            return null;
        }
        if (!grabber.hasAudio()) {
            ended = true;
            throw new AudioDecodingException("no audio stream");
        }
        while (true) {
            Frame frame;
            try {
                frame = grabber.grabSamples();
            } catch (Exception e) {
                ended = true;
                throw new AudioDecodingException(describe(e), e);
            }
            if (frame == null) {
                ended = true;
                return null;
            }
            float[] block = mono(frame);
            if (block.length > 0) {
                return block;
            }
        }
    }

    /** Bytes FFmpeg has read from the source so far (network or file), still known after {@link #close()}. */
    public long bytesRead() {
        return closed ? bytesReadAtClose : bytesRead(grabber);
    }

    /** Releases FFmpeg's context and the connection. Idempotent; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        bytesReadAtClose = bytesRead(grabber);
        closed = true;
        try {
            grabber.close(); // stop() + release()
        } catch (Exception e) {
            LOG.debug("closing FFmpeg failed: {}", e.toString());
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
    static String describe(Throwable e) {
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
                    m = m + " [" + new String(text, 0, end, StandardCharsets.UTF_8) + "]";
                }
            } catch (RuntimeException ignored) {
                // keep the raw message
            }
        }
        return m;
    }

    /**
     * A decoded frame as mono float samples in [-1, 1]: converted from its sample format, channels averaged if
     * FFmpeg left more than one (interleaved in one buffer, or one buffer per channel), clamped, NaN as 0.
     *
     * @return the samples; empty when the frame holds none
     * @throws AudioDecodingException for a sample buffer type FFmpeg does not produce for audio
     */
    static float[] mono(Frame frame) {
        Buffer[] planes = frame.samples;
        if (planes == null || planes.length == 0 || planes[0] == null) {
            return new float[0];
        }
        float[] out;
        if (planes.length == 1) {
            int channels = Math.max(1, frame.audioChannels);
            float[] interleaved = toFloats(planes[0]);
            if (channels == 1) {
                out = interleaved;
            } else {
                out = new float[interleaved.length / channels];
                for (int i = 0; i < out.length; i++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += interleaved[i * channels + c];
                    }
                    out[i] = sum / channels;
                }
            }
        } else {
            out = toFloats(planes[0]);
            for (int p = 1; p < planes.length; p++) {
                float[] plane = toFloats(planes[p]);
                for (int i = 0; i < out.length && i < plane.length; i++) {
                    out[i] += plane[i];
                }
            }
            for (int i = 0; i < out.length; i++) {
                out[i] /= planes.length;
            }
        }
        for (int i = 0; i < out.length; i++) {
            float s = out[i];
            out[i] = s > 1f ? 1f : (s < -1f ? -1f : (Float.isNaN(s) ? 0f : s));
        }
        return out;
    }

    /** The buffer's remaining samples as floats (the buffer's position is left as it was). */
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
        if (buffer instanceof IntBuffer ib) {
            IntBuffer d = ib.duplicate();
            float[] out = new float[d.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (d.get() / 2147483648.0);
            }
            return out;
        }
        if (buffer instanceof DoubleBuffer db) {
            DoubleBuffer d = db.duplicate();
            float[] out = new float[d.remaining()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) d.get();
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
        throw new AudioDecodingException("unsupported sample buffer " + buffer.getClass().getName());
    }
}
