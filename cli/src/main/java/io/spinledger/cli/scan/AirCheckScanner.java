package io.spinledger.cli.scan;

import io.spinledger.audio.Pcm;
import io.spinledger.domain.Detection;
import io.spinledger.fingerprint.FingerprintEngine;
import io.spinledger.fingerprint.Match;
import io.spinledger.play.PlayAssembler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an air-check (a recording of a broadcast) into plays the way the pipeline does: cut into
 * chunks (window + overlap), identify each chunk, make a detection per match, and merge detections
 * into plays with {@link PlayAssembler}. A play starts where the aligned fingerprints of its first
 * chunk start and ends where those of its last chunk end, so its boundaries are finer than a chunk.
 */
public final class AirCheckScanner {
    private final FingerprintEngine engine;
    private final long chunkMs;
    private final long overlapMs;
    private final PlayAssembler assembler;

    /**
     * @param engine    the engine with the index loaded
     * @param chunkMs   chunk length, ms (the pipeline's default is 10 000)
     * @param overlapMs overlap of consecutive chunks, ms (default 2 000)
     * @param playGapMs largest gap between detections of one play, ms
     */
    public AirCheckScanner(FingerprintEngine engine, long chunkMs, long overlapMs, long playGapMs) {
        if (chunkMs <= overlapMs || overlapMs < 0) {
            throw new IllegalArgumentException("need 0 <= overlapMs < chunkMs");
        }
        this.engine = engine;
        this.chunkMs = chunkMs;
        this.overlapMs = overlapMs;
        this.assembler = new PlayAssembler(playGapMs, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS);
    }

    /**
     * One play found in the air-check.
     *
     * @param trackId        catalog track
     * @param startedAt      UTC start of the play
     * @param endedAt        UTC end of the play
     * @param startMs        start, ms from the start of the air-check
     * @param endMs          end, ms from the start of the air-check
     * @param trackOffsetMs  position in the track at the play's start, ms
     * @param timeScale      the speed it aired at (track ms per broadcast ms)
     * @param confidence     best detection confidence
     * @param detections     chunks that matched
     */
    public record Play(String trackId, Instant startedAt, Instant endedAt, long startMs, long endMs,
                       long trackOffsetMs, double timeScale, double confidence, int detections) {
    }

    /** Largest gap between supporting triplets when a boundary is extended, ms. */
    static final long REFINE_GAP_MS = 2_500;
    /** How far before the start (after the end) a boundary is searched, ms. */
    static final long REFINE_REACH_MS = 15_000;

    /**
     * Moves a play's boundaries to where its placement (track, offset, speed) stops being supported:
     * the chunk that found the play may have needed most of its aligned fingerprints, but before its
     * first one the same placement often still holds a few (a talk-over intro, a quiet fade-in).
     * Extends the start backwards and the end forwards over supporting triplets no more than
     * {@value #REFINE_GAP_MS} ms apart, within {@value #REFINE_REACH_MS} ms.
     *
     * @return {start, end} ms from the air-check's start
     */
    private long[] refine(Pcm audio, String trackId, long startMs, long endMs, long offsetAtStart, long offsetAtEnd,
                          double scale, double ff) {
        long from = Math.max(0, startMs - REFINE_REACH_MS);
        long to = Math.min(audio.durationMs(), startMs + 3_000);
        long start = startMs;
        if (to - from > 2_000) {
            long[][] sup = engine.support(audio.slice(from, to), trackId,
                    offsetAtStart - Math.round(scale * (startMs - from)), scale, ff);
            long[] starts = sup[0].clone();
            java.util.Arrays.sort(starts);
            // the track's own start bounds the extension (less half a second of tolerance)
            long trackStart = startMs - Math.round(offsetAtStart / scale) - 500;
            for (int i = starts.length - 1; i >= 0; i--) {
                long t = from + starts[i];
                if (t >= start || t < trackStart) {
                    continue;
                }
                if (start - t > REFINE_GAP_MS) {
                    break;
                }
                start = t;
            }
        }
        start = extendStartByAnchors(audio, trackId, start, startMs, offsetAtStart, scale, ff);
        long end = endMs;
        from = Math.max(0, endMs - 3_000);
        to = Math.min(audio.durationMs(), endMs + REFINE_REACH_MS);
        if (to - from > 2_000) {
            long[][] sup = engine.support(audio.slice(from, to), trackId,
                    offsetAtEnd - Math.round(scale * (endMs - from)), scale, ff);
            long[] ends = sup[1].clone();
            java.util.Arrays.sort(ends);
            for (long e : ends) {
                long t = from + e;
                if (t <= end) {
                    continue;
                }
                if (t - end > REFINE_GAP_MS) {
                    break;
                }
                end = t;
            }
        }
        return new long[] {start, end};
    }

