package io.spinledger.engine.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes RIFF/WAVE files with 16-bit little-endian integer PCM in plain Java, so stored
 * chunks can be matched without FFmpeg. Writing always produces mono; reading accepts 1..8
 * channels and downmixes them to mono by averaging. {@link #trimToSeconds} cuts any PCM WAV to its middle
 * seconds at the byte level (identify samples for ACRCloud).
 * Format reference: Microsoft RIFF WAVE ("fmt " chunk with format tag 1 = PCM, then "data").
 */
public final class Wav {
    private static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /**
     * Encodes PCM as a 16-bit mono WAV file. Samples outside [-1, 1] are clipped.
     *
     * @param pcm the audio
     * @return the complete file bytes (44-byte header + 2 bytes per sample)
     */
    public static byte[] write(Pcm pcm) {
        float[] samples = pcm.samples();
        int dataBytes = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) 1).putShort((short) 1).putInt(pcm.sampleRateHz())
                .putInt(pcm.sampleRateHz() * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (float s : samples) {
            float c = s > 1f ? 1f : (s < -1f ? -1f : s);
            b.putShort((short) Math.round(c * 32767f));
        }
        return b.array();
    }

    /**
     * Decodes a 16-bit integer PCM WAV file.
     *
     * @param wav the complete file bytes
     * @return mono PCM at the file's sample rate, samples in [-1, 1]
     * @throws AudioDecodingException if the bytes are not a 16-bit PCM WAV file; a data chunk
     *                                shorter than its header claims is read as far as it goes
     */
    public static Pcm read(byte[] wav) {
        if (wav == null || wav.length < 12 || !tag(wav, 0, "RIFF") || !tag(wav, 8, "WAVE")) {
            throw new AudioDecodingException("not a RIFF/WAVE file");
        }
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int channels = 0;
        int sampleRateHz = 0;
        while (pos + 8 <= wav.length) {
            long chunkSize = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (tag(wav, pos, "fmt ")) {
                if (chunkSize < 16 || body + 16 > wav.length) {
                    throw new AudioDecodingException("WAV fmt chunk too short");
                }
                int format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                sampleRateHz = b.getInt(body + 4);
                int bits = b.getShort(body + 14) & 0xffff;
                boolean extensiblePcm = format == 0xFFFE;
                if ((format != 1 && !extensiblePcm) || bits != 16 || channels < 1 || channels > 8
                        || sampleRateHz <= 0) {
                    throw new AudioDecodingException("unsupported WAV: format " + format + ", " + bits
                            + " bits, " + channels + " channels, " + sampleRateHz + " Hz (need 16-bit PCM)");
                }
            } else if (tag(wav, pos, "data")) {
                if (channels == 0) {
                    throw new AudioDecodingException("WAV data chunk before fmt chunk");
                }
                long available = Math.min(chunkSize, wav.length - body);
                int frames = (int) (available / (2L * channels));
                float[] samples = new float[frames];
                for (int i = 0; i < frames; i++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(body + (i * channels + c) * 2);
                    }
                    samples[i] = sum / (32768f * channels);
                }
                return new Pcm(samples, sampleRateHz);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + chunkSize + (chunkSize & 1));
        }
        throw new AudioDecodingException("WAV file has no data chunk");
    }

    private static boolean tag(byte[] bytes, int at, String tag) {
        if (at + 4 > bytes.length) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (bytes[at + i] != (byte) tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Keeps the middle {@code maxSeconds} of a PCM WAV, or returns the input unchanged when it is not longer.
     *
     * @param wav        a RIFF/WAVE byte array (e.g. 16-bit mono)
     * @param maxSeconds longest duration to keep, in seconds, &gt; 0
     * @return a canonical 44-byte-header WAV of at most {@code maxSeconds}
     * @throws IllegalArgumentException when the bytes are not a PCM WAV with {@code fmt } and {@code data} chunks
     */
    public static byte[] trimToSeconds(byte[] wav, double maxSeconds) {
        if (maxSeconds <= 0) {
            throw new IllegalArgumentException("maxSeconds must be > 0, got " + maxSeconds);
        }
        ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || in.getInt(0) != 0x46464952 /* RIFF */ || in.getInt(8) != 0x45564157 /* WAVE */) {
            throw new IllegalArgumentException("not a RIFF/WAVE byte array");
        }
        int pos = 12;
        int fmtAt = -1;
        int fmtLen = 0;
        int dataAt = -1;
        int dataLen = 0;
        while (pos + 8 <= wav.length) {
            int id = in.getInt(pos);
            int len = in.getInt(pos + 4);
            if (len < 0) {
                break;
            }
            if (id == 0x20746d66 /* fmt  */) {
                fmtAt = pos + 8;
                fmtLen = len;
            } else if (id == 0x61746164 /* data */) {
                dataAt = pos + 8;
                dataLen = Math.min(len, wav.length - dataAt);
                break;
            }
            pos += 8 + len + (len & 1);
        }
        if (fmtAt < 0 || fmtLen < 16 || dataAt < 0) {
            throw new IllegalArgumentException("WAV has no fmt/data chunk");
        }
        int byteRate = in.getInt(fmtAt + 8);
        int blockAlign = Short.toUnsignedInt(in.getShort(fmtAt + 12));
        if (byteRate <= 0 || blockAlign <= 0) {
            throw new IllegalArgumentException("WAV fmt chunk has no byte rate/block align");
        }
        long maxBytes = (long) Math.floor(maxSeconds * byteRate / blockAlign) * blockAlign;
        if (dataLen <= maxBytes && fmtLen == 16 && dataAt == 44) {
            return wav;
        }
        int keep = (int) Math.min(dataLen - dataLen % blockAlign, maxBytes);
        int start = ((dataLen - keep) / 2) / blockAlign * blockAlign;
        ByteBuffer out = ByteBuffer.allocate(44 + keep).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46464952).putInt(36 + keep).putInt(0x45564157);
        out.putInt(0x20746d66).putInt(16).put(wav, fmtAt, 16);
        out.putInt(0x61746164).putInt(keep).put(wav, dataAt + start, keep);
        return out.array();
    }

    /**
     * Builds a canonical 16-bit mono PCM WAV from samples (handy for tests and for chunk audio).
     *
     * @param pcm          signed 16-bit samples
     * @param sampleRateHz sample rate
     */
    public static byte[] mono16(short[] pcm, int sampleRateHz) {
        int dataLen = pcm.length * 2;
        ByteBuffer out = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46464952).putInt(36 + dataLen).putInt(0x45564157);
        out.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRateHz)
                .putInt(sampleRateHz * 2).putShort((short) 2).putShort((short) 16);
        out.putInt(0x61746164).putInt(dataLen);
        for (short s : pcm) {
            out.putShort(s);
        }
        return out.array();
    }
}
