package io.spinledger.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the reference tracks in a query by offset-histogram voting: every query hash that also
 * occurs in a track votes for the offset {@code refFrame - queryFrame}; a true match piles many
 * votes onto one offset (within {@value #OFFSET_TOLERANCE_FRAMES} frame), random collisions
 * scatter. For each track the best offset window wins; its votes from distinct query hashes are
 * the aligned count.
 *
 * <p>Confidence = {@code (1 - exp(-aligned / 20)) * min(1, (aligned / queryHashes) / 0.05)}:
 * the first factor says "many hashes agree", the second "a fair share of the query agrees"
 * (5 % or more counts fully). With pooled 4-shift queries, clean true matches align 20-40 % of the
 * query's hashes, matches at 5 dB SNR 3-10 %, random agreements well under 1 %.
 *
 * <p>Thread-safe; each call reads one consistent snapshot of the index.
 */
public final class Matcher {
    /** Offsets within this many frames of the window centre vote together (grid jitter, ±1 frame). */
    public static final int OFFSET_TOLERANCE_FRAMES = 1;
    /** Largest query the packed hit keys hold, in hashes (about 1.5 h of audio). */
    public static final int MAX_QUERY_HASHES = 1 << 20;

    private static final int OFFSET_BITS = 22;
    private static final long OFFSET_BIAS = 1L << (OFFSET_BITS - 1);
    private static final int QUERY_BITS = 20;
    private static final double COUNT_SCALE = 20.0;
    private static final double FULL_RATIO = 0.05;

    private final FingerprintIndex index;
    private final FingerprintConfig config;
    private final MatchThresholds thresholds;

    /**
     * @param index      the reference index (read live: tracks added later are seen)
     * @param config     the extraction config the index and queries were made with (for ms)
     * @param thresholds when a candidate is a match
     */
    public Matcher(FingerprintIndex index, FingerprintConfig config, MatchThresholds thresholds) {
        this.index = index;
        this.config = config;
        this.thresholds = thresholds;
    }

    /**
     * Matches a query against the index.
     *
     * @param query the query's fingerprints (at most {@value #MAX_QUERY_HASHES})
     * @return matches passing the thresholds, best (most aligned hashes) first; empty if none
     * @throws IllegalArgumentException if the query has too many hashes
     */
    public List<Match> match(Fingerprints query) {
        return candidates(query, Integer.MAX_VALUE).stream()
                .filter(m -> m.alignedCount() >= thresholds.minAlignedCount()
                        && m.confidence() >= thresholds.minConfidence())
                .toList();
    }

    /**
     * The best offset of every track that shares at least two hashes with the query, without
     * thresholds: for diagnostics and tuning.
     *
     * @param query the query's fingerprints
     * @param limit at most this many candidates
     * @return candidates, best first
     */
    public List<Match> candidates(Fingerprints query, int limit) {
        int n = query.size();
        if (n > MAX_QUERY_HASHES) {
            throw new IllegalArgumentException("query has " + n + " hashes, at most " + MAX_QUERY_HASHES
                    + " fit: split it into chunks");
        }
        if (n == 0) {
            return List.of();
        }
        FingerprintIndex.View view = index.view();
        long[] hits = collectHits(view, query);
        Arrays.sort(hits);
        List<Match> out = new ArrayList<>();
        boolean[] seen = new boolean[n];
        int i = 0;
        while (i < hits.length) {
            int track = (int) (hits[i] >>> (OFFSET_BITS + QUERY_BITS));
            int j = i;
            while (j < hits.length && (int) (hits[j] >>> (OFFSET_BITS + QUERY_BITS)) == track) {
                j++;
            }
            if (j - i >= 2) {
                Match m = bestOffset(view.trackId(track), hits, i, j, query, seen);
                if (m != null) {
                    out.add(m);
                }
            }
            i = j;
        }
        out.sort(Comparator.comparingInt(Match::alignedCount).reversed()
                .thenComparing(Comparator.comparingDouble(Match::confidence).reversed()));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    private static long[] collectHits(FingerprintIndex.View view, Fingerprints query) {
        int[] qHashes = query.hashes();
        int[] qFrames = query.frames();
        HitBuffer buffer = new HitBuffer();
        for (int q = 0; q < qHashes.length; q++) {
            int qi = q;
            int qFrame = qFrames[q];
            view.forEachPosting(qHashes[q], (track, frame) -> {
                long offset = (long) frame - qFrame + OFFSET_BIAS;
                if (offset >= 0 && offset < (1L << OFFSET_BITS)) {
                    buffer.add(((long) track << (OFFSET_BITS + QUERY_BITS)) | (offset << QUERY_BITS) | qi);
                }
            });
        }
        return buffer.toArray();
    }

    /** Scans one track's hits (sorted by offset) for the densest window of 2*tolerance+1 offsets. */
    private Match bestOffset(String trackId, long[] hits, int from, int to, Fingerprints query, boolean[] seen) {
        int bestLo = from;
        int bestHi = from;
        int bestCount = 0;
        int lo = from;
        // two pointers over hits: window = hits whose offset lies in [offset(hi) - 2*tol, offset(hi)]
        for (int hi = from; hi < to; hi++) {
            long offHi = offset(hits[hi]);
            while (offset(hits[lo]) < offHi - 2L * OFFSET_TOLERANCE_FRAMES) {
                lo++;
            }
            int count = hi - lo + 1;
            if (count > bestCount) {
                bestCount = count;
                bestLo = lo;
                bestHi = hi;
            }
        }
        if (bestCount < 2) {
            return null;
        }
        int[] qFrames = query.frames();
        int aligned = 0;
        long offsetSum = 0;
        int firstFrame = Integer.MAX_VALUE;
        int lastFrame = Integer.MIN_VALUE;
        for (int k = bestLo; k <= bestHi; k++) {
            int q = (int) (hits[k] & ((1 << QUERY_BITS) - 1));
            if (seen[q]) {
                continue;
            }
            seen[q] = true;
            aligned++;
            offsetSum += offset(hits[k]);
            firstFrame = Math.min(firstFrame, qFrames[q]);
            lastFrame = Math.max(lastFrame, qFrames[q]);
        }
        for (int k = bestLo; k <= bestHi; k++) {
            seen[(int) (hits[k] & ((1 << QUERY_BITS) - 1))] = false;
        }
        double meanOffsetFrames = (double) offsetSum / aligned;
        return new Match(trackId,
                Math.round(meanOffsetFrames * config.frameMs()),
                config.framesToMs(firstFrame),
                config.framesToMs(lastFrame),
                aligned,
                confidence(aligned, query.size()));
    }

    /** See the class comment. */
    static double confidence(int aligned, int queryHashes) {
        double countScore = 1 - Math.exp(-aligned / COUNT_SCALE);
        double ratio = (double) aligned / Math.max(1, queryHashes);
        return countScore * Math.min(1.0, ratio / FULL_RATIO);
    }

    private static long offset(long hit) {
        return ((hit >>> QUERY_BITS) & ((1L << OFFSET_BITS) - 1)) - OFFSET_BIAS;
    }

    /** A growable long array. */
    private static final class HitBuffer {
        private long[] data = new long[1024];
        private int size;

        void add(long v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
