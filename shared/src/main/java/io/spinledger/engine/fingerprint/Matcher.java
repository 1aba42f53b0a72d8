package io.spinledger.engine.fingerprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the reference tracks in a query by voting on a line through (query time, track time).
 *
 * <ol>
 *   <li>Every key of every query triplet is looked up in every shard (keys sorted, pitch-window
 *       sub-ranges only); each posting votes for the bin of its global offset
 *       {@code globalFrame - queryFrame}, with no track lookup ({@link ShardScan}). The best pairs of
 *       adjacent bins of all shards become offset windows of tracks; only postings inside them become
 *       hits (track, track frame, track pitch, query triplet), concatenated across shards by track id,
 *       so a shard can be another process.</li>
 *   <li>For the tracks of the best windows, a Hough vote over time scales {@code a} in
 *       [1/(1+d), 1+d] (d = {@link FingerprintConfig#maxScaleDeviation()}): for each {@code a} the
 *       offsets {@code b = trackFrame - a * queryFrame} are sorted and the densest
 *       {@code alignToleranceFrames}-frame window wins (after Panako's line fit, Six and Leman 2014,
 *       generalised from a fixed scale to a grid).</li>
 *   <li>The winning line is refined by least squares over its inliers; the inliers' distinct query
 *       triplets whose pitch difference fits a tempo change (0) or a speed change (log2 of the time
 *       scale) are the aligned count, their first and last times the matched part of the query,
 *       and their mean pitch difference the frequency factor.</li>
 *   <li>A track whose music repeats its own bars can hold a second line some seconds off the first; for a line
 *       the triplets accept, the line of the track's other hits is fitted too, and the one whose anchor peaks
 *       explain the query better wins ({@link #betterOfRepeats}).</li>
 *   <li>A line with few aligned triplets (noise or speech over the music keeps few of a triplet's
 *       three peaks among the query's strongest) gets a {@link PeakCheck}: the track's own anchor
 *       peaks, looked for one by one among all the query's peaks where the line puts them, against
 *       the rate at which they are met off the line.</li>
 * </ol>
 *
 * <p>Confidence: the higher of the triplets' ({@link #confidence(int, int, long)}) and the peak
 * check's ({@link #peakConfidence(double)}), or 0 when the peak check refutes the line (see
 * {@link #checkPeaks}).
 *
 * <p>Thread-safe; each call reads one consistent snapshot of each shard.
 */
public final class Matcher {
    /*
     * Tunables live in FingerprintConfig.Matching (config.matching()); the peak-check refutation
     * threshold (peakRefuteBelowZ, 5): on the bench (seeds 2026 and 7) every true line with a triplet
     * confidence of at least 0.5 that was checked scored 6.1 or more; most chance lines that reached
     * that triplet confidence scored below 5. Windows are looked for only around hot bins (6 votes),
     * so a line whose votes split between two bins of 5 or fewer each is never a candidate, though
     * the thresholds' aligned minimum is 5: a cost the vote accepts to skip the cold bins.
     */
    /**
     * The order in which the query's triplets vote: triplet q is in part {@code q % 4}; the vote can
     * stop after the first part (a quarter) or the first two (a half), see {@link #decisive}.
     */
    private static final int[] VOTE_ORDER = {0, 2, 1, 3};
    /** Keys whose posting ranges are searched together (their cache misses overlap), see {@code Run#starts}. */
    private static final int LOOKUP_BATCH = 32;
    /** At most this many hits per candidate go into the coarse scale search. */
    private static final int COARSE_SAMPLE = 300;

    private final List<FingerprintIndex> shards;
    private final FingerprintConfig config;
    private final MatchThresholds thresholds;
    private final FingerprintConfig.Matching tuning;
    private final int pitchWindow;

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
        this.tuning = config.matching();
        // a speed change moves the anchor pitch by up to log2(1 + d) octaves, plus the pitch tolerance
        this.pitchWindow = (int) Math.ceil(Math.log(1 + config.maxScaleDeviation()) / Math.log(2)
                * config.pitchStepsPerOctave() + tuning.pitchToleranceSteps()) + 1;
    }

    /**
     * Matches a query against the index.
     *
     * @param query the query's fingerprints
     * @return matches passing the thresholds, best (highest confidence) first; empty if none
     */
    public List<Match> match(QueryFingerprints query) {
        return match(query, null);
    }

    /**
     * {@link #match(QueryFingerprints)}, noting where the time went.
     *
     * @param query   the query's fingerprints
     * @param profile filled with thread CPU time per step and shard (null: not measured)
     * @return matches passing the thresholds, best (highest confidence) first; empty if none
     * @throws IllegalArgumentException if the profile was made for another number of shards
     */
    public List<Match> match(QueryFingerprints query, MatchProfile profile) {
        if (profile != null && profile.voteNs.length != shards.size()) {
            throw new IllegalArgumentException("profile for " + profile.voteNs.length + " shards, matcher has "
                    + shards.size());
        }
        return candidates(query, Integer.MAX_VALUE, thresholds.minAlignedTriplets(), profile).stream()
                .filter(thresholds::accepts)
                .toList();
    }

    /**
     * The best line of every candidate track, without thresholds: for diagnostics and calibration.
     * A track is a candidate when one of its offset windows gathers at least
     * {@code minCandidateVotes} votes with {@code hotBinVotes} in one bin (see {@link FingerprintConfig.Matching}).
     *
     * @param query the query's fingerprints
     * @param limit at most this many candidates
     * @return candidates, best first
     */
    public List<Match> candidates(QueryFingerprints query, int limit) {
        return candidates(query, limit, tuning.minCandidateVotes(), null);
    }

    private List<Match> candidates(QueryFingerprints query, int limit, int minVotes, MatchProfile profile) {
        if (query.size() == 0) {
            return List.of();
        }
        // pass 1: every shard votes on (track, offset) bins; the best windows of all shards are merged.
        // A quarter of the query's triplets (every fourth one, so all of its time) first, then the
        // half: a clear winner ends the vote there; otherwise the other triplets add their votes.
        long t = profile == null ? 0 : MatchProfile.now();
        List<ShardScan> scans = new ArrayList<>(shards.size());
        for (int s = 0; s < shards.size(); s++) {
            scans.add(ShardScan.open(shards.get(s), query, pitchWindow, tuning.voteBinFramesLog2(), tuning.hotBinVotes()));
            t = profile == null ? 0 : lap(t, profile.voteNs, s);
        }
        List<Window> windows = List.of();
        for (int stage = 0; stage < VOTE_ORDER.length; stage++) {
            List<Window> votes = new ArrayList<>();
            for (int s = 0; s < scans.size(); s++) {
                ShardScan scan = scans.get(s);
                scan.scan(VOTE_ORDER[stage], VOTE_ORDER.length);
                votes.addAll(scan.windows(tuning.maxWindows()));
                t = profile == null ? 0 : lap(t, profile.voteNs, s);
            }
            boolean last = stage == VOTE_ORDER.length - 1;
            windows = Window.merge(votes, tuning.maxWindows(), last ? minVotes : Math.min(minVotes, 2));
            boolean stop = stage <= 1 && decisive(windows, tuning);
            if (profile != null) {
                profile.stages = stage + 1;
                t = lap(t, profile, 0);
            }
            if (stop) {
                break;
            }
        }
        windows = windows.stream().filter(w -> w.votes() >= minVotes).toList();
        if (profile != null) {
            for (int s = 0; s < scans.size(); s++) {
                profile.postingsRead[s] = scans.get(s).postingsRead();
            }
            t = lap(t, profile, 0);
        }
        if (windows.isEmpty()) {
            scans.forEach(ShardScan::release);
            return List.of();
        }
        // pass 2: the hits inside those windows, from every shard
        Map<String, Hits> byTrack = new HashMap<>();
        for (int s = 0; s < scans.size(); s++) {
            Map<String, Hits> part = scans.get(s).hits(windows);
            scans.get(s).release();
            t = profile == null ? 0 : lap(t, profile.hitsNs, s);
            for (Map.Entry<String, Hits> e : part.entrySet()) {
                byTrack.merge(e.getKey(), e.getValue(), Hits::concat);
            }
            t = profile == null ? 0 : lap(t, profile, 0);
        }
        List<Match> out = new ArrayList<>();
        boolean[] seen = new boolean[query.size()];
        Set<String> done = new HashSet<>();
        for (Window w : windows) { // best votes first
            Hits h = byTrack.get(w.trackId());
            if (done.size() == tuning.maxCandidates()) {
                break;
            }
            if (h == null || !done.add(w.trackId())) {
                continue;
            }
            Match m = fitLine(w.trackId(), h, query, seen);
            if (m != null) {
                out.add(betterOfRepeats(w.trackId(), h, query, seen, m));
            }
            if (profile != null) {
                profile.fitted++;
                profile.hits += h.size;
            }
        }
        t = profile == null ? 0 : lap(t, profile, 1);
        Comparator<Match> best = Comparator.comparingDouble(Match::confidence).reversed()
                .thenComparing(Comparator.comparingInt(Match::alignedCount).reversed())
                .thenComparing(Match::trackId);
        out.sort(best);
        // the peak check: every line the triplets would accept but not beyond doubt, and the best
        // peakChecksBelowThreshold of the others
        int budget = tuning.peakChecksBelowThreshold();
        for (int i = 0; i < out.size(); i++) {
            Match m = out.get(i);
            if (m.alignedCount() < tuning.peakCheckMinAligned() || m.confidence() >= tuning.peakCheckBelowConfidence()) {
                continue;
            }
            if (m.confidence() < thresholds.minConfidence()) {
                if (budget == 0) {
                    continue;
                }
                budget--;
            }
            out.set(i, checkPeaks(query, m));
        }
        out.sort(best);
        if (profile != null) {
            lap(t, profile, 2);
        }
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Adds the thread CPU time since {@code t} to {@code ns[i]}; returns the time now. */
    private static long lap(long t, long[] ns, int i) {
        long now = MatchProfile.now();
        ns[i] += now - t;
        return now;
    }

    /** Adds the thread CPU time since {@code t} to the profile's combine (0), fit (1) or peak (2) time. */
    private static long lap(long t, MatchProfile p, int step) {
        long now = MatchProfile.now();
        switch (step) {
            case 0 -> p.combineNs += now - t;
            case 1 -> p.fitNs += now - t;
            default -> p.peakNs += now - t;
        }
        return now;
    }

    /**
     * The better of a track's two lines when its music repeats: the same bars some seconds later put a second
     * line through the track's hits, and where speech covers part of the query the wrong one can gather more
     * triplets (a talk-over intro then places the track seconds off, and the play splits). For a first line the
     * triplets accept (confidence at least the threshold's), the line of the hits off it is fitted too; when that
     * one has at least the aligned minimum and the track's anchor peaks along
     * it explain the query better by {@value #REPEAT_MARGIN} nats ({@link #explains}: present where the line puts
     * them, and few put where the track is not), it wins: the true line explains the query where the repeat does
     * not.
     */
    private Match betterOfRepeats(String trackId, Hits h, QueryFingerprints query, boolean[] seen, Match first) {
        int minAligned = thresholds.minAlignedTriplets();
        if (first.confidence() < thresholds.minConfidence() || h.size < 3 * minAligned) {
            return first; // only a line the triplets accept can mislead (chance lines are the peak check's)
        }
        float[] qt = query.startFrames();
        double a = first.timeScale();
        double off = first.trackOffsetMs() / config.frameMs();
        double away = 4 * tuning.alignToleranceFrames();
        Hits rest = new Hits(h.size);
        for (int i = 0; i < h.size; i++) {
            if (Math.abs(h.frame[i] - a * qt[h.query[i]] - off) > away) {
                rest.add(h.frame[i], h.pitch[i] & 0xff, h.query[i]);
            }
        }
        if (rest.size < 2 * minAligned) {
            return first;
        }
        Match alt = fitLine(trackId, rest, query, seen);
        if (alt == null || alt.alignedCount() < minAligned) {
            return first;
        }
        PeakCheck.Presence p = anchorPresence(query, trackId, a, off, first.frequencyFactor(), true);
        PeakCheck.Presence q = anchorPresence(query, trackId, alt.timeScale(), alt.trackOffsetMs() / config.frameMs(),
                alt.frequencyFactor(), false);
        double p0 = Math.min(0.5, Math.max(0.01, p.chanceRate()));
        double margin = explains(q, p0) - explains(p, p0);
        return margin >= REPEAT_MARGIN ? alt : first;
    }

    /** How much better, in nats, the other line must explain the query to win: odds of 100 to 1. */
    private static final double REPEAT_MARGIN = 4.6;
    /** Present-anchor rate of a line where its track is audible (speech over it included), for {@link #explains}. */
    private static final double AUDIBLE_ANCHOR_RATE = 0.25;

    /**
     * How well a line explains the query: the log-likelihood ratio of its anchors' presence, "the track is audible
     * all along the line" (anchors present at {@value #AUDIBLE_ANCHOR_RATE}) against chance ({@code p0}); a line
     * that puts the track where it is not pays for every anchor there.
     */
    private static double explains(PeakCheck.Presence p, double p0) {
        double p1 = Math.max(AUDIBLE_ANCHOR_RATE, 2 * p0);
        double gain = Math.log(p1 / p0);
        double cost = Math.log((1 - p1) / (1 - p0));
        double sum = 0;
        for (boolean b : p.present()) {
            sum += b ? gain : cost;
        }
        return sum;
    }

    /**
     * The candidate with its {@link PeakCheck} folded into its confidence. Only candidates with at
     * least {@code peakCheckMinAligned} aligned triplets whose triplet confidence is below
     * {@code peakCheckBelowConfidence} are checked: every one the thresholds would accept, and the best
     * {@code peakChecksBelowThreshold} of the rest (see {@link FingerprintConfig.Matching}). When the check has a verdict (enough anchors inside
     * the query), a score below {@code peakRefuteBelowZ} refutes the line (confidence 0: its anchors
     * are no more present than chance, however many triplets agree), otherwise the confidence is
     * the higher of the triplets' and {@link #peakConfidence}.
     */
    private Match checkPeaks(QueryFingerprints query, Match m) {
        PeakCheck.Presence p = anchorPresence(query, m.trackId(), m.timeScale(), m.trackOffsetMs() / config.frameMs(),
                m.frequencyFactor());
        if (p.size() < tuning.peakMinAnchors()) {
            return m;
        }
        int present = 0;
        for (boolean b : p.present()) {
            present += b ? 1 : 0;
        }
        double z = PeakCheck.z(present, p.size(), p.chanceRate());
        double c = z < tuning.peakRefuteBelowZ() ? 0 : Math.max(m.confidence(), peakConfidence(z));
        return c == m.confidence() ? m : new Match(m.trackId(), m.trackOffsetMs(), m.matchStartMs(), m.matchEndMs(),
                m.alignedCount(), c, m.timeScale(), m.frequencyFactor());
    }

    /**
     * Which of a track's anchor peaks a known line puts inside a query, and whether each is present
     * among the query's peaks (see {@link PeakCheck}); the anchors come from every shard.
     *
     * @param query           the query
     * @param trackId         the track
     * @param a               time scale (track frames per query frame)
     * @param bFrames         track frame at query frame 0
     * @param frequencyFactor query frequency / track frequency
     */
    PeakCheck.Presence anchorPresence(QueryFingerprints query, String trackId, double a, double bFrames,
                                      double frequencyFactor) {
        return anchorPresence(query, trackId, a, bFrames, frequencyFactor, true);
    }

    /**
     * {@link #anchorPresence(QueryFingerprints, String, double, double, double)}, with the chance rate only when
     * {@code withChance} (else NaN, and only the anchors inside the query are read).
     */
    PeakCheck.Presence anchorPresence(QueryFingerprints query, String trackId, double a, double bFrames,
                                      double frequencyFactor, boolean withChance) {
        int reach = withChance ? PeakCheck.MAX_TIME_SHIFT_FRAMES + 2 : 2;
        int[][] anchors = anchors(trackId, (int) Math.floor(bFrames - a * reach),
                (int) Math.ceil(bFrames + a * (query.durationFrames() + reach)));
        return PeakCheck.presence(config, query, anchors[0], anchors[1], a, bFrames, frequencyFactor, withChance);
    }

    /**
     * For each of several lines of one track, how many of its anchors inside the query are present among the
     * query's peaks ({@link PeakCheck} without the chance rate); the anchors are read once.
     *
     * @param a               time scales (track frames per query frame)
     * @param bFrames         track frames at query frame 0, as many as scales
     * @param frequencyFactor query frequency / track frequency
     */
    int[] anchorsPresent(QueryFingerprints query, String trackId, double[] a, double[] bFrames,
                         double frequencyFactor) {
        int[] out = new int[a.length];
        if (a.length == 0) {
            return out;
        }
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < a.length; i++) {
            lo = Math.min(lo, bFrames[i] - 2 * a[i]);
            hi = Math.max(hi, bFrames[i] + a[i] * (query.durationFrames() + 2));
        }
        int[][] anchors = anchors(trackId, (int) Math.floor(lo), (int) Math.ceil(hi));
        for (int i = 0; i < a.length; i++) {
            PeakCheck.Presence p = PeakCheck.presence(config, query, anchors[0], anchors[1], a[i], bFrames[i],
                    frequencyFactor, false);
            for (boolean b : p.present()) {
                out[i] += b ? 1 : 0;
            }
        }
        return out;
    }

    /**
     * The distinct anchor peaks of a track with frames in {@code [from, to]}, from every shard
     * (a shard holds the anchors of its own fingerprints): {frames, pitches}, in frame order.
     */
    int[][] anchors(String trackId, int from, int to) {
        if (shards.size() == 1) {
            FingerprintIndex.View view = shards.get(0).view();
            int ordinal = view.ordinal(trackId);
            return ordinal < 0 ? new int[][] {new int[0], new int[0]} : view.anchors(ordinal, from, to);
        }
        long[] all = new long[0];
        for (FingerprintIndex shard : shards) {
            FingerprintIndex.View view = shard.view();
            int ordinal = view.ordinal(trackId);
            if (ordinal < 0) {
                continue;
            }
            int[][] part = view.anchors(ordinal, from, to);
            int at = all.length;
            all = Arrays.copyOf(all, at + part[0].length);
            for (int i = 0; i < part[0].length; i++) {
                all[at + i] = (long) part[0][i] << 8 | part[1][i];
            }
        }
        Arrays.sort(all);
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[n++] = all[i];
            }
        }
        int[] frames = new int[n];
        int[] pitches = new int[n];
        for (int i = 0; i < n; i++) {
            frames[i] = (int) (all[i] >> 8);
            pitches[i] = (int) (all[i] & 0xff);
        }
        return new int[][] {frames, pitches};
    }

    /**
     * Confidence from a {@link PeakCheck} score z: {@code 1 - exp(-(z - 8.5))}, clamped to [0, 1]:
     * 0 up to z = 8.5 (the highest score of a chance line on the bench), 0.5 at z = 9.2, 0.9 at 10.8.
     * Calibrated on the bench together with the triplet confidence: see {@link MatchThresholds}.
     */
    static double peakConfidence(double z) {
        return Math.max(0, Math.min(1, 1 - Math.exp(-(z - 8.5))));
    }

    /**
     * Where a known line of one track is supported in a query: the triplets whose hits fall on
     * {@code trackFrame = a * queryFrame + b} (within {@code alignToleranceFrames}) with the pitch
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
            int base = view.base(ordinal);
            for (int q = 0; q < query.size(); q++) {
                double expected = base + a * qt[q] + bFrames;
                double pitch = qp[q] - pitchShift;
                int pLo = (int) Math.max(0, Math.ceil(pitch - tuning.pitchToleranceSteps()));
                int pHi = (int) Math.min(255, Math.floor(pitch + tuning.pitchToleranceSteps()));
                if (pLo > pHi) {
                    continue;
                }
                for (int k = offsets[q]; k < offsets[q + 1] && !on[q]; k++) {
                    int key = keys[k];
                    if (key < shard.hashFrom() || key >= shard.hashTo()) {
                        continue;
                    }
                    for (int r = 0; r < view.runCount() && !on[q]; r++) {
                        FingerprintIndex.Run postings = view.run(r);
                        long range = postings.range(key, pLo, pHi);
                        if (range < 0) {
                            continue;
                        }
                        for (int i = (int) (range >>> 32); i < (int) range; i++) {
                            if (Math.abs(postings.frameAt(i) - expected) <= tuning.alignToleranceFrames()
                                    && view.live(ordinal)) {
                                on[q] = true;
                                break;
                            }
                        }
                    }
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
     * Whether the votes of a quarter or half of the query already name one placement beyond doubt: at least
     * {@code decisiveVotes} votes and {@code decisiveRatio} times the best window of any other
     * track (a chunk that also holds the end of another song keeps voting).
     */
    static boolean decisive(List<Window> windows, FingerprintConfig.Matching tuning) {
        if (windows.isEmpty() || windows.get(0).votes() < tuning.decisiveVotes()) {
            return false;
        }
        Window top = windows.get(0);
        int other = 0;
        for (Window w : windows) {
            if (!w.trackId().equals(top.trackId()) && w.source() != top.source()) {
                other = Math.max(other, w.votes());
            }
        }
        return top.votes() >= tuning.decisiveRatio() * other;
    }

    /**
     * A stretch of track offsets ({@code trackFrame - queryFrame}, at time scale 1) where a track
     * gathered votes in the first pass.
     *
     * @param trackId   the track
     * @param fromFrame first offset of the window, frames (may be negative: the track starts inside the query)
     * @param toFrame   last offset of the window, frames
     * @param votes     postings of the query's keys inside it, pitch-compatible
     * @param source    which shard bin it came from (shard's first hash, bin): a bin near the boundary of two tracks names both,
     *                  and such twins are one piece of evidence, not two
     */
    record Window(String trackId, int fromFrame, int toFrame, int votes, long source) {
        /**
         * Merges the windows of all shards: windows of one track that overlap become one with the
         * summed votes; then the best {@code limit} with at least {@code minVotes}, most votes first.
         */
        static List<Window> merge(List<Window> all, int limit, int minVotes) {
            List<Window> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparing(Window::trackId).thenComparingInt(Window::fromFrame));
            List<Window> merged = new ArrayList<>();
            for (Window w : sorted) {
                Window last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && last.trackId.equals(w.trackId) && w.fromFrame <= last.toFrame) {
                    merged.set(merged.size() - 1, new Window(w.trackId, last.fromFrame,
                            Math.max(last.toFrame, w.toFrame), last.votes + w.votes, last.source));
                } else {
                    merged.add(w);
                }
            }
            merged.removeIf(w -> w.votes < minVotes);
            merged.sort(Comparator.comparingInt(Window::votes).reversed().thenComparing(Window::trackId)
                    .thenComparingInt(Window::fromFrame));
            return merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
        }
    }

    /**
     * One shard's part of one query, in two passes over one consistent snapshot of the shard (so a
     * shard can be another process that keeps this object between the two calls).
     *
     * <p>First pass ({@link #scan}, possibly in parts): every posting of the query's keys in the shard's hash range
     * whose anchor pitch fits a tolerated speed change votes for the bin of its global offset
     * {@code globalFrame - queryFrame} ({@code 2^voteBinFramesLog2} frames per bin, at time scale 1).
     * A true match piles its votes into one or two adjacent bins, chance hits spread over all of
     * them; no track is looked up per posting. The posting ranges found are kept for the second
     * pass ({@link #hits}), which gathers the hits inside the chosen windows without searching again.
     */
    static final class ShardScan {
        private final FingerprintIndex shard;
        private final FingerprintIndex.View view;
        private final QueryFingerprints query;
        private final int pad;
        private final int pitchWindow;
        private final int binShift;
        private final int hotVotes;
        /** Votes per offset bin: the first {@code nBins} entries (the array is reused, see {@link Scratch}). */
        private final char[] counts;
        private final int nBins;
        private Scratch scratch;
        /** Posting ranges of the first pass: run, from, to, query triplet; {@code size} entries. */
        private int[] run = new int[0];
        private int[] from = new int[0];
        private int[] to = new int[0];
        private int[] triplet = new int[0];
        private int size;
        /** Bins that reached {@code hotVotes} votes, in the order they did; {@code hotCount} of them. */
        private int[] hot = new int[256];
        private int hotCount;
        /** The bin of every posting of the first pass, in range order; {@code used} of them. */
        private int[] bins;
        private int used;

        private ShardScan(FingerprintIndex shard, FingerprintIndex.View view, QueryFingerprints query, int pad,
                          Scratch scratch, int nBins, int pitchWindow, int binShift, int hotVotes) {
            this.shard = shard;
            this.scratch = scratch;
            this.nBins = nBins;
            this.counts = scratch.counts;
            this.bins = scratch.bins;
            this.view = view;
            this.query = query;
            this.pad = pad;
            this.pitchWindow = pitchWindow;
            this.binShift = binShift;
            this.hotVotes = hotVotes;
        }

        /**
         * Starts one shard's part of a query; {@link #scan} then votes with parts of the query.
         *
         * @param shard       the shard
         * @param query       the query
         * @param pitchWindow largest |query pitch - track pitch| that can still be a match, pitch steps
         */
        static ShardScan open(FingerprintIndex shard, QueryFingerprints query, int pitchWindow, int binShift,
                              int hotVotes) {
            FingerprintIndex.View view = shard.view();
            int space = view.frameSpace();
            int pad = query.durationFrames() + (4 << binShift);
            int nBins = space == 0 ? 0 : ((space + pad) >> binShift) + 2;
            int keys = query.keys().length;
            ShardScan s = new ShardScan(shard, view, query, pad, Scratch.take(nBins, Math.max(4096, keys * 16)),
                    nBins, pitchWindow, binShift, hotVotes);
            s.reserve(keys);
            return s;
        }

        /**
         * Gives the scan's big arrays back for later queries; the scan must not be used afterwards.
         * Optional (an unreleased scan's arrays are simply collected), idempotent.
         */
        void release() {
            if (scratch != null) {
                scratch.bins = bins;
                Scratch.give(scratch);
                scratch = null;
            }
        }

        /** Postings read by the votes so far. */
        long postingsRead() {
            return used;
        }

        /**
         * Votes with the query triplets {@code q} where {@code q % parts == part}.
         */
        void scan(int part, int parts) {
            if (nBins == 0) {
                return;
            }
            long[] order = sortedKeys(query, shard.hashFrom(), shard.hashTo(), part, parts);
            float[] qt = query.startFrames();
            float[] qp = query.pitches();
            int runs = view.runCount();
            // the hot loop works on locals (the JIT keeps them in registers across the rare heat() call)
            int[] bins = this.bins;
            int used = this.used;
            char[] counts = this.counts;
            int binShift = this.binShift;
            int hotVotes = this.hotVotes;
            // the keys' searches run in batches (FingerprintIndex.Run#starts), the votes in key order as before
            int[] bHash = new int[LOOKUP_BATCH];
            int[] bLo = new int[LOOKUP_BATCH];
            int[] bHi = new int[LOOKUP_BATCH];
            int[] sLo = new int[LOOKUP_BATCH];
            int[] sHi = new int[LOOKUP_BATCH];
            long[] starts = new long[LOOKUP_BATCH * Math.max(1, runs)];
            for (int b0 = 0; b0 < order.length; b0 += LOOKUP_BATCH) {
                int nb = Math.min(LOOKUP_BATCH, order.length - b0);
                for (int k = 0; k < nb; k++) {
                    long entry = order[b0 + k];
                    int pitch = Math.round(qp[(int) entry]);
                    bHash[k] = (int) (entry >>> 32);
                    bLo[k] = Math.max(0, pitch - pitchWindow);
                    bHi[k] = Math.min(255, pitch + pitchWindow);
                }
                for (int r = 0; r < runs; r++) {
                    view.run(r).starts(nb, bHash, bLo, bHi, sLo, sHi, starts, r * LOOKUP_BATCH);
                }
                for (int k = 0; k < nb; k++) {
                    long entry = order[b0 + k];
                    int key = (int) (entry >>> 32);
                    int q = (int) entry;
                    int shift = pad - Math.round(qt[q]);
                    int hi = bHi[k];
                    for (int r = 0; r < runs; r++) {
                        FingerprintIndex.Run postings = view.run(r);
                        long start = starts[r * LOOKUP_BATCH + k];
                        if (start < 0) {
                            continue;
                        }
                        int f = (int) (start >>> 32);
                        int end = (int) start;
                        int most = Math.min(end - f, FingerprintIndex.MAX_POSTINGS_PER_KEY);
                        if (used + most > bins.length) {
                            bins = Arrays.copyOf(bins, Math.max(bins.length * 2, used + most));
                        }
                        int last = postings.lastLowPitch(key, hi);
                        int t = f;
                        for (; t < end; t++) {
                            long posting = postings.postingAt(t);
                            if (((int) (posting >>> 32) & 0xffff) > last) {
                                break;
                            }
                            int bin = ((int) posting + shift) >> binShift;
                            bins[used++] = bin;
                            int c = counts[bin] + 1;
                            counts[bin] = (char) (c | ((Character.MAX_VALUE - c) >> 31)); // saturates
                            if (c == hotVotes) {
                                heat(bin);
                            }
                        }
                        keep(r, f, t, q);
                    }
                }
            }
            this.bins = bins;
            this.used = used;
        }

        /**
         * The query's keys in the shard's range as {@code key << 32 | triplet}, sorted by key (two
         * 12-bit radix passes), so that the index is read in one direction and repeated keys meet.
         */
        private static long[] sortedKeys(QueryFingerprints query, int hashFrom, int hashTo, int part, int parts) {
            int[] keys = query.keys();
            int[] offsets = query.keyOffsets();
            long[] a = new long[keys.length];
            int n = 0;
            for (int q = part; q < query.size(); q += parts) {
                for (int k = offsets[q]; k < offsets[q + 1]; k++) {
                    int key = keys[k];
                    if (key >= hashFrom && key < hashTo) {
                        a[n++] = (long) key << 32 | q;
                    }
                }
            }
            long[] b = new long[n];
            int[] count = new int[(1 << 12) + 1];
            for (int pass = 0; pass < 2; pass++) {
                int shift = 32 + 12 * pass;
                Arrays.fill(count, 0);
                for (int i = 0; i < n; i++) {
                    count[(int) (a[i] >>> shift) & 0xfff]++;
                }
                for (int i = 0, sum = 0; i < count.length - 1; i++) {
                    int c = count[i];
                    count[i] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    b[count[(int) (a[i] >>> shift) & 0xfff]++] = a[i];
                }
                long[] t = a;
                a = b;
                b = t;
            }
            return n == a.length ? a : Arrays.copyOf(a, n);
        }

        /** Notes a bin that just reached {@code hotVotes}. */
        private void heat(int bin) {
            if (hotCount == hot.length) {
                hot = Arrays.copyOf(hot, hot.length * 2);
            }
            hot[hotCount++] = bin;
        }

        private void reserve(int capacity) {
            run = new int[Math.max(16, capacity)];
            from = new int[run.length];
            to = new int[run.length];
            triplet = new int[run.length];
        }

        private void keep(int r, int f, int t, int q) {
            if (size == run.length) {
                run = Arrays.copyOf(run, Math.max(16, size * 2));
                from = Arrays.copyOf(from, Math.max(16, size * 2));
                to = Arrays.copyOf(to, Math.max(16, size * 2));
                triplet = Arrays.copyOf(triplet, Math.max(16, size * 2));
            }
            run[size] = r;
            from[size] = f;
            to[size] = t;
            triplet[size] = q;
            size++;
        }

        /**
         * The best windows of this shard: pairs of adjacent bins with the most votes, at least 4
         * bins apart, each widened by a bin on both sides and given to the live tracks it can
         * belong to.
         *
         * @param limit at most this many bins (a bin near a track boundary can name two tracks)
         */
        List<Window> windows(int limit) {
            int keep = 3 * limit;
            int[] bestBin = new int[keep];
            int[] bestVotes = new int[keep];
            int held = 0;
            // only pairs that hold a hot bin (a pair of two cooler bins has fewer than 2 * hotVotes votes)
            for (int h = 0; h < hotCount; h++) {
                int hot = this.hot[h];
                int bin = hot > 0 && counts[hot - 1] < hotVotes ? hot - 1 : hot; // else hot - 1 has its own turn
                for (; bin <= hot && bin + 1 < nBins; bin++) {
                    int v = counts[bin] + counts[bin + 1];
                    if (held == keep && v <= bestVotes[held - 1]) {
                        continue;
                    }
                    int at = held == keep ? held - 1 : held++;
                    while (at > 0 && bestVotes[at - 1] < v) {
                        bestVotes[at] = bestVotes[at - 1];
                        bestBin[at] = bestBin[at - 1];
                        at--;
                    }
                    bestVotes[at] = v;
                    bestBin[at] = bin;
                }
            }
            List<Window> out = new ArrayList<>();
            int[] chosen = new int[limit];
            int nChosen = 0;
            int space = view.frameSpace();
            int duration = query.durationFrames();
            next:
            for (int i = 0; i < held && nChosen < limit; i++) {
                int bin = bestBin[i];
                for (int c = 0; c < nChosen; c++) {
                    if (Math.abs(chosen[c] - bin) <= 3) {
                        continue next;
                    }
                }
                chosen[nChosen++] = bin;
                // global offsets g = globalFrame - queryFrame covered by bins bin-1 .. bin+2
                int gFrom = ((bin - 1) << binShift) - pad;
                int gTo = ((bin + 3) << binShift) - pad - 1;
                int first = Math.max(0, view.ordinalOfGlobal(Math.max(0, gFrom)));
                int last = view.ordinalOfGlobal(Math.min(space - 1, gTo + duration));
                for (int t = first; t <= last; t++) {
                    if (view.live(t)) {
                        out.add(new Window(view.trackId(t), gFrom - view.base(t), gTo - view.base(t), bestVotes[i],
                                (long) shard.hashFrom() << 32 | bin));
                    }
                }
            }
            return out;
        }

        /**
         * The second pass: the hits inside the given windows (of any shard's choosing), grouped by
         * track id.
         */
        Map<String, Hits> hits(List<Window> windows) {
            if (nBins == 0) {
                return Map.of();
            }
            long[] marks = scratch.marks(nBins);
            int n = 0;
            int[] ordinal = new int[windows.size()];
            int[] base = new int[windows.size()];
            int[] end = new int[windows.size()];
            int[] lo = new int[windows.size()];
            int[] hi = new int[windows.size()];
            for (Window w : windows) {
                int t = view.ordinal(w.trackId());
                if (t < 0) {
                    continue;
                }
                // the window in global offsets, and the track's global frames
                ordinal[n] = t;
                base[n] = view.base(t);
                end[n] = t + 1 < view.trackSlots() ? view.base(t + 1) : view.frameSpace();
                lo[n] = base[n] + w.fromFrame();
                hi[n] = base[n] + w.toFrame();
                int b0 = Math.max(0, (lo[n] + pad) >> binShift);
                int b1 = Math.min(nBins - 1, (hi[n] + pad) >> binShift);
                for (int b = b0; b <= b1; b++) {
                    marks[b >>> 6] |= 1L << b;
                }
                n++;
            }
            Hits[] hits = new Hits[n];
            float[] qt = query.startFrames();
            int pos = 0;
            for (int e = 0; e < size; e++) {
                int f = from[e];
                int count = to[e] - f;
                FingerprintIndex.Run postings = view.run(run[e]);
                int q = triplet[e];
                int queryFrame = Math.round(qt[q]);
                for (int j = 0; j < count; j++) {
                    int bin = bins[pos + j];
                    if ((marks[bin >>> 6] & (1L << bin)) == 0) {
                        continue;
                    }
                    int i = f + j;
                    int global = postings.frameAt(i);
                    int g = global - queryFrame;
                    for (int w = 0; w < n; w++) {
                        if (g >= lo[w] && g <= hi[w] && global >= base[w] && global < end[w]) {
                            if (hits[w] == null) {
                                hits[w] = new Hits(64);
                            }
                            hits[w].add(global - base[w], postings.lowPitchAt(i) & 0xff, q);
                            break;
                        }
                    }
                }
                pos += count;
            }
            Map<String, Hits> out = new HashMap<>();
            for (int w = 0; w < n; w++) {
                if (hits[w] != null) {
                    out.merge(view.trackId(ordinal[w]), hits[w], Hits::concat);
                }
            }
            return out;
        }
    }

    /**
     * A shard scan's big arrays, reused from query to query: against 100 000 tracks the vote counts
     * are 4 MB, the postings' bins tens of MB; allocating them afresh for every query (as humongous
     * objects) cost more than clearing them. At most {@value #POOLED} sets are kept.
     */
    static final class Scratch {
        private static final int POOLED = 8;
        private static final java.util.concurrent.ArrayBlockingQueue<Scratch> POOL =
                new java.util.concurrent.ArrayBlockingQueue<>(POOLED);
        char[] counts = new char[0];
        int[] bins = new int[0];
        long[] marks = new long[0];

        /** A set whose first {@code nBins} counts are zero and whose bins hold at least {@code binsCapacity}. */
        static Scratch take(int nBins, int binsCapacity) {
            Scratch s = POOL.poll();
            if (s == null) {
                s = new Scratch();
            }
            if (s.counts.length < nBins) {
                s.counts = new char[nBins];
            } else {
                Arrays.fill(s.counts, 0, nBins, (char) 0);
            }
            if (s.bins.length < binsCapacity) {
                s.bins = new int[binsCapacity];
            }
            return s;
        }

        /** A bitset of {@code nBins} bits, all clear. */
        long[] marks(int nBins) {
            int words = (nBins + 63) >>> 6;
            if (marks.length < words) {
                marks = new long[words];
            } else {
                Arrays.fill(marks, 0, words, 0L);
            }
            return marks;
        }

        static void give(Scratch s) {
            POOL.offer(s);
        }
    }

    private Match fitLine(String trackId, Hits h, QueryFingerprints query, boolean[] seen) {
        float[] qt = query.startFrames();
        int n = h.size;
        double d = config.maxScaleDeviation();
        double aMin = 1 / (1 + d);
        double aMax = 1 + d;
        double duration = Math.max(1, query.durationFrames());
        double tolerance = tuning.alignToleranceFrames();
        double step = Math.max(1e-4, tolerance / duration);
        int stride = Math.max(1, n / COARSE_SAMPLE);
        int m = (n + stride - 1) / stride;
        int[] b = new int[m];
        // coarse pass: scales 4 steps apart, a window wide enough for the drift of half a coarse step
        double coarseStep = 4 * step;
        double coarseWindow = 2 * tolerance + 2 * coarseStep / 2 * duration;
        double[] best = {1, 0, 0};
        for (double a = aMin; a <= aMax + 1e-9; a += coarseStep) {
            vote(h, qt, a, stride, b, coarseWindow, best);
        }
        double coarseA = best[0];
        best[2] = 0;
        for (double a = coarseA - 2 * step; a <= coarseA + 2 * step + 1e-9; a += step) {
            vote(h, qt, a, stride, b, 2 * tolerance, best);
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
                if (Math.abs(h.frame[i] - a * q - off) <= 2 * tolerance) {
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
            if (seen[q] || Math.abs(h.frame[i] - a * qt[q] - off) > tolerance) {
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
                if (Math.abs(pitchDiff[i] - c) <= tuning.pitchToleranceSteps()) {
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
            if (Math.abs(pitchDiff[i] - centre) > tuning.pitchToleranceSteps()) {
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
