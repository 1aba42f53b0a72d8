package io.spinledger.functions.isrcenrichment;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.catalog.TrackRepository;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.enrich.EnrichStage;
import io.spinledger.stage.enrich.IsrcEnricher;
import io.spinledger.stage.match.LearnedReferences;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code isrcEnrichment} function: detections in (up to 10 per batch), each through the {@link EnrichStage};
 * one stage batch per queue batch, so a track or ISRC that appears more than once in it is looked up once.
 */
@Configuration(proxyBeanMethods = false)
public class IsrcEnrichmentFunction {

    /** The stage. */
    @Bean
    public EnrichStage enrichStage(IsrcEnricher enricher, TrackRepository tracks, LearnedReferences learned) {
        return new EnrichStage(tracks::get, id -> learned.get(id).map(LearnedReferences.LearnedReference::recording),
                enricher::enrich);
    }

    /** Enriches each detection of the batch. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> isrcEnrichment(EnrichStage stage, MessagePublisher publisher) {
        return event -> {
            EnrichStage.Batch batch = stage.batch();
            return SqsBatch.process("isrcEnrichment", event, body ->
                    batch.handle(Json.read(body, DetectionMessage.class), publisher));
        };
    }
}
