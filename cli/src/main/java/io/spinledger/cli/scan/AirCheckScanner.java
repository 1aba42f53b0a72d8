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
                        m.confidence(), Detection.Source.LOCAL, Map.of("timeScale", Double.toString(m.timeScale()))));
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
            long startMs = g.startedAt().toEpochMilli() - startedAt.toEpochMilli();
            long offset = first.trackOffsetMs() + Math.round(scale * first.matchStartMs());
            plays.add(new Play(g.trackId(), g.startedAt(), g.endedAt(), startMs,
                    g.endedAt().toEpochMilli() - startedAt.toEpochMilli(), offset, scale, g.confidence(),
                    g.detections().size()));
        }
        return plays;
    }
}
