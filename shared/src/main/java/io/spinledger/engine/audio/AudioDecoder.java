package io.spinledger.engine.audio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes any audio FFmpeg knows (MP3, AAC, Ogg Vorbis/Opus, WAV, FLAC, ...) into mono float PCM at
 * one sample rate, using FFmpeg through JavaCV (no system install needed) by way of {@link FfmpegDecoder}, which
 * resamples, downmixes and converts frames exactly as for live streams. Instances are immutable and thread-safe;
 * each call opens its own FFmpeg context.
 *
 * <p>Truncated or partly corrupt audio returns what decodes; input with no decodable audio
 * throws {@link AudioDecodingException}. Decoding stops with an exception once more than
 * {@code maxDurationMs} of audio has come out, so a runaway input cannot exhaust memory.
 */
public final class AudioDecoder {
    /** The sample rate the fingerprinter uses unless configured otherwise. */
    public static final int DEFAULT_SAMPLE_RATE_HZ = 11_025;
    /** Longest audio one call decodes by default: 3 hours. */
    public static final long DEFAULT_MAX_DURATION_MS = 3L * 3600 * 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AudioDecoder.class);

    private final int sampleRateHz;
    private final long maxDurationMs;

    /** A decoder to {@value #DEFAULT_SAMPLE_RATE_HZ} Hz mono. */
    public AudioDecoder() {
        this(DEFAULT_SAMPLE_RATE_HZ, DEFAULT_MAX_DURATION_MS);
    }

    /**
     * @param sampleRateHz  output sample rate, 4000..192000 Hz
     * @param maxDurationMs longest output accepted, positive
     */
    public AudioDecoder(int sampleRateHz, long maxDurationMs) {
        if (sampleRateHz < 4000 || sampleRateHz > 192_000) {
            throw new IllegalArgumentException("sampleRateHz out of range: " + sampleRateHz);
        }
        if (maxDurationMs <= 0) {
            throw new IllegalArgumentException("maxDurationMs must be positive: " + maxDurationMs);
        }
        this.sampleRateHz = sampleRateHz;
        this.maxDurationMs = maxDurationMs;
    }

    /** The output sample rate in Hz. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /**
     * Decodes an encoded audio file held in memory.
     *
     * @param encoded the whole file (any container/codec FFmpeg reads)
     * @return mono PCM at {@link #sampleRateHz()}
     * @throws AudioDecodingException if the bytes are empty or hold no decodable audio
     */
    public Pcm decode(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            throw new AudioDecodingException("no audio: input is empty");
        }
        String what = "in-memory audio (" + encoded.length + " bytes)";
        return decode(FfmpegDecoder.ofBytes(encoded, sampleRateHz), what, maxDurationMs, false);
    }

    /**
     * Decodes only the beginning of an encoded file: a cheap check that an upload is audio before it is
     * accepted for later processing.
     *
     * @param encoded the whole file
     * @param firstMs how much to decode at most
     * @return the first {@code firstMs} (or less, for shorter audio)
     * @throws AudioDecodingException if the bytes are empty or hold no decodable audio
     */
    public Pcm decodeStart(byte[] encoded, long firstMs) {
        if (encoded == null || encoded.length == 0) {
            throw new AudioDecodingException("no audio: input is empty");
        }
        String what = "in-memory audio (" + encoded.length + " bytes)";
        return decode(FfmpegDecoder.ofBytes(encoded, sampleRateHz), what, firstMs, true);
    }

    /**
     * Decodes an audio file.
     *
     * @param file path of a readable file
     * @return mono PCM at {@link #sampleRateHz()}
     * @throws AudioDecodingException if the file is missing, empty or holds no decodable audio
     */
    public Pcm decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AudioDecodingException("no audio: not a readable file: " + file);
        }
        try {
            if (Files.size(file) == 0) {
                throw new AudioDecodingException("no audio: file is empty: " + file);
            }
        } catch (java.io.IOException e) {
            throw new AudioDecodingException("cannot read " + file, e);
        }
        return decode(FfmpegDecoder.ofFile(file, sampleRateHz), file.toString(), maxDurationMs, false);
    }

    private Pcm decode(FfmpegDecoder source, String what, long limitMs, boolean truncate) {
        long maxSamples = limitMs * sampleRateHz / 1000;
        float[] out = new float[sampleRateHz * 30];
        int size = 0;
        try (source) {
            try {
                source.open();
            } catch (AudioDecodingException e) {
                throw new AudioDecodingException("not decodable audio: " + what + ": " + e.getMessage(), e);
            }
            if (!source.hasAudio()) {
                throw new AudioDecodingException("no audio stream in " + what);
            }
            while (true) {
                float[] block;
                try {
                    block = source.read();
                } catch (AudioDecodingException e) {
                    if (size == 0) {
                        throw new AudioDecodingException("corrupt audio: " + what + ": " + e.getMessage(), e);
                    }
                    LOG.warn("audio truncated or corrupt after {} ms in {}: {}",
                            size * 1000L / sampleRateHz, what, e.getMessage());
                    break;
                }
                if (block == null) {
                    break;
                }
                int n = block.length;
                if (size + (long) n > maxSamples) {
                    if (!truncate) {
                        throw new AudioDecodingException("audio longer than " + limitMs + " ms: " + what);
                    }
                    n = (int) (maxSamples - size);
                    if (size + n > out.length) {
                        out = Arrays.copyOf(out, size + n);
                    }
                    System.arraycopy(block, 0, out, size, n);
                    size += n;
                    break;
                }
                if (size + n > out.length) {
                    out = Arrays.copyOf(out, Math.max(size + n, out.length * 2));
                }
                System.arraycopy(block, 0, out, size, n);
                size += n;
            }
        }
        if (size == 0) {
            throw new AudioDecodingException("no decodable audio samples in " + what);
        }
        return new Pcm(Arrays.copyOf(out, size), sampleRateHz);
    }
}
