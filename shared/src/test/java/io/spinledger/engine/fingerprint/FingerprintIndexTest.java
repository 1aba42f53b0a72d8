package io.spinledger.engine.fingerprint;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index layout against a brute-force map: runs with a 16-bit directory and big runs with a
 * finer one, merged into each other, with removed tracks, must return exactly the postings that
 * were added.
 */
class FingerprintIndexTest {

    /** hash -> "track:frame:pitch" postings, the reference answer. */
    private final Map<Integer, List<String>> truth = new HashMap<>();

    @Test
    void bigAndSmallRunsMergeAndAnswerLikeAMap() {
        Random r = new Random(5);
        FingerprintIndex index = new FingerprintIndex();
        // one batch of 2.3 million postings: a run with a directory finer than 16 bits
        Map<String, Fingerprints> big = new LinkedHashMap<>();
        for (int t = 0; t < 230; t++) {
            big.put("big-" + t, random(r, 10_000));
        }
        index.addAll(big);
        // then small tracks one by one: small runs with the 16-bit directory, merged into the big one
        for (int t = 0; t < 40; t++) {
            index.add("small-" + t, random(r, 500 + r.nextInt(500)));
        }
        all(big);
        index.remove("big-7");
        index.remove("small-3");
        assertThat(index.runCount()).isGreaterThan(1);
        assertMatches(index, r, List.of("big-7", "small-3"));
        index.compact();
        assertThat(index.runCount()).isEqualTo(1);
        assertMatches(index, r, List.of("big-7", "small-3"));
    }

    @Test
    void batchedStartsAnswerLikeOneStartPerKey() {
        Random r = new Random(11);
        FingerprintIndex index = new FingerprintIndex();
        Map<String, Fingerprints> tracks = new LinkedHashMap<>();
        for (int t = 0; t < 60; t++) {
            Fingerprints f = random(r, 20_000);
            // skewed like triplet hashes: a third of them among 64 common values, so buckets get big
            for (int i = 0; i < f.size(); i += 3) {
                f.hashes()[i] = 0x5A0000 + r.nextInt(64);
            }
            // and stop words: one hash with more postings than a key may have
            for (int i = 1; i < f.size(); i += 97) {
                f.hashes()[i] = 0x123456;
                f.pitches()[i] = 40;
            }
            tracks.put("t" + t, f);
        }
        index.addAll(tracks);
        FingerprintIndex.Run run = index.view().run(0);
        int n = 32;
        int[] hash = new int[n];
        int[] lo = new int[n];
        int[] hi = new int[n];
        long[] out = new long[n + 5];
        int found = 0;
        for (int round = 0; round < 300; round++) {
            int batch = 1 + r.nextInt(n);
            for (int k = 0; k < batch; k++) {
                int pick = r.nextInt(4);
                hash[k] = pick == 0 ? 0x123456 : pick == 1 ? 0x5A0000 + r.nextInt(64) : r.nextInt(1 << 24);
                int p = r.nextInt(256);
                lo[k] = Math.max(0, p - 7);
                hi[k] = Math.min(255, p + 7);
            }
            run.starts(batch, hash, lo, hi, new int[n], new int[n], out, 5);
            for (int k = 0; k < batch; k++) {
                assertThat(out[5 + k]).isEqualTo(run.start(hash[k], lo[k], hi[k]));
                found += out[5 + k] >= 0 ? 1 : 0;
            }
        }
        assertThat(found).isGreaterThan(1000);
    }

    @Test
    void rangeIsThePitchWindowOfOneHash() {
        FingerprintIndex index = new FingerprintIndex();
        int hash = 0xABCDE;
        int[] pitches = {3, 10, 10, 11, 40, 200};
        int[] hashes = new int[pitches.length];
        int[] frames = new int[pitches.length];
        byte[] p = new byte[pitches.length];
        for (int i = 0; i < pitches.length; i++) {
            hashes[i] = hash;
            frames[i] = i * 5;
            p[i] = (byte) pitches[i];
        }
        index.add("t", new Fingerprints(hashes, frames, p));
        FingerprintIndex.Run run = index.view().run(0);
        long range = run.range(hash, 9, 12);
        int from = (int) (range >>> 32);
        int to = (int) range;
        assertThat(to - from).isEqualTo(3);
        for (int i = from; i < to; i++) {
            assertThat(run.lowPitchAt(i) & 0xff).isBetween(9, 12);
        }
        assertThat(run.range(hash, 41, 199)).isEqualTo(-1);
        assertThat(run.range(hash + 1, 0, 255)).isEqualTo(-1);
    }

