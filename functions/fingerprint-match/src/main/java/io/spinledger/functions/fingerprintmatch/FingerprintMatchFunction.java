package io.spinledger.functions.fingerprintmatch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.detection.ChunkMatcher;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.storage.MessagePublisher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code fingerprintMatch} function: chunk messages in; detections to the detection queue, audible
 * unmatched chunks to the fallback queue.
 */
@Configuration(proxyBeanMethods = false)
public class FingerprintMatchFunction {

    /** Matches each chunk of the batch. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> fingerprintMatch(ChunkMatcher matcher, MessagePublisher publisher) {
        return event -> SqsBatch.process("fingerprintMatch", event, body -> {
            Chunk chunk = Json.read(body, Chunk.class);
            ChunkMatcher.Outcome outcome = matcher.match(chunk);
            switch (outcome.kind()) {
                case MATCHED -> outcome.detections().forEach(d ->
                        publisher.send(QueueName.DETECTION, new DetectionMessage(d, null, null)));
                case UNMATCHED -> publisher.send(QueueName.FALLBACK, chunk);
                case SILENT, CORRUPT -> { }
            }
        });
    }
}
