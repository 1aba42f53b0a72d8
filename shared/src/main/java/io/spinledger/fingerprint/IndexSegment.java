package io.spinledger.fingerprint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * One track's fingerprints as an immutable, self-checking binary segment, the unit the index is
 * stored in. Binary format, big-endian:
 * <pre>
 *   int32  magic     0x534C4653 ("SLFS")
 *   int16  version   1
 *   int32  schemeId  {@link FingerprintConfig#schemeId()} of the extraction that made the hashes
 *   int16  n         length of the track id in UTF-8 bytes (1..1024)
 *   byte[n] trackId  UTF-8
 *   int32  count     number of fingerprints
 *   int32[count] hashes
 *   int32[count] frames   anchor frame of each hash, same order
 *   int32  crc32     CRC-32 of every byte before it
 * </pre>
 * About 8 bytes per fingerprint: 180 hashes/s is roughly 5 MB per hour of reference audio.
 *
 * @param trackId      the track
 * @param schemeId     the extraction scheme the hashes belong to
 * @param fingerprints the track's fingerprints
 */
public record IndexSegment(String trackId, int schemeId, Fingerprints fingerprints) {
    /** "SLFS". */
    public static final int MAGIC = 0x534C4653;
    /** The format version this code writes and reads. */
    public static final short VERSION = 1;
    private static final int MAX_TRACK_ID_BYTES = 1024;

    /** @throws IllegalArgumentException on an empty or over-long track id */
    public IndexSegment {
        Objects.requireNonNull(fingerprints, "fingerprints");
        int len = trackId == null ? 0 : trackId.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len > MAX_TRACK_ID_BYTES) {
            throw new IllegalArgumentException("trackId must be 1.." + MAX_TRACK_ID_BYTES + " UTF-8 bytes");
        }
    }

    /** Serialises the segment in the format above. */
    public byte[] toBytes() {
        byte[] id = trackId.getBytes(StandardCharsets.UTF_8);
        int count = fingerprints.size();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + 2 + 4 + 2 + id.length + 4 + 8 * count + 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeInt(schemeId);
            out.writeShort(id.length);
            out.write(id);
            out.writeInt(count);
            for (int h : fingerprints.hashes()) {
                out.writeInt(h);
            }
            for (int f : fingerprints.frames()) {
                out.writeInt(f);
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
            int schemeId = b.getInt();
            int idLength = b.getShort() & 0xffff;
            if (idLength == 0 || idLength > MAX_TRACK_ID_BYTES) {
                throw new IllegalArgumentException("bad track id length " + idLength);
            }
            byte[] id = new byte[idLength];
            b.get(id);
            int count = b.getInt();
            if (count < 0 || (long) count * 8 + 4 != b.remaining()) {
                throw new IllegalArgumentException("segment length does not match its count " + count);
            }
            int[] hashes = new int[count];
            int[] frames = new int[count];
            b.asIntBuffer().get(hashes);
            b.position(b.position() + 4 * count);
            b.asIntBuffer().get(frames);
            b.position(b.position() + 4 * count);
            int stored = b.getInt();
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            if ((int) crc.getValue() != stored) {
                throw new IllegalArgumentException("index segment checksum mismatch (corrupt)");
            }
            return new IndexSegment(new String(id, StandardCharsets.UTF_8), schemeId, new Fingerprints(hashes, frames));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("index segment truncated", e);
        }
    }
}
