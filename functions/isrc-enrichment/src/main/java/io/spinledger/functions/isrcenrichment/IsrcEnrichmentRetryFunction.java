package io.spinledger.functions.isrcenrichment;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.config.Settings;
import io.spinledger.stage.enrich.EnrichmentRetryStage;
import io.spinledger.stage.enrich.EnrichmentStatusStore;
import io.spinledger.stage.enrich.IsrcEnricher;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code isrcEnrichmentRetry} function (scheduled): each tick runs the {@link EnrichmentRetryStage}, which
 * looks up again the ISRCs that are due (at most {@code SPINLEDGER_ENRICH_RETRY_BATCH} per run, failed ones up
 * to {@code SPINLEDGER_ENRICH_MAX_RETRIES} times).
 */
@Configuration(proxyBeanMethods = false)
public class IsrcEnrichmentRetryFunction {

    /** The stage. */
    @Bean
    public EnrichmentRetryStage enrichmentRetryStage(IsrcEnricher enricher, EnrichmentStatusStore statuses,
                                                     Settings settings) {
        return new EnrichmentRetryStage(enricher, statuses, settings.enrichment());
    }

    /** One scheduled run; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> isrcEnrichmentRetry(EnrichmentRetryStage stage) {
        return tick -> stage.handle().summary();
    }
}
