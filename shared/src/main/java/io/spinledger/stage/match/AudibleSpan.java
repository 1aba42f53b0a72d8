package io.spinledger.stage.match;

import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.QueryFingerprints;
import java.util.Arrays;

/**
 * Where in a chunk a matched track is audible, for play boundaries finer than the aligned triplets: a DJ
 * talking over an intro, a quiet fade-in or the track's own leading silence leave few triplets, so the first
 * aligned triplet often comes seconds after the track began airing (and the last one before it stopped).
 *
 * <p>The match fixes a placement (track offset, time scale, frequency factor). Along it the track's anchor peaks
 * are looked for one by one among the chunk's spectral peaks ({@link FingerprintEngine#anchorSupport}); because
 * the placement is given, anchors present clearly more often than the chance rate {@code p0} (the same anchors
 * moved off the placement) are evidence that the track is audible, even where too few of its triplets survive.
 *
 * <ol>
 *   <li>The time scale is refitted first: a scale fitted on a few seconds of triplets drifts when it is carried
 *       seconds away (1 % is a frame every 2.3 s, and an anchor must lie within 1.5 frames). The scales within
 *       {@value #SCALE_SEARCH_STEPS} steps of {@value #SCALE_STEP} around the match's, pivoting on the middle of
 *       the aligned triplets, count their present anchors in the chunk; the count has a plateau a few steps wide
 *       (the anchors' tolerance), and the middle of the plateau (within {@value #PLATEAU_ANCHORS} of the best)
 *       wins.</li>
 *   <li>From the first aligned triplet back (from the last one on), each anchor adds its log-likelihood ratio of
 *       "the track is audible here, anchors present at rate {@code p1}" ({@value #AUDIBLE_RATE}, or three times
 *       {@code p0} when that is more) against "chance, rate {@code p0}": {@code ln(p1 / p0)} when present,
 *       {@code ln((1 - p1) / (1 - p0))} when not. When the running sum peaks at {@value #MIN_EVIDENCE} or more
 *       (odds of 100 to 1), the boundary moves to the first present anchor where the sum comes within one present
 *       anchor's worth of its peak (the peak itself would follow a lone chance anchor past a true boundary). A
 *       stretch where speech hides every peak costs a little per anchor, so music found beyond it counts only
 *       when it outweighs the stretch. On chance placements in the bench broadcast the sum reached
 *       {@value #MIN_EVIDENCE} in 1.3-1.8 % of 2-10 s stretches.</li>
 *   <li>Where that leaves a gap before (after) the span, the same walk runs over the gap on the gap's local peaks
 *       ({@link FingerprintEngine#localPeakQuery}: the maxima of a small neighbourhood, which speech over the
 *       music hides far less often than the fingerprints' peaks), their chance rate measured in the gap itself
 *       (1.1-1.4 % of chance stretches reached {@value #MIN_EVIDENCE}).</li>
 *   <li>The span never leaves the chunk, and never goes before the track's first sample (where the placement
 *       puts track position 0) nor after its last anchor peak. When it starts within {@value #LEAD_IN_MS} ms of
 *       track time of the track's first anchor, it starts at the track's first sample: what precedes the first
 *       anchor is the track's own lead-in (silence or a fade-in), which airs with it. A start (end) within
 *       {@value #EDGE_MS} ms of the chunk's start (end), where the track goes on beyond the chunk, moves there.
 *       When it ends within {@value #LEAD_OUT_MS} ms of track time of the track's last anchor, it ends there: a
 *       quiet ending (a held chord, a reverb tail) keeps few peaks that survive the broadcast chain, yet airs to
 *       its last note. (Scanning the play-log bench's broadcasts of seeds 2026 and 11 in-process, the p90 end error of the noise case
 *       fell from 1.9 to 0.8 s and of the speed case from 4.8 to 2.7 s; a song faded out less than 3 s before
 *       its end is now said to end up to 3 s late.)</li>
 * </ol>
 *
 * <p>Cost: nothing beyond reading the track's anchor range when the aligned triplets already reach both edges of
 * the chunk (most chunks of a play); otherwise the refit and the walk on the fingerprints' peaks take under a
 * millisecond, and the local peaks about 0.5 ms per second of gap.
 */
