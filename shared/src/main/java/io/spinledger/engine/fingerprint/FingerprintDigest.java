package io.spinledger.engine.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests of extractor output, to show that a change meant only to make extraction faster
 * leaves the fingerprints as they were (used by {@code FingerprintExtractorDigestTest} and the
 * cli's {@code ExtractionBench}). Arrays are fed as their length then their values, little-endian
 * (floats by their raw bits).
 */
public final class FingerprintDigest {
    private FingerprintDigest() {
    }

    /** A new SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Feeds reference fingerprints: hashes, frames, pitches. */
    public static void update(MessageDigest md, Fingerprints f) {
        update(md, f.hashes());
        update(md, f.frames());
        md.update(f.pitches());
    }

    /** Feeds query fingerprints: keys, key offsets, start and end frames, pitches, duration. */
    public static void update(MessageDigest md, QueryFingerprints q) {
        update(md, q.keys());
        update(md, q.keyOffsets());
        update(md, q.startFrames());
        update(md, q.endFrames());
        update(md, q.pitches());
        update(md, new int[] {q.durationFrames()});
    }

    /** The digest of one set of reference fingerprints. */
    public static byte[] of(Fingerprints f) {
        MessageDigest md = sha256();
        update(md, f);
        return md.digest();
    }

    /** The digest of one query's fingerprints. */
    public static byte[] of(QueryFingerprints q) {
        MessageDigest md = sha256();
        update(md, q);
        return md.digest();
    }

    /** Feeds an int array (length, then values, little-endian). */
    public static void update(MessageDigest md, int[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(a.length);
        for (int v : a) {
            b.putInt(v);
        }
        md.update(b.array());
    }

    /** Feeds a float array (length, then raw bits, little-endian). */
    public static void update(MessageDigest md, float[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(a.length);
        for (float v : a) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        md.update(b.array());
    }
}
