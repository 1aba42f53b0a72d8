package io.spinledger.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the reference tracks in a query by voting on a line through (query time, track time).
 *
 * <ol>
 *   <li>Every key of every query triplet is looked up in every shard; each posting is a hit
 *       (track, track frame, track pitch, query triplet). Shards answer with their hits grouped by
 *       track id, and the answers are concatenated, so a shard can be another process.</li>
 *   <li>For the tracks with the most hits, a Hough vote over time scales {@code a} in
 *       [1/(1+d), 1+d] (d = {@link FingerprintConfig#maxScaleDeviation()}): for each {@code a} the
 *       offsets {@code b = trackFrame - a * queryFrame} are sorted and the densest
 *       {@value #TOLERANCE_FRAMES}-frame window wins (after Panako's line fit, Six and Leman 2014,
 *       generalised from a fixed scale to a grid).</li>
 *   <li>The winning line is refined by least squares over its inliers; the inliers' distinct query
 *       triplets whose pitch difference fits a tempo change (0) or a speed change (log2 of the time
 *       scale) are the aligned count, their first and last times the matched part of the query,
 *       and their mean pitch difference the frequency factor.</li>
 * </ol>
 *
 * <p>Confidence: see {@link #confidence(int, int, long)}.
 *
 * <p>Thread-safe; each call reads one consistent snapshot of each shard.
 */
public final class Matcher {
    /** Half-width of the offset window, frames: hits within this of the line are inliers. */
    public static final double TOLERANCE_FRAMES = 1.5;
    /** Largest distance of a hit's pitch difference from the expected one (0 or log2 of the scale), pitch steps. */
    static final double PITCH_TOLERANCE_STEPS = 1.5;
    /** How many candidate tracks (by hit count) get the full line search. */
    static final int MAX_CANDIDATES = 64;
    /** Fewer distinct hits than this and a track is not a candidate. */
    static final int MIN_CANDIDATE_HITS = 4;
    /** At most this many hits per candidate go into the coarse scale search. */
    private static final int COARSE_SAMPLE = 300;

    private final List<FingerprintIndex> shards;
    private final FingerprintConfig config;
    private final MatchThresholds thresholds;

    /**
     * @param index      the reference index (read live: tracks added later are seen)
     * @param config     the extraction config the index and queries were made with
     * @param thresholds when a candidate is a match
     */
    public Matcher(FingerprintIndex index, FingerprintConfig config, MatchThresholds thresholds) {
        this(List.of(index), config, thresholds);
    }

    /**
     * @param shards     the index shards (together covering the hash space)
     * @param config     the extraction config the index and queries were made with
     * @param thresholds when a candidate is a match
     */
    public Matcher(List<FingerprintIndex> shards, FingerprintConfig config, MatchThresholds thresholds) {
        this.shards = List.copyOf(shards);
        this.config = config;
        this.thresholds = thresholds;
    }

    /**
     * Matches a query against the index.
     *
     * @param query the query's fingerprints
     * @return matches passing the thresholds, best (highest confidence) first; empty if none
     */
    public List<Match> match(QueryFingerprints query) {
        return candidates(query, Integer.MAX_VALUE).stream()
                .filter(thresholds::accepts)
                .toList();
    }

    /**
     * The best line of every candidate track, without thresholds: for diagnostics and calibration.
     *
     * @param query the query's fingerprints
     * @param limit at most this many candidates
     * @return candidates, best first
     */
    public List<Match> candidates(QueryFingerprints query, int limit) {
        if (query.size() == 0) {
            return List.of();
        }
        Map<String, Hits> byTrack = new HashMap<>();
        for (FingerprintIndex shard : shards) {
            for (Map.Entry<String, Hits> e : shardHits(shard, query).entrySet()) {
                byTrack.merge(e.getKey(), e.getValue(), Hits::concat);
            }
        }
        List<Map.Entry<String, Hits>> ranked = new ArrayList<>(byTrack.entrySet());
        ranked.removeIf(e -> e.getValue().size < MIN_CANDIDATE_HITS);
        ranked.sort(Comparator.comparingInt((Map.Entry<String, Hits> e) -> e.getValue().size).reversed()
                .thenComparing(Map.Entry::getKey));
        List<Match> out = new ArrayList<>();
        boolean[] seen = new boolean[query.size()];
        for (int c = 0; c < Math.min(MAX_CANDIDATES, ranked.size()); c++) {
            if (ranked.get(c).getValue().size < thresholds.minAlignedCount()) {
                break; // ranked by hits: no later track can reach the aligned minimum
            }
            Match m = fitLine(ranked.get(c).getKey(), ranked.get(c).getValue(), query, seen);
            if (m != null) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparingDouble(Match::confidence).reversed()
                .thenComparing(Comparator.comparingInt(Match::alignedCount).reversed())
                .thenComparing(Match::trackId));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /**
     * Where a known line of one track is supported in a query: the triplets whose hits fall on
     * {@code trackFrame = a * queryFrame + b} (within {@link #TOLERANCE_FRAMES}) with the pitch
     * difference of {@code frequencyFactor}. Because the line is given, chance agreement is
     * negligible and even a few triplets are evidence; used to refine play boundaries.
     *
     * @param query           the query
     * @param trackId         the track
     * @param a               time scale (track frames per query frame)
     * @param bFrames         track frame at query frame 0
     * @param frequencyFactor query frequency / track frequency
     * @return {start, end} query frames of each supporting triplet, as two arrays of equal length
     */
    public float[][] supportOfLine(QueryFingerprints query, String trackId, double a, double bFrames,
                                  double frequencyFactor) {
        double pitchShift = Math.log(frequencyFactor) / Math.log(2) * config.pitchStepsPerOctave();
        float[] qt = query.startFrames();
        float[] qp = query.pitches();
        boolean[] on = new boolean[query.size()];
        int[] keys = query.keys();
        int[] offsets = query.keyOffsets();
        for (FingerprintIndex shard : shards) {
            FingerprintIndex.View view = shard.view();
            int ordinal = view.ordinal(trackId);
            if (ordinal < 0) {
                continue;
            }
            for (int q = 0; q < query.size(); q++) {
                int qi = q;
                double expected = a * qt[q] + bFrames;
                for (int k = offsets[q]; k < offsets[q + 1] && !on[q]; k++) {
                    int key = keys[k];
                    if (key < shard.hashFrom() || key >= shard.hashTo()) {
                        continue;
                    }
                    view.forEachPosting(key, (track, frame, pitch) -> {
                        if (track == ordinal && Math.abs(frame - expected) <= TOLERANCE_FRAMES
                                && Math.abs(qp[qi] - pitch - pitchShift) <= PITCH_TOLERANCE_STEPS) {
                            on[qi] = true;
                        }
                    });
                }
            }
        }
        int n = 0;
        for (boolean b : on) {
            n += b ? 1 : 0;
        }
        float[] starts = new float[n];
        float[] ends = new float[n];
        int k = 0;
        for (int q = 0; q < on.length; q++) {
            if (on[q]) {
                starts[k] = qt[q];
                ends[k] = query.endFrames()[q];
                k++;
            }
        }
        return new float[][] {starts, ends};
    }

    /**
     * One shard's answer: the hits of the query's keys in the shard's hash range, grouped by track
     * id (tracks with fewer than {@value #MIN_CANDIDATE_HITS} hits in this shard are still returned,
     * since another shard may hold the rest of their evidence).
     */
    static Map<String, Hits> shardHits(FingerprintIndex shard, QueryFingerprints query) {
        FingerprintIndex.View view = shard.view();
        int[] keys = query.keys();
        int[] offsets = query.keyOffsets();
        Collector all = new Collector();
        int from = shard.hashFrom();
        int to = shard.hashTo();
        for (int q = 0; q < query.size(); q++) {
            all.query = q;
            for (int k = offsets[q]; k < offsets[q + 1]; k++) {
                int key = keys[k];
                if (key >= from && key < to) {
                    view.forEachPosting(key, all);
                }
            }
        }
        return group(view, all.hits, all.ordinals, all.hits.size);
    }

    /** Receives postings of one query triplet at a time. */
    private static final class Collector implements FingerprintIndex.PostingSink {
        final Hits hits = new Hits(1024);
        int[] ordinals = new int[1024];
        int query;

        @Override
        public void accept(int trackOrdinal, int frame, int pitch) {
            if (hits.size == ordinals.length) {
                ordinals = Arrays.copyOf(ordinals, ordinals.length * 2);
            }
            ordinals[hits.size] = trackOrdinal;
            hits.add(frame, pitch, query);
        }
    }

    /** Counting sort of the hits by track ordinal, then one {@link Hits} per track. */
    private static Map<String, Hits> group(FingerprintIndex.View view, Hits all, int[] ordinals, int n) {
        int max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, ordinals[i]);
        }
        int[] start = new int[max + 2];
        for (int i = 0; i < n; i++) {
            start[ordinals[i] + 1]++;
        }
        for (int t = 0; t <= max; t++) {
            start[t + 1] += start[t];
        }
        Map<String, Hits> out = new HashMap<>();
        int[] fill = Arrays.copyOf(start, start.length);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[fill[ordinals[i]]++] = i;
        }
        for (int t = 0; t <= max; t++) {
            int size = start[t + 1] - start[t];
            if (size == 0) {
                continue;
            }
            Hits h = new Hits(size);
            for (int k = start[t]; k < start[t + 1]; k++) {
                int i = order[k];
                h.add(all.frame[i], all.pitch[i] & 0xff, all.query[i]);
            }
            out.put(view.trackId(t), h);
        }
        return out;
    }

    private Match fitLine(String trackId, Hits h, QueryFingerprints query, boolean[] seen) {
        float[] qt = query.startFrames();
        int n = h.size;
        double d = config.maxScaleDeviation();
        double aMin = 1 / (1 + d);
        double aMax = 1 + d;
        double duration = Math.max(1, query.durationFrames());
        double step = Math.max(1e-4, TOLERANCE_FRAMES / duration);
        int stride = Math.max(1, n / COARSE_SAMPLE);
        int m = (n + stride - 1) / stride;
        int[] b = new int[m];
        // coarse pass: scales 4 steps apart, a window wide enough for the drift of half a coarse step
        double coarseStep = 4 * step;
        double coarseWindow = 2 * TOLERANCE_FRAMES + 2 * coarseStep / 2 * duration;
        double[] best = {1, 0, 0};
        for (double a = aMin; a <= aMax + 1e-9; a += coarseStep) {
            vote(h, qt, a, stride, b, coarseWindow, best);
        }
        double coarseA = best[0];
        best[2] = 0;
        for (double a = coarseA - 2 * step; a <= coarseA + 2 * step + 1e-9; a += step) {
            vote(h, qt, a, stride, b, 2 * TOLERANCE_FRAMES, best);
        }
        double bestA = best[0];
        double bestB = best[1];
        int bestCount = (int) best[2];
        if (bestCount < 2) {
            return null;
        }
        // refine by least squares on the inliers (within twice the tolerance), twice
        double a = bestA;
        double off = bestB;
        for (int pass = 0; pass < 2; pass++) {
            double sq = 0;
            double sr = 0;
            double sqq = 0;
            double sqr = 0;
            int cnt = 0;
            for (int i = 0; i < n; i++) {
                double q = qt[h.query[i]];
                if (Math.abs(h.frame[i] - a * q - off) <= 2 * TOLERANCE_FRAMES) {
                    sq += q;
                    sr += h.frame[i];
                    sqq += q * q;
                    sqr += q * h.frame[i];
                    cnt++;
                }
            }
            double var = cnt * sqq - sq * sq;
            if (cnt >= 8 && var > cnt * cnt * 25.0) {
                double fitA = (cnt * sqr - sq * sr) / var;
                if (fitA >= aMin - step && fitA <= aMax + step) {
                    a = fitA;
                }
            }
            if (cnt > 0) {
                off = (sr - a * sq) / cnt;
            }
        }
        // the line's hits: distinct query triplets within the tolerance
        float[] end = query.endFrames();
        float[] qp = query.pitches();
        float[] pitchDiff = new float[n];
        int[] onLine = new int[n];
        int lineCount = 0;
        for (int i = 0; i < n; i++) {
            int q = h.query[i];
            if (seen[q] || Math.abs(h.frame[i] - a * qt[q] - off) > TOLERANCE_FRAMES) {
                continue;
            }
            seen[q] = true;
            onLine[lineCount] = i;
            pitchDiff[lineCount] = qp[q] - (h.pitch[i] & 0xff);
            lineCount++;
        }
        for (int i = 0; i < lineCount; i++) {
            seen[h.query[onLine[i]]] = false;
        }
        if (lineCount < 2) {
            return null;
        }
        // a true match also agrees on pitch: a tempo change keeps it (difference 0), a speed change
        // moves it with time (log2(a) octaves); count the hits near the better of the two
        double steps = config.pitchStepsPerOctave();
        double[] centres = {0, Math.log(a) / Math.log(2) * steps};
        double centre = 0;
        int bestNear = -1;
        for (double c : centres) {
            int near = 0;
            for (int i = 0; i < lineCount; i++) {
                if (Math.abs(pitchDiff[i] - c) <= PITCH_TOLERANCE_STEPS) {
                    near++;
                }
            }
            if (near > bestNear) {
                bestNear = near;
                centre = c;
            }
        }
        int aligned = 0;
        double pitchSum = 0;
        float first = Float.MAX_VALUE;
        float last = -Float.MAX_VALUE;
        for (int i = 0; i < lineCount; i++) {
            if (Math.abs(pitchDiff[i] - centre) > PITCH_TOLERANCE_STEPS) {
                continue;
            }
            int q = h.query[onLine[i]];
            aligned++;
            pitchSum += pitchDiff[i];
            first = Math.min(first, qt[q]);
            last = Math.max(last, end[q]);
        }
        if (aligned < 2) {
            return null;
        }
        double frequencyFactor = Math.pow(2, pitchSum / aligned / steps);
        long spanMs = config.framesToMs(last - first);
        double confidence = confidence(aligned, query.size(), spanMs);
        return new Match(trackId, config.framesToMs(off), config.framesToMs(first),
                config.framesToMs(last), aligned, confidence, a, frequencyFactor);
    }

    /**
     * One Hough column: offsets {@code trackFrame - a * queryFrame} of every {@code stride}-th hit,
     * sorted as ints (1/8 frame); updates {@code best = {a, offset, count}} when the densest window
     * of {@code windowFrames} beats it (ties go to the scale nearer 1).
     */
    private static void vote(Hits h, float[] qt, double a, int stride, int[] b, double windowFrames, double[] best) {
        int k = 0;
        for (int i = 0; i < h.size; i += stride) {
            b[k++] = (int) Math.round((h.frame[i] - a * qt[h.query[i]]) * 8);
        }
        Arrays.sort(b, 0, k);
        int window = (int) Math.round(windowFrames * 8);
        int lo = 0;
        for (int hi = 0; hi < k; hi++) {
            while (b[hi] - b[lo] > window) {
                lo++;
            }
            int count = hi - lo + 1;
            if (count > best[2] || (count == best[2] && Math.abs(a - 1) < Math.abs(best[0] - 1))) {
                best[0] = a;
                best[1] = (b[hi] + b[lo]) / 16.0;
                best[2] = count;
            }
        }
    }

    /**
     * Confidence in [0, 1] that a line with {@code aligned} triplets is a true match. Chance lines
     * (a motif that resembles one in another track) pile their votes into a second or so, true
     * matches spread theirs over the whole overlap, so the count is weighted by the matched span:
     * {@code evidence = aligned * min(1, (span s + 0.5) / 4)} and
     * {@code confidence = 1 - exp(-(evidence - 6) / 10)} (0 below 6). Calibrated on the bench
     * (Wesnoth, seed 2026, see {@link MatchThresholds}): 0.5 is the default threshold.
     *
     * @param aligned       aligned query triplets
     * @param queryTriplets all query triplets
     * @param spanMs        matched part of the query, ms
     */
    static double confidence(int aligned, int queryTriplets, long spanMs) {
        double evidence = aligned * Math.min(1, (spanMs / 1000.0 + 0.5) / 4);
        return Math.max(0, Math.min(1, 1 - Math.exp(-Math.max(0, evidence - 6) / 10.0)));
    }

    /** Hits of one track as growable parallel arrays. */
    static final class Hits {
        int[] frame;
        byte[] pitch;
        int[] query;
        int size;

        Hits() {
            this(16);
        }

        Hits(int capacity) {
            frame = new int[Math.max(1, capacity)];
            pitch = new byte[frame.length];
            query = new int[frame.length];
        }

        void add(int f, int p, int q) {
            if (size == frame.length) {
                frame = Arrays.copyOf(frame, size * 2);
                pitch = Arrays.copyOf(pitch, size * 2);
                query = Arrays.copyOf(query, size * 2);
            }
            frame[size] = f;
            pitch[size] = (byte) p;
            query[size] = q;
            size++;
        }

        static Hits concat(Hits a, Hits b) {
            for (int i = 0; i < b.size; i++) {
                a.add(b.frame[i], b.pitch[i], b.query[i]);
            }
            return a;
        }
    }
}
