package io.spinledger.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes RIFF/WAVE files with 16-bit little-endian integer PCM in plain Java, so stored
 * chunks can be matched without FFmpeg. Writing always produces mono; reading accepts 1..8
 * channels and downmixes them to mono by averaging.
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
}