    @Test
    void anchorsAreEachTracksDistinctPeaksInFrameOrderWithinItsShard() {
        Random r = new Random(8);
        // repeated (frame, pitch) pairs, as an anchor has several triplets; frame gaps that need
        // one, two and three varint bytes
        int n = 3000;
        int[] h = new int[n];
        int[] f = new int[n];
        byte[] p = new byte[n];
        int frame = 0;
        for (int i = 0; i < n; i++) {
            h[i] = r.nextInt(1 << FingerprintConfig.MAX_HASH_BITS);
            boolean repeat = i > 0 && r.nextInt(3) > 0;
            frame += repeat ? 0 : (i % 500 == 0 ? 20_000 : i % 50 == 0 ? 300 : r.nextInt(5));
            f[i] = frame;
            p[i] = repeat ? p[i - 1] : (byte) r.nextInt(256);
        }
        Fingerprints fps = new Fingerprints(h, f, p);
        FingerprintIndex whole = new FingerprintIndex();
        FingerprintIndex half = FingerprintIndex.shard(1, 2);
        Fingerprints other = random(r, 400);
        whole.add("other", other);
        whole.add("t", fps);
        half.add("t", fps);
        int from = f[n / 4];
        int to = f[3 * n / 4];
        assertThat(anchors(whole, "t", from, to)).containsExactlyElementsOf(distinctAnchors(fps, 0, 1 << 24, from, to));
        assertThat(anchors(half, "t", 0, Integer.MAX_VALUE)).containsExactlyElementsOf(
                distinctAnchors(fps, half.hashFrom(), half.hashTo(), 0, Integer.MAX_VALUE));
        // they survive compaction and go with the track
        whole.compact();
        assertThat(anchors(whole, "t", from, to)).containsExactlyElementsOf(distinctAnchors(fps, 0, 1 << 24, from, to));
        whole.remove("t");
        assertThat(whole.view().ordinal("t")).isEqualTo(-1);
        whole.compact();
        FingerprintIndex onlyOther = new FingerprintIndex();
        onlyOther.add("other", other);
        assertThat(whole.memoryBytes()).isEqualTo(onlyOther.memoryBytes());
    }

    private static List<String> anchors(FingerprintIndex index, String id, int from, int to) {
        FingerprintIndex.View view = index.view();
        int[][] a = view.anchors(view.ordinal(id), from, to);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a[0].length; i++) {
            out.add(a[0][i] + ":" + a[1][i]);
        }
        return out;
    }

    private static List<String> distinctAnchors(Fingerprints fps, int hashFrom, int hashTo, int from, int to) {
        java.util.TreeSet<Long> set = new java.util.TreeSet<>();
        for (int i = 0; i < fps.size(); i++) {
            int frame = fps.frames()[i];
            if (fps.hashes()[i] >= hashFrom && fps.hashes()[i] < hashTo && frame >= from && frame <= to) {
                set.add((long) frame << 8 | (fps.pitches()[i] & 0xff));
            }
        }
        List<String> out = new ArrayList<>();
        for (long k : set) {
            out.add((k >>> 8) + ":" + (k & 0xff));
        }
        return out;
    }

    private Fingerprints random(Random r, int n) {
        int[] h = new int[n];
        int[] f = new int[n];
        byte[] p = new byte[n];
        int frame = 0;
        for (int i = 0; i < n; i++) {
            // a skewed hash distribution, like real triplets: a few hot hashes, many rare ones
            h[i] = r.nextInt(4) == 0 ? r.nextInt(64) * 4099 : r.nextInt(1 << FingerprintConfig.MAX_HASH_BITS);
            frame += r.nextInt(3);
            f[i] = frame;
            p[i] = (byte) r.nextInt(256);
        }
        return new Fingerprints(h, f, p);
    }

    private void all(Map<String, Fingerprints> tracks) {
        tracks.forEach(this::remember);
    }

    private void remember(String id, Fingerprints f) {
        for (int i = 0; i < f.size(); i++) {
            truth.computeIfAbsent(f.hashes()[i], k -> new ArrayList<>()).add(id + ":" + f.frames()[i] + ":" + (f.pitches()[i] & 0xff));
        }
    }

    private void assertMatches(FingerprintIndex index, Random r, List<String> removed) {
        FingerprintIndex.View view = index.view();
        List<Integer> hashes = new ArrayList<>(truth.keySet());
        for (int n = 0; n < 3000; n++) {
            int hash = n < 64 ? n * 4099 : hashes.get(r.nextInt(hashes.size()));
            List<String> expected = new ArrayList<>(truth.getOrDefault(hash, List.of()));
            expected.removeIf(s -> removed.contains(s.substring(0, s.indexOf(':'))) || !s.startsWith("big-"));
            List<String> got = new ArrayList<>();
            for (int run = 0; run < view.runCount(); run++) {
                FingerprintIndex.Run postings = view.run(run);
                long range = postings.range(hash, 0, 255);
                for (int i = range < 0 ? 0 : (int) (range >>> 32); range >= 0 && i < (int) range; i++) {
                    int global = postings.frameAt(i);
                    int t = view.ordinalOfGlobal(global);
                    if (view.live(t) && view.trackId(t).startsWith("big-")) {
                        got.add(view.trackId(t) + ":" + (global - view.base(t)) + ":"
                                + (postings.lowPitchAt(i) & 0xff));
                    }
                }
            }
            if (expected.size() <= FingerprintIndex.MAX_POSTINGS_PER_KEY) {
                assertThat(got).as("hash %d", hash).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }
}
