package io.spinledger.stage.match;

import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.engine.audio.Loudness;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.ports.ObjectStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fingerprint-match stage's domain logic: loads a stored chunk, refreshes the index when it is older
 * than the refresh interval (so newly registered tracks are found within seconds), matches, and turns each
 * confident match into a {@link Detection}. Detection ids are chunk id + track id, so matching a chunk twice
 * yields the same detections.
 */
public final class ChunkMatcher {
    private static final Logger log = LoggerFactory.getLogger(ChunkMatcher.class);
    private final ObjectStore objects;
    private final FingerprintEngine engine;
    private final long indexRefreshMs;
    private final Clock clock;
    private volatile long lastRefreshMs = Long.MIN_VALUE;

    /**
     * @param objects        media bucket (chunks)
     * @param engine         fingerprint engine (index kept across warm invocations)
     * @param indexRefreshMs how often to look for new index segments
     * @param clock          time source
     */
    public ChunkMatcher(ObjectStore objects, FingerprintEngine engine, long indexRefreshMs, Clock clock) {
        this.objects = objects;
        this.engine = engine;
        this.indexRefreshMs = indexRefreshMs;
        this.clock = clock;
    }

    /** What matching one chunk gave. */
    public enum Kind {
        /** at least one detection */
        MATCHED,
        /** audible audio but no confident local match: a fallback candidate */
        UNMATCHED,
        /** silence (RMS under {@link Loudness#SILENCE_RMS}, as the capture marks it): nothing to identify */
        SILENT,
        /** the stored audio cannot be read; nothing more can be done with it */
        CORRUPT
    }

    /**
     * The outcome.
     *
     * @param kind       what happened
     * @param detections the detections (MATCHED only)
     * @param reason     for CORRUPT, why
     */
    public record Outcome(Kind kind, List<Detection> detections, String reason) {
    }

    /**
     * Matches one chunk.
     *
     * @throws IllegalStateException when the chunk's object is missing (it may still be arriving: retry)
     */
    public Outcome match(Chunk chunk) {
        byte[] wav = objects.get(chunk.objectKey()).orElseThrow(() ->
                new IllegalStateException("chunk " + chunk.chunkId() + " has no object at " + chunk.objectKey()));
        Pcm pcm;
        try {
            pcm = Wav.read(wav);
        } catch (AudioDecodingException | IllegalArgumentException e) {
            log.warn("chunk {} ({}) is not readable audio: {}", chunk.chunkId(), chunk.objectKey(), e.getMessage());
            return new Outcome(Kind.CORRUPT, List.of(), e.getMessage());
        }
        if (Loudness.isSilent(pcm.samples())) {
            return new Outcome(Kind.SILENT, List.of(), null);
        }
        refreshIfDue();
        List<Match> matches = engine.identify(pcm);
        if (matches.isEmpty()) {
            return new Outcome(Kind.UNMATCHED, List.of(), null);
        }
        List<Detection> detections = matches.stream().map(m -> new Detection(chunk.chunkId() + ":" + m.trackId(),
                chunk.chunkId(), chunk.stationId(), chunk.startedAt(), chunk.durationMs(), m.trackId(),
                m.trackOffsetMs(), m.matchStartMs(), m.matchEndMs(), m.alignedCount(), m.confidence(),
                Detection.Source.LOCAL, Map.of("timeScale", String.format(java.util.Locale.ROOT, "%.4f", m.timeScale()),
                        "frequencyFactor", String.format(java.util.Locale.ROOT, "%.4f", m.frequencyFactor())))).toList();
        return new Outcome(Kind.MATCHED, detections, null);
    }

    /**
     * Loads new index segments when the last look is older than the refresh interval; otherwise does nothing
     * (listing the index on every request would put object-storage calls on the hot path).
     */
    public void refreshIfDue() {
        long now = clock.millis();
        if (lastRefreshMs == Long.MIN_VALUE || now - lastRefreshMs >= indexRefreshMs) {
            synchronized (this) {
                if (lastRefreshMs == Long.MIN_VALUE || now - lastRefreshMs >= indexRefreshMs) {
                    var r = engine.refresh();
                    if (!r.added().isEmpty() || !r.removed().isEmpty()) {
                        log.info("index refreshed: +{} -{} tracks", r.added().size(), r.removed().size());
                    }
                    lastRefreshMs = now;
                }
            }
        }
    }
}
