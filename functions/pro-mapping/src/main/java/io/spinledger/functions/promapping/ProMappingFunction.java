package io.spinledger.functions.promapping;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.pro.ProMapper;
import io.spinledger.storage.MessagePublisher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code proMapping} function: enriched detections in; society shares added; on to the royalty queue. */
@Configuration(proxyBeanMethods = false)
public class ProMappingFunction {

    /** Maps each detection's work to societies. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> proMapping(ProMapper mapper, MessagePublisher publisher) {
        return event -> SqsBatch.process("proMapping", event, body -> {
            DetectionMessage m = Json.read(body, DetectionMessage.class);
            publisher.send(QueueName.ROYALTY, m.withProMapping(mapper.map(m.recording())));
        });
    }
}
