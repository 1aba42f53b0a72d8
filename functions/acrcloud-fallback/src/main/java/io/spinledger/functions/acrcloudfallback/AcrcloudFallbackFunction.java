package io.spinledger.functions.acrcloudfallback;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.detection.FallbackIdentifier;
import io.spinledger.domain.Chunk;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.storage.MessagePublisher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code acrcloudFallback} function: unmatched chunks in; ACRCloud detections to the detection queue. */
@Configuration(proxyBeanMethods = false)
public class AcrcloudFallbackFunction {

    /** Identifies each chunk of the batch with ACRCloud (or records it unidentified). */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> acrcloudFallback(FallbackIdentifier fallback,
                                                                 MessagePublisher publisher) {
        return event -> SqsBatch.process("acrcloudFallback", event, body ->
                fallback.identify(Json.read(body, Chunk.class)).ifPresent(m -> publisher.send(QueueName.DETECTION, m)));
    }
}