    /**
     * Moves a play's start further back where its placement is still audible peak by peak though no
     * triplet survives (a DJ talking over the intro): going back from {@code start} in windows of
     * {@value #ANCHOR_WINDOW_MS} ms, {@value #ANCHOR_STEP_MS} ms apart, a window whose share of the
     * track's anchor peaks present in the audio stands at least {@value #ANCHOR_WINDOW_Z} standard
     * deviations above the chance rate (and holds at least {@value #ANCHOR_WINDOW_MIN} anchors) moves
     * the start to its first present anchor; {@value #ANCHOR_WALK_MISSES} windows in a row that do
     * not end the walk (speech masks the music unevenly). The track's own start bounds it: there are
     * no anchors before the track's frame 0.
     *
     * @param start         the start so far, ms from the air-check's start
     * @param startMs       the start the placement was measured at, ms
     * @param offsetAtStart track position at {@code startMs}, ms
     * @return the new start, ms (at most {@code start})
     */
    private long extendStartByAnchors(Pcm audio, String trackId, long start, long startMs, long offsetAtStart,
                                      double scale, double ff) {
        long from = Math.max(0, start - REFINE_REACH_MS);
        long to = Math.min(audio.durationMs(), start + ANCHOR_WINDOW_MS);
        if (to - from < 2 * ANCHOR_WINDOW_MS) {
            return start;
        }
        FingerprintEngine.AnchorSupport support = engine.anchorSupport(audio.slice(from, to), trackId,
                offsetAtStart - Math.round(scale * (startMs - from)), scale, ff);
        long hi = start - from;
        int misses = 0;
        for (; hi - ANCHOR_WINDOW_MS >= 0 && misses < ANCHOR_WALK_MISSES; hi -= ANCHOR_STEP_MS) {
            long lo = hi - ANCHOR_WINDOW_MS;
            if (support.count(lo, hi) < ANCHOR_WINDOW_MIN || !(support.z(lo, hi) >= ANCHOR_WINDOW_Z)) {
                misses++;
                continue;
            }
            misses = 0;
            long first = support.firstPresent(lo, hi);
            if (first >= 0 && from + first < start) {
                start = from + first;
            }
        }
        return start;
    }

    /** Window of the anchor walk ({@link #extendStartByAnchors}), ms. */
    static final long ANCHOR_WINDOW_MS = 2_000;
    /** Step of the anchor walk, ms (windows overlap). */
    static final long ANCHOR_STEP_MS = 1_000;
    /** The anchor walk ends after this many windows in a row fail. */
    static final int ANCHOR_WALK_MISSES = 3;
    /** Fewest anchors in a window of the anchor walk. */
    static final int ANCHOR_WINDOW_MIN = 8;
    /** Score a window of the anchor walk needs, binomial standard deviations above chance. */
    static final double ANCHOR_WINDOW_Z = 3.0;