final class AudibleSpan {
    /** Anchor presence the change point looks for where the track is audible (speech over it included). */
    static final double AUDIBLE_RATE = 0.25;
    /** Log-likelihood ratio, nats, the span needs to extend beyond its seed: ln 100. */
    static final double MIN_EVIDENCE = 4.6;
    /** Step of the time-scale refit. */
    static final double SCALE_STEP = 0.001;
    /** Steps either side of the match's time scale in the refit. */
    static final int SCALE_SEARCH_STEPS = 20;
    /** Scales within this many present anchors of the best make the refit's plateau. */
    static final int PLATEAU_ANCHORS = 1;
    /** Track time within which a span that reaches the track's first anchor starts at its first sample, ms. */
    static final long LEAD_IN_MS = 1_000;
    /** Track time within which a span that reaches the track's last anchors ends at its last anchor, ms. */
    static final long LEAD_OUT_MS = 3_000;
    /** A boundary this close to the chunk's edge, with the track going on beyond it, moves to the edge, ms. */
    static final long EDGE_MS = 500;
    /** Audio taken either side of a stretch whose local peaks are computed, ms. */
    static final long SLICE_MARGIN_MS = 300;

    /**
     * A span of a chunk, ms from its start.
     *
     * @param startMs       where the track becomes audible
     * @param endMs         where it stops
     * @param trackOffsetMs the placement the span was found on: track position of the chunk's first sample, ms
     * @param timeScale     and track ms per chunk ms (the match's, refitted on the track's anchors)
     */
    record Span(long startMs, long endMs, long trackOffsetMs, double timeScale) {
    }

    private AudibleSpan() {
    }

    /**
     * The audible span of a track along a placement in a chunk, grown from where it is known to be audible.
     *
     * @param engine          the engine that matched (its index holds the track's anchor peaks)
     * @param audio           the chunk's audio (for its local peaks, {@link FingerprintEngine#localPeakQuery}, where
     *                        the fingerprints' peaks leave part of the chunk unexplained)
     * @param query           the chunk's query fingerprints
     * @param trackId         the track
     * @param trackOffsetMs   track position of the chunk's first sample, ms
     * @param timeScale       track ms per chunk ms
     * @param frequencyFactor chunk frequency / track frequency
     * @param seedStartMs     where the track is known to be audible from (the first aligned triplet), ms
     * @param seedEndMs       and to (the last aligned triplet's end), ms
     * @return the span, {@code 0 <= start <= end <= } the chunk's duration; the seed (clamped to the chunk) when
     *         the track's anchors are unknown
     */
    static Span grow(FingerprintEngine engine, Pcm audio, QueryFingerprints query, String trackId,
                            long trackOffsetMs, double timeScale, double frequencyFactor, long seedStartMs,
                            long seedEndMs) {
        long duration = audio.durationMs();
        long seedStart = clamp(seedStartMs, 0, duration);
        long seedEnd = clamp(seedEndMs, seedStart, duration);
        Span found = find(engine, audio, query, trackId, trackOffsetMs, timeScale, frequencyFactor, seedStart,
                seedEnd, true);
        return found == null ? new Span(seedStart, seedEnd, trackOffsetMs, timeScale) : found;
    }

    /**
     * Where a track is audible along a placement in a chunk before a point where it is only presumed audible
     * (the start of the next chunk, which matched it): for the look-back of {@link ChunkMatcher}.
     *
     * @param untilMs where the track is presumed audible, ms; the span ends there
     * @return the span, or null when the evidence does not reach {@value #MIN_EVIDENCE} before {@code untilMs}
     * @see #grow
     */
    static Span before(FingerprintEngine engine, Pcm audio, QueryFingerprints query, String trackId,
                              long trackOffsetMs, double timeScale, double frequencyFactor, long untilMs) {
        long until = clamp(untilMs, 0, audio.durationMs());
        return find(engine, audio, query, trackId, trackOffsetMs, timeScale, frequencyFactor, until, until, false);
    }

    /**
     * Where a track is audible along a placement in a chunk after a point where it is only presumed audible (the
     * end of the previous chunk, which matched it up to its last sample): for the look-forward of
     * {@link ChunkMatcher}.
     *
     * @param fromMs where the track is presumed audible, ms; the span starts there
     * @return the span, or null when the evidence does not reach {@value #MIN_EVIDENCE} after {@code fromMs}
     * @see #grow
     */
    static Span after(FingerprintEngine engine, Pcm audio, QueryFingerprints query, String trackId,
                      long trackOffsetMs, double timeScale, double frequencyFactor, long fromMs) {
        long[] anchorRange = engine.anchorRangeMs(trackId);
        if (anchorRange == null) {
            return null;
        }
        long duration = audio.durationMs();
        long from = clamp(fromMs, 0, duration);
        double a = timeScale;
        double b = trackOffsetMs;
        long highest = clamp((long) Math.floor((anchorRange[1] - b) / a) + 1, 0, duration);
        if (highest <= from) {
            return null; // the track is over
        }
        FingerprintEngine.AnchorSupport coarse = engine.anchorSupport(query, trackId, trackOffsetMs, a,
                frequencyFactor);
        long end = onward(engine, audio, trackId, coarse, b, a, frequencyFactor, from, highest);
        if (end == from) {
            return null;
        }
        return new Span(from, clamp(ending(end, true, a, b, anchorRange, highest, duration), from, duration),
                trackOffsetMs, a);
    }

