package io.spinledger.stage.enrich;

import io.spinledger.config.Settings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enrich stage's scheduled retry: looks up again, bypassing the cache, the ISRCs that are due
 * ({@link EnrichmentStatusStore#due}): pending ones (bulk jobs), failed ones with fewer than the allowed
 * retries, partial ones older than 24 h and anything older than 30 days; at most the policy's batch size per run,
 * oldest first. A lookup that fails is marked FAILED with its error.
 */
public final class EnrichmentRetryStage {
    private static final Logger log = LoggerFactory.getLogger(EnrichmentRetryStage.class);
    private final IsrcEnricher enricher;
    private final EnrichmentStatusStore statuses;
    private final Settings.Enrichment policy;

    /**
     * What one run did.
     *
     * @param lookedUp ISRCs looked up
     * @param failed   of those, how many failed
     */
    public record Result(int lookedUp, int failed) {
        /** One line, e.g. {@code looked up 3 ISRC(s), 1 failed}. */
        public String summary() {
            return "looked up " + lookedUp + " ISRC(s), " + failed + " failed";
        }
    }

    /**
     * @param enricher the waterfall ({@link IsrcEnricher#refresh})
     * @param statuses per-ISRC enrichment status
     * @param policy   retry limits and batch size
     */
    public EnrichmentRetryStage(IsrcEnricher enricher, EnrichmentStatusStore statuses, Settings.Enrichment policy) {
        this.enricher = enricher;
        this.statuses = statuses;
        this.policy = policy;
    }

    /** One scheduled run. */
    public Result handle() {
        List<String> due = statuses.due(policy, policy.retryBatchSize());
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
        return new Result(due.size(), failed);
    }
}
