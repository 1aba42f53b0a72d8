package io.spinledger.stage.match;

import io.spinledger.stage.capture.ChunkLog;
import java.util.List;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stats.Counters;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The match stage: one stored chunk in; its detections to the detection queue, or the chunk to the fallback
 * queue when it is audible but matched nothing; silent and unreadable chunks end here. A match against a
 * reference learned from ACRCloud carries {@code evidence.learned = ACRCLOUD_LEARNED} and
 * {@code evidence.acrid}, and counts as an ACRCloud call saved. Counters are bumped once per event key, so a
 * redelivered chunk counts once.
 */
public final class MatchStage {
    private final Function<Chunk, ChunkMatcher.Outcome> matcher;
    private final CountOnce counters;
    private final ChunkLog chunkLog;

    /** Bumps a counter once per event key ({@link Counters#incrementOnce}). */
    @FunctionalInterface
    public interface CountOnce {
        /**
         * @param counter  the counter's name
         * @param eventKey what is counted (a second call with the same key does nothing)
         */
        void increment(String counter, String eventKey);
    }

    /**
     * @param matcher  matches a chunk against the index ({@link ChunkMatcher#match}); throws when the chunk's
     *                 audio is not stored yet (the message is retried)
     * @param counters the pipeline counters
     */
    public MatchStage(Function<Chunk, ChunkMatcher.Outcome> matcher, CountOnce counters) {
        this(matcher, counters, null);
    }

    /**
     * @param matcher  matches a chunk against the index ({@link ChunkMatcher#match}); throws when the chunk's
     *                 audio is not stored yet (the message is retried)
     * @param counters the pipeline counters
     * @param chunkLog where each chunk's outcome is recorded (the station watermark's source); null records nothing
     */
    public MatchStage(Function<Chunk, ChunkMatcher.Outcome> matcher, CountOnce counters, ChunkLog chunkLog) {
        this.matcher = matcher;
        this.counters = counters;
        this.chunkLog = chunkLog;
    }

    /**
     * Matches one chunk and emits the outcome.
     *
     * @param chunk the chunk (its audio in the media bucket)
     * @param out   where detections ({@link QueueName#DETECTION}) and unmatched chunks ({@link QueueName#FALLBACK})
     *              go
     */
    public void handle(Chunk chunk, MessagePublisher out) {
        emit(chunk, matcher.apply(chunk), out);
    }

    /**
     * Emits a match outcome and records it in the chunk log: detections to the detection queue (MATCHED, with
     * their ids), an audible unmatched chunk to the fallback queue (FALLBACK), silence and unreadable audio end here
     * (SILENT, CORRUPT).
     *
     * @param chunk   the chunk
     * @param outcome what the matcher made of it
     * @param out     where detections and unmatched chunks go
     */
    public void emit(Chunk chunk, ChunkMatcher.Outcome outcome, MessagePublisher out) {
        if (chunkLog != null) {
            switch (outcome.kind()) {
                case MATCHED -> chunkLog.record(chunk, ChunkLog.State.MATCHED,
                        outcome.detections().stream().map(Detection::detectionId).sorted().toList(), null);
                case UNMATCHED -> chunkLog.record(chunk, ChunkLog.State.FALLBACK, List.of(), null);
                case SILENT -> chunkLog.record(chunk, ChunkLog.State.SILENT, List.of(), null);
                case CORRUPT -> chunkLog.record(chunk, ChunkLog.State.CORRUPT, List.of(), "unreadable audio");
            }
        }
        switch (outcome.kind()) {
            case MATCHED -> {
                boolean learned = false;
                for (Detection d : outcome.detections()) {
                    Detection sent = d;
                    if (LearnedReferences.isLearnedId(d.trackId())) {
                        learned = true;
                        sent = withLearnedEvidence(d);
                    }
                    out.send(QueueName.DETECTION, new DetectionMessage(sent, null, null));
                    counters.increment(Counters.DETECTIONS_PREFIX + d.source(), d.detectionId());
                }
                counters.increment(Counters.CHUNKS_MATCHED, chunk.chunkId());
                if (learned) {
                    counters.increment(Counters.ACR_SAVED, chunk.chunkId());
                }
            }
            case UNMATCHED -> {
                out.send(QueueName.FALLBACK, chunk);
                counters.increment(Counters.CHUNKS_UNMATCHED, chunk.chunkId());
            }
            case SILENT, CORRUPT -> { }
        }
    }

    /**
     * A local match of a learned reference, marked as such: {@code learned = ACRCLOUD_LEARNED} and {@code acrid}
     * (the track id without its {@code acr_} prefix) added to the evidence.
     */
    static Detection withLearnedEvidence(Detection d) {
        Map<String, String> evidence = new HashMap<>(d.evidence());
        evidence.put("learned", LearnedReferences.SOURCE);
        evidence.put("acrid", d.trackId().substring(LearnedReferences.TRACK_PREFIX.length()));
        return d.withEvidence(evidence);
    }
}
