package io.spinledger.engine.fingerprint;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A track's distinct anchor peaks (frame, pitch) in frame order, packed in about 1.5 bytes each
 * for the {@link PeakCheck}. Layout: a LEB128 varint count n; n pitch bytes; n frame deltas (from
 * the previous anchor, the first from frame 0) as 4-bit nibbles, two per byte, low nibble first,
 * where 15 means "15 or more, the rest follows"; then, for each such delta in order, a LEB128
 * varint of {@code delta - 15}. Anchors are about 4 frames apart (10 per second), so the escape
 * is rare outside silences.
 */
final class AnchorStrip {
    private static final int ESCAPE = 15;

    private AnchorStrip() {
    }

    /**
     * Packs anchors.
     *
     * @param keys {@code frame << 8 | pitch}, ascending and distinct, frames non-negative
     * @param n    how many of {@code keys} to pack
     */
    static byte[] encode(long[] keys, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 3 / 2 + 8);
        varint(out, n);
        for (int i = 0; i < n; i++) {
            out.write((int) (keys[i] & 0xff));
        }
        ByteArrayOutputStream overflow = new ByteArrayOutputStream();
        int previous = 0;
        int pending = -1;
        for (int i = 0; i < n; i++) {
            int frame = (int) (keys[i] >>> 8);
            int delta = frame - previous;
            previous = frame;
            int nibble = Math.min(delta, ESCAPE);
            if (nibble == ESCAPE) {
                varint(overflow, delta - ESCAPE);
            }
            if (pending < 0) {
                pending = nibble;
            } else {
                out.write(pending | nibble << 4);
                pending = -1;
            }
        }
        if (pending >= 0) {
            out.write(pending);
        }
        out.writeBytes(overflow.toByteArray());
        return out.toByteArray();
    }

    /**
     * The anchors with frames in {@code [fromFrame, toFrame]}.
     *
     * @return {frames, pitches}, two arrays of equal length in frame order
     */
    static int[][] decode(byte[] strip, int fromFrame, int toFrame) {
        int[] at = {0};
        int n = readVarint(strip, at);
        int pitches = at[0];
        int nibbles = pitches + n;
        at[0] = nibbles + (n + 1) / 2;
        int[] frames = new int[Math.min(n, 64)];
        int[] pitch = new int[frames.length];
        int count = 0;
        int frame = 0;
        for (int i = 0; i < n; i++) {
            int b = strip[nibbles + (i >> 1)];
            int delta = (i & 1) == 0 ? b & 0xf : (b >> 4) & 0xf;
            if (delta == ESCAPE) {
                delta += readVarint(strip, at);
            }
            frame += delta;
            if (frame > toFrame) {
                break;
            }
            if (frame >= fromFrame) {
                if (count == frames.length) {
                    frames = Arrays.copyOf(frames, count * 2);
                    pitch = Arrays.copyOf(pitch, count * 2);
                }
                frames[count] = frame;
                pitch[count] = strip[pitches + i] & 0xff;
                count++;
            }
        }
        return new int[][] {Arrays.copyOf(frames, count), Arrays.copyOf(pitch, count)};
    }

    private static void varint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write(v & 0x7f | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(byte[] b, int[] at) {
        int v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[at[0]++];
            v |= (x & 0x7f) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }
}