    private static Span find(FingerprintEngine engine, Pcm audio, QueryFingerprints query, String trackId, long b0,
                             double a0, double frequencyFactor, long seedStart, long seedEnd, boolean seeded) {
        long[] anchorRange = engine.anchorRangeMs(trackId);
        if (anchorRange == null) {
            return null;
        }
        long duration = audio.durationMs();
        if (seeded && seedStart <= EDGE_MS && duration - seedEnd <= EDGE_MS && -b0 / a0 <= 0
                && (anchorRange[1] - b0) / a0 >= duration) {
            // the aligned triplets already reach both edges of the chunk, and the track goes on either side
            return new Span(0, duration, b0, a0);
        }
        // 1. the time scale, refitted on the anchors, pivoting on the middle of the seed (a seeded span only)
        double a = a0;
        double b = b0;
        if (seeded) {
            double pivot = (seedStart + seedEnd) / 2.0;
            double[] scales = new double[2 * SCALE_SEARCH_STEPS + 1];
            double[] offsets = new double[scales.length];
            for (int k = 0; k < scales.length; k++) {
                scales[k] = a0 + (k - SCALE_SEARCH_STEPS) * SCALE_STEP;
                offsets[k] = b0 + (a0 - scales[k]) * pivot;
            }
            int[] present = engine.anchorsPresent(query, trackId, offsets, scales, frequencyFactor);
            int most = 0;
            for (int c : present) {
                most = Math.max(most, c);
            }
            // anchors match within 1.5 frames, so the count has a plateau some steps wide: take its middle
            double sumK = 0;
            int n = 0;
            for (int k = 0; k < scales.length; k++) {
                if (present[k] >= most - PLATEAU_ANCHORS) {
                    sumK += k;
                    n++;
                }
            }
            int k = (int) Math.round(sumK / n);
            a = scales[k];
            b = offsets[k];
        }
        long offset = Math.round(b);
        // chunk times of the track's first sample and of its last anchor peak
        long lowest = clamp((long) Math.ceil(-b / a), 0, duration);
        long highest = clamp((long) Math.floor((anchorRange[1] - b) / a) + 1, 0, duration);

        // 2. the change points on the fingerprints' peaks, then on the local peaks where those leave a gap
        FingerprintEngine.AnchorSupport coarse = engine.anchorSupport(query, trackId, offset, a, frequencyFactor);
        long start = back(coarse, seedStart, lowest, MIN_EVIDENCE);
        long end = seeded ? onward(engine, audio, trackId, coarse, b, a, frequencyFactor, seedEnd, highest) : seedEnd;
        if (start - lowest > EDGE_MS) {
            start = back(local(engine, audio, trackId, b, a, frequencyFactor, lowest, start), start, lowest,
                    MIN_EVIDENCE);
        }
        if (!seeded && start == seedStart) {
            return null;
        }

        // 3. the track's lead-in and lead-out, and the chunk's edges
        if (start * a + b <= anchorRange[0] + LEAD_IN_MS || start - lowest <= EDGE_MS) {
            start = Math.min(start, lowest);
        }
        end = ending(end, seeded, a, b, anchorRange, highest, duration);
        start = clamp(start, 0, duration);
        end = clamp(Math.min(end, Math.max(highest, seedEnd)), start, duration);
        return new Span(start, end, offset, a);
    }

    /**
     * Where the track stops being audible after {@code fromMs}: the change point on the fingerprints' peaks, then,
     * where that leaves a gap before the track's last anchor ({@code highestMs}), on the gap's local peaks.
     */
    private static long onward(FingerprintEngine engine, Pcm audio, String trackId,
                               FingerprintEngine.AnchorSupport coarse, double b, double a, double frequencyFactor,
                               long fromMs, long highestMs) {
        long end = on(coarse, fromMs, highestMs, MIN_EVIDENCE);
        if (highestMs - end > EDGE_MS) {
            end = on(local(engine, audio, trackId, b, a, frequencyFactor, end, highestMs), end, highestMs,
                    MIN_EVIDENCE);
        }
        return end;
    }

    /**
     * A span's end after the track's lead-out (with {@code leadOut}: within {@value #LEAD_OUT_MS} ms of track time
     * of its last anchor, on to the last anchor) and the chunk's edge (within {@value #EDGE_MS} ms of it with the
     * track going on: there).
     */
    private static long ending(long end, boolean leadOut, double a, double b, long[] anchorRange, long highest,
                               long duration) {
        long e = leadOut && end * a + b >= anchorRange[1] - LEAD_OUT_MS ? Math.max(end, highest) : end;
        return highest == duration && highest - e <= EDGE_MS ? duration : e;
    }

