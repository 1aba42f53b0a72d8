package io.spinledger.engine.fingerprint;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Some tracks' fingerprints as an immutable, compact, self-checking binary segment: the unit the
 * index is stored in. A delta segment holds one newly registered track; a base segment, written by
 * compaction, holds many. Format version 2, big-endian, about 5 bytes per fingerprint:
 * <pre>
 *   int32  magic      0x534C4653 ("SLFS")
 *   int16  version    2
 *   int32  schemeId   {@link FingerprintConfig#schemeId()} of the extraction that made the hashes
 *   int32  tracks     number of tracks
 *   per track:
 *     int16   n        length of the track id in UTF-8 bytes (1..1024)
 *     byte[n] trackId  UTF-8
 *     int32   count    number of fingerprints
 *     per fingerprint, in frame order:
 *       varint  frame delta   anchor frame minus the previous one (LEB128, unsigned)
 *       byte[3] hash          24-bit triplet hash
 *       byte    pitch         anchor pitch step
 *   int32  crc32      CRC-32 of every byte before it
 * </pre>
 *
 * @param schemeId the extraction scheme the hashes belong to
 * @param tracks   fingerprints by track id, in write order
 */
public record IndexSegment(int schemeId, Map<String, Fingerprints> tracks) {
    /** "SLFS". */
    public static final int MAGIC = 0x534C4653;
    /** The format version this code writes and reads. */
    public static final short VERSION = 2;
    private static final int MAX_TRACK_ID_BYTES = 1024;

    /** @throws IllegalArgumentException on an empty or over-long track id */
    public IndexSegment {
        Objects.requireNonNull(tracks, "tracks");
        for (String id : tracks.keySet()) {
            int len = id == null ? 0 : id.getBytes(StandardCharsets.UTF_8).length;
            if (len == 0 || len > MAX_TRACK_ID_BYTES) {
                throw new IllegalArgumentException("trackId must be 1.." + MAX_TRACK_ID_BYTES + " UTF-8 bytes");
            }
        }
        tracks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tracks));
    }

    /** A one-track segment. */
    public static IndexSegment of(String trackId, int schemeId, Fingerprints fingerprints) {
        return new IndexSegment(schemeId, Map.of(trackId, fingerprints));
    }

    /** Total fingerprints in the segment. */
    public long fingerprintCount() {
        long n = 0;
        for (Fingerprints f : tracks.values()) {
            n += f.size();
        }
        return n;
    }

    /** Serialises the segment in the format above. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64,
                16 + 6 * fingerprintCount() + 64L * tracks.size()));
        writeInt(out, MAGIC);
        out.write(VERSION >>> 8);
        out.write(VERSION);
        writeInt(out, schemeId);
        writeInt(out, tracks.size());
        for (Map.Entry<String, Fingerprints> e : tracks.entrySet()) {
            byte[] id = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.write(id.length >>> 8);
            out.write(id.length);
            out.write(id, 0, id.length);
            Fingerprints f = e.getValue();
            writeInt(out, f.size());
            int prev = 0;
            for (int i = 0; i < f.size(); i++) {
                int frame = f.frames()[i];
                if (frame < prev) {
                    throw new IllegalArgumentException("fingerprints of " + e.getKey() + " are not in frame order");
                }
                int delta = frame - prev;
                prev = frame;
                while ((delta & ~0x7f) != 0) {
                    out.write((delta & 0x7f) | 0x80);
                    delta >>>= 7;
                }
                out.write(delta);
                int h = f.hashes()[i];
                out.write(h >>> 16);
                out.write(h >>> 8);
                out.write(h);
                out.write(f.pitches()[i]);
            }
        }
        CRC32 crc = new CRC32();
        byte[] body = out.toByteArray();
        crc.update(body);
        writeInt(out, (int) crc.getValue());
        return out.toByteArray();
    }

    /**
     * Parses a segment.
     *
     * @param bytes bytes written by {@link #toBytes()}
     * @return the segment
     * @throws IllegalArgumentException if the bytes are not a valid segment (bad magic, version,
     *                                  lengths or checksum)
     */
    public static IndexSegment fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (b.getInt() != MAGIC) {
                throw new IllegalArgumentException("not an index segment (bad magic)");
            }
            short version = b.getShort();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported index segment version " + version);
            }
            if (bytes.length < 14) {
                throw new IllegalArgumentException("index segment truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
                throw new IllegalArgumentException("index segment checksum mismatch (corrupt or truncated)");
            }
            int schemeId = b.getInt();
            int trackCount = b.getInt();
            if (trackCount < 0) {
                throw new IllegalArgumentException("bad track count " + trackCount);
            }
            Map<String, Fingerprints> tracks = new LinkedHashMap<>();
            for (int t = 0; t < trackCount; t++) {
                int idLength = b.getShort() & 0xffff;
                if (idLength == 0 || idLength > MAX_TRACK_ID_BYTES) {
                    throw new IllegalArgumentException("bad track id length " + idLength);
                }
                byte[] id = new byte[idLength];
                b.get(id);
                int count = b.getInt();
                if (count < 0 || count > b.remaining() / 5) {
                    throw new IllegalArgumentException("bad fingerprint count " + count);
                }
                int[] hashes = new int[count];
                int[] frames = new int[count];
                byte[] pitches = new byte[count];
                int frame = 0;
                for (int i = 0; i < count; i++) {
                    int delta = 0;
                    int shift = 0;
                    int v;
                    do {
                        v = b.get();
                        delta |= (v & 0x7f) << shift;
                        shift += 7;
                    } while ((v & 0x80) != 0 && shift < 35);
                    frame += delta;
                    frames[i] = frame;
                    hashes[i] = ((b.get() & 0xff) << 16) | ((b.get() & 0xff) << 8) | (b.get() & 0xff);
                    pitches[i] = b.get();
                }
                tracks.put(new String(id, StandardCharsets.UTF_8), new Fingerprints(hashes, frames, pitches));
            }
            if (b.remaining() != 4) {
                throw new IllegalArgumentException("index segment has " + (b.remaining() - 4) + " trailing bytes");
            }
            return new IndexSegment(schemeId, tracks);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("index segment truncated", e);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
