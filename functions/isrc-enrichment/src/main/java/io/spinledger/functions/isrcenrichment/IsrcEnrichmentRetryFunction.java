package io.spinledger.functions.isrcenrichment;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.config.Settings;
import io.spinledger.isrc.EnrichmentStatusStore;
import io.spinledger.isrc.IsrcEnricher;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code isrcEnrichmentRetry} function (scheduled): looks up again, bypassing the cache, the ISRCs that are due
 * ({@link EnrichmentStatusStore#due}): pending ones (bulk jobs), failed ones with fewer than
 * {@code SPINLEDGER_ENRICH_MAX_RETRIES} retries, partial ones older than 24 h and anything older than 30 days; at
 * most {@code SPINLEDGER_ENRICH_RETRY_BATCH} per run, oldest first.
 */
@Configuration(proxyBeanMethods = false)
public class IsrcEnrichmentRetryFunction {
    private static final Logger log = LoggerFactory.getLogger(IsrcEnrichmentRetryFunction.class);

    /** One scheduled run; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> isrcEnrichmentRetry(IsrcEnricher enricher, EnrichmentStatusStore statuses,
                                                               Settings settings) {
        return tick -> {
            List<String> due = statuses.due(settings.enrichment(), settings.enrichment().retryBatchSize());
            int failed = 0;
            for (String isrc : due) {
                try {
                    enricher.refresh(isrc);
                } catch (RuntimeException e) {
                    failed++;
                    log.warn("retry of {} failed: {}", isrc, e.toString());
                    statuses.finish(isrc, EnrichmentStatusStore.State.FAILED, e.toString());
                }
            }
            return "looked up " + due.size() + " ISRC(s), " + failed + " failed";
        };
    }
}