    /** A station cannot air one track twice at once: overlapping plays of the same track become one. */
    private static List<Play> mergeOverlapping(List<Play> plays) {
        List<Play> sorted = new ArrayList<>(plays);
        sorted.sort(java.util.Comparator.comparingLong(Play::startMs));
        List<Play> out = new ArrayList<>();
        for (Play p : sorted) {
            Play prev = null;
            for (int i = out.size() - 1; i >= 0; i--) {
                Play o = out.get(i);
                if (o.trackId().equals(p.trackId()) && p.startMs() <= o.endMs()) {
                    prev = o;
                    out.remove(i);
                    break;
                }
            }
            if (prev == null) {
                out.add(p);
            } else {
                boolean later = p.endMs() > prev.endMs();
                out.add(new Play(prev.trackId(), prev.startedAt(), later ? p.endedAt() : prev.endedAt(),
                        prev.startMs(), Math.max(prev.endMs(), p.endMs()), prev.trackOffsetMs(), prev.timeScale(),
                        Math.max(prev.confidence(), p.confidence()), prev.detections() + p.detections()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(Play::startMs));
        return out;
    }

    /**
     * Scans an air-check.
     *
     * @param audio     the recording, mono at the engine's rate
     * @param stationId the station it was recorded from
     * @param startedAt UTC instant of its first sample
     * @return plays in time order
     */
    public List<Play> scan(Pcm audio, String stationId, Instant startedAt) {
        List<Detection> detections = new ArrayList<>();
        long step = chunkMs - overlapMs;
        long duration = audio.durationMs();
        for (long from = 0; from < duration; from += step) {
            long to = Math.min(duration, from + chunkMs);
            if (to - from < Math.min(chunkMs, 3_000)) {
                break;
            }
            Pcm chunk = audio.slice(from, to);
            String chunkId = stationId + "-" + from;
            Instant chunkStart = startedAt.plusMillis(from);
            for (Match m : engine.identify(chunk)) {
                detections.add(new Detection(chunkId + ":" + m.trackId(), chunkId, stationId, chunkStart, to - from,
                        m.trackId(), m.trackOffsetMs(), m.matchStartMs(), m.matchEndMs(), m.alignedCount(),
                        m.confidence(), Detection.Source.LOCAL, Map.of("timeScale", Double.toString(m.timeScale()),
                        "frequencyFactor", Double.toString(m.frequencyFactor()))));
            }
            if (to == duration) {
                break;
            }
        }
        List<Play> plays = new ArrayList<>();
        for (PlayAssembler.PlayGroup g : assembler.assemble(detections)) {
            Detection first = g.detections().get(0);
            double scale = g.detections().stream()
                    .mapToDouble(d -> Double.parseDouble(d.evidence().getOrDefault("timeScale", "1"))).average()
                    .orElse(1);
            double ff = g.detections().stream()
                    .mapToDouble(d -> Double.parseDouble(d.evidence().getOrDefault("frequencyFactor", "1"))).average()
                    .orElse(1);
            long startMs = g.startedAt().toEpochMilli() - startedAt.toEpochMilli();
            long endMs = g.endedAt().toEpochMilli() - startedAt.toEpochMilli();
            long offset = first.trackOffsetMs() + Math.round(scale * first.matchStartMs());
            Detection last = g.detections().stream()
                    .max(java.util.Comparator.comparing(Detection::matchEndedAt)).orElse(first);
            long offsetAtEnd = last.trackOffsetMs() + Math.round(scale * last.matchEndMs());
            long[] refined = refine(audio, g.trackId(), startMs, endMs, offset, offsetAtEnd, scale, ff);
            long shift = refined[0] - startMs;
            plays.add(new Play(g.trackId(), startedAt.plusMillis(refined[0]), startedAt.plusMillis(refined[1]),
                    refined[0], refined[1], offset + Math.round(scale * shift), scale, g.confidence(),
                    g.detections().size()));
        }
        plays = mergeOverlapping(plays);
        return plays;
    }
}
