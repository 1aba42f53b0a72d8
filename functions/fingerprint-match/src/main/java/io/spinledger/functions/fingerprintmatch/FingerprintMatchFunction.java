package io.spinledger.functions.fingerprintmatch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.detection.ChunkMatcher;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Detection;
import io.spinledger.detection.LearnedReferences;
import io.spinledger.stats.Counters;
import java.util.HashMap;
import java.util.Map;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.storage.MessagePublisher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code fingerprintMatch} function: chunk messages in; detections to the detection queue, audible
 * unmatched chunks to the fallback queue. A match against a reference learned from ACRCloud carries
 * {@code evidence.learned = ACRCLOUD_LEARNED} and counts as an ACRCloud call saved.
 */
@Configuration(proxyBeanMethods = false)
public class FingerprintMatchFunction {

    /** Matches each chunk of the batch. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> fingerprintMatch(ChunkMatcher matcher, MessagePublisher publisher,
                                                                 Counters counters) {
        return event -> SqsBatch.process("fingerprintMatch", event, body -> {
            Chunk chunk = Json.read(body, Chunk.class);
            ChunkMatcher.Outcome outcome = matcher.match(chunk);
            switch (outcome.kind()) {
                case MATCHED -> {
                    boolean learned = false;
                    for (Detection d : outcome.detections()) {
                        Detection out = d;
                        if (LearnedReferences.isLearnedId(d.trackId())) {
                            learned = true;
                            Map<String, String> evidence = new HashMap<>(d.evidence());
                            evidence.put("learned", LearnedReferences.SOURCE);
                            evidence.put("acrid", d.trackId().substring(LearnedReferences.TRACK_PREFIX.length()));
                            out = new Detection(d.detectionId(), d.chunkId(), d.stationId(), d.chunkStartedAt(),
                                    d.chunkDurationMs(), d.trackId(), d.trackOffsetMs(), d.matchStartMs(),
                                    d.matchEndMs(), d.alignedCount(), d.confidence(), d.source(), evidence);
                        }
                        publisher.send(QueueName.DETECTION, new DetectionMessage(out, null, null));
                        counters.incrementOnce(Counters.DETECTIONS_PREFIX + d.source(), d.detectionId());
                    }
                    counters.incrementOnce(Counters.CHUNKS_MATCHED, chunk.chunkId());
                    if (learned) {
                        counters.incrementOnce(Counters.ACR_SAVED, chunk.chunkId());
                    }
                }
                case UNMATCHED -> {
                    publisher.send(QueueName.FALLBACK, chunk);
                    counters.incrementOnce(Counters.CHUNKS_UNMATCHED, chunk.chunkId());
                }
                case SILENT, CORRUPT -> { }
            }
        });
    }
}
