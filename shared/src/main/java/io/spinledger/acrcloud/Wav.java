package io.spinledger.acrcloud;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Minimal RIFF/WAVE helpers for preparing identify samples (ACRCloud prefers clips under 15 s; its SDKs
 * send 12 s windows). Works on PCM WAV of any channel count and sample size; chunks other than
 * {@code fmt } and {@code data} are dropped.
 */
public final class Wav {
    private Wav() {
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
