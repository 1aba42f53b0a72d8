package io.spinledger.functions.acrcloudfallback;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.domain.Chunk;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.fallback.FallbackIdentifier;
import io.spinledger.stage.fallback.FallbackStage;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code acrcloudFallback} function: unmatched chunks in, each through the {@link FallbackStage}. */
@Configuration(proxyBeanMethods = false)
public class AcrcloudFallbackFunction {

    /** The stage. */
    @Bean
    public FallbackStage fallbackStage(FallbackIdentifier fallback, io.spinledger.stage.capture.ChunkLog chunkLog) {
        return new FallbackStage(fallback::identify, chunkLog);
    }

    /** Identifies each chunk of the batch with ACRCloud (or records it unidentified). */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> acrcloudFallback(FallbackStage stage, MessagePublisher publisher) {
        return event -> SqsBatch.process("acrcloudFallback", event, body ->
                stage.handle(Json.read(body, Chunk.class), publisher));
    }
}