    /**
     * The anchor support of a placement on the local peaks of {@code [fromMs, toMs)} of the audio (and
     * {@value #SLICE_MARGIN_MS} ms either side, cut on the chunk's frame grid), times in ms of the chunk.
     */
    private static FingerprintEngine.AnchorSupport local(FingerprintEngine engine, Pcm audio, String trackId,
                                                         double b, double a, double frequencyFactor, long fromMs,
                                                         long toMs) {
        float[] x = audio.samples();
        int rate = audio.sampleRateHz();
        int hop = engine.config().hopSize();
        int first = (int) (Math.max(0, fromMs - SLICE_MARGIN_MS) * rate / 1000 / hop * hop);
        int last = (int) Math.min(x.length, (toMs + SLICE_MARGIN_MS) * rate / 1000);
        double sliceMs = first * 1000.0 / rate;
        FingerprintEngine.AnchorSupport s = engine.anchorSupport(
                engine.localPeakQuery(new Pcm(Arrays.copyOfRange(x, first, Math.max(first, last)), rate)), trackId,
                Math.round(b + a * sliceMs), a, frequencyFactor);
        long[] times = new long[s.timesMs().length];
        for (int k = 0; k < times.length; k++) {
            times[k] = s.timesMs()[k] + Math.round(sliceMs);
        }
        return new FingerprintEngine.AnchorSupport(times, s.present(), s.chanceRate());
    }

    /**
     * The change point before {@code fromMs}, down to {@code lowestMs}: see {@link #changePoint}. Times in ms of the
     * chunk.
     */
    private static long back(FingerprintEngine.AnchorSupport support, long fromMs, long lowestMs, double minEvidence) {
        long[] t = support.timesMs();
        int n = 0;
        for (int i = t.length - 1; i >= 0 && t[i] >= lowestMs; i--) {
            n += t[i] < fromMs ? 1 : 0;
        }
        long[] times = new long[n];
        boolean[] present = new boolean[n];
        int k = 0;
        for (int i = t.length - 1; i >= 0 && t[i] >= lowestMs; i--) {
            if (t[i] < fromMs) {
                times[k] = t[i];
                present[k++] = support.present()[i];
            }
        }
        return changePoint(times, present, llr(support), fromMs, minEvidence);
    }

    /** The change point after {@code fromMs}, up to {@code highestMs}: {@link #back} the other way. */
    private static long on(FingerprintEngine.AnchorSupport support, long fromMs, long highestMs, double minEvidence) {
        long[] t = support.timesMs();
        int n = 0;
        for (long x : t) {
            n += x > fromMs && x < highestMs ? 1 : 0;
        }
        long[] times = new long[n];
        boolean[] present = new boolean[n];
        int k = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] > fromMs && t[i] < highestMs) {
                times[k] = t[i];
                present[k++] = support.present()[i];
            }
        }
        return changePoint(times, present, llr(support), fromMs, minEvidence);
    }

    /**
     * Where the track stops being audible, going away from a point where it is: the log-likelihood ratio of each
     * anchor ({@code llr}: a present one adds {@code llr[0]}, an absent one {@code llr[1]}) is summed in the order
     * given; when the sum's peak reaches {@code minEvidence}, the boundary is the first present anchor where the
     * sum comes within one present anchor's worth of the peak. (The peak itself would follow a chance anchor
     * past a true boundary whenever it came before a few absent ones made up for it.)
     *
     * @param times   the anchors' times, ms, in the order walked (away from {@code fromMs})
     * @param present whether each is present
     * @return the boundary, ms; {@code fromMs} when the evidence falls short
     */
    private static long changePoint(long[] times, boolean[] present, double[] llr, long fromMs, double minEvidence) {
        double sum = 0;
        double peak = 0;
        for (int i = 0; i < times.length; i++) {
            sum += present[i] ? llr[0] : llr[1];
            peak = Math.max(peak, sum);
        }
        if (peak < minEvidence) {
            return fromMs;
        }
        sum = 0;
        for (int i = 0; i < times.length; i++) {
            sum += present[i] ? llr[0] : llr[1];
            if (present[i] && sum >= peak - llr[0]) {
                return times[i];
            }
        }
        return fromMs; // not reached: the peak is at a present anchor
    }

    /** {ln(p1 / p0), ln((1 - p1) / (1 - p0))}: what a present and an absent anchor add. */
    private static double[] llr(FingerprintEngine.AnchorSupport support) {
        double p0 = Math.min(0.5, Math.max(0.01, support.chanceRate()));
        double p1 = Math.max(AUDIBLE_RATE, Math.min(0.6, 3 * p0));
        return new double[] {Math.log(p1 / p0), Math.log((1 - p1) / (1 - p0))};
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
