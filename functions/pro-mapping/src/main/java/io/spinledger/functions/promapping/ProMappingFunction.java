package io.spinledger.functions.promapping;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.rights.ProMapper;
import io.spinledger.stage.rights.RightsStage;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code proMapping} function: enriched detections in, each through the {@link RightsStage}; on to the
 * mapped-detections queue.
 */
@Configuration(proxyBeanMethods = false)
public class ProMappingFunction {

    /** The stage. */
    @Bean
    public RightsStage rightsStage(ProMapper mapper) {
        return new RightsStage(mapper);
    }

    /** Maps each detection's work to societies. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> proMapping(RightsStage stage, MessagePublisher publisher) {
        return event -> SqsBatch.process("proMapping", event, body ->
                stage.handle(Json.read(body, DetectionMessage.class), publisher));
    }
}
