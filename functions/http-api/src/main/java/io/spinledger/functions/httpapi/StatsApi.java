package io.spinledger.functions.httpapi;

import io.spinledger.stage.enrich.EnrichmentStatusStore;
import io.spinledger.stage.fallback.AcrBudget;
import io.spinledger.stage.fallback.AcrCloudGuard;
import io.spinledger.stage.match.LearnedReferences;
import io.spinledger.stats.Counters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /stats}: detections by source, fallback rate (unmatched chunks / all audible chunks), what the gate
 * kept from ACRCloud, ACRCloud calls made, used and left today, calls saved by learned references, enrichment cache
 * hit rate and coverage (completed ISRCs / all tracked ISRCs). Counters are shared by all instances (DynamoDB).
 */
final class StatsApi {
    private final Counters counters;
    private final AcrBudget budget;
    private final AcrCloudGuard acr;
    private final LearnedReferences learned;
    private final EnrichmentStatusStore statuses;

    StatsApi(Counters counters, AcrBudget budget, AcrCloudGuard acr, LearnedReferences learned,
             EnrichmentStatusStore statuses) {
        this.counters = counters;
        this.budget = budget;
        this.acr = acr;
        this.learned = learned;
        this.statuses = statuses;
    }

    ApiResponse handle(ApiRequest req) {
        Map<String, Long> c = counters.all();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> bySource = new LinkedHashMap<>();
        bySource.put("LOCAL", c.getOrDefault(Counters.DETECTIONS_PREFIX + "LOCAL", 0L));
        bySource.put("ACRCLOUD", c.getOrDefault(Counters.DETECTIONS_PREFIX + "ACRCLOUD", 0L));
        out.put("detectionsBySource", bySource);

        long matched = c.getOrDefault(Counters.CHUNKS_MATCHED, 0L);
        long unmatched = c.getOrDefault(Counters.CHUNKS_UNMATCHED, 0L);
        Map<String, Object> fallback = new LinkedHashMap<>();
        fallback.put("chunksMatchedLocally", matched);
        fallback.put("chunksSentToFallback", unmatched);
        fallback.put("rate", ratio(unmatched, matched + unmatched));
        fallback.put("gated", Map.of("SPEECH", c.getOrDefault(Counters.GATED_PREFIX + "SPEECH", 0L),
                "SILENCE", c.getOrDefault(Counters.GATED_PREFIX + "SILENCE", 0L)));
        fallback.put("budgetRefused", c.getOrDefault(Counters.BUDGET_REFUSED, 0L));
        out.put("fallback", fallback);

        AcrBudget.Usage today = budget.today();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("active", acr.active());
        a.put("circuit", acr.state().name());
        a.put("calls", c.getOrDefault(Counters.ACR_CALLS, 0L));
        a.put("matches", c.getOrDefault(Counters.ACR_MATCHES, 0L));
        a.put("callsUsedToday", today.used());
        a.put("callsLeftToday", today.left());
        a.put("dailyBudget", today.limit());
        a.put("callsSavedByLearning", c.getOrDefault(Counters.ACR_SAVED, 0L));
        a.put("learnedReferences", learned.list().size());
        out.put("acrcloud", a);

        long hits = c.getOrDefault(Counters.CACHE_HITS, 0L);
        long misses = c.getOrDefault(Counters.CACHE_MISSES, 0L);
        Map<EnrichmentStatusStore.State, Long> states = statuses.counts();
        long tracked = states.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("cacheHits", hits);
        e.put("cacheMisses", misses);
        e.put("cacheHitRate", ratio(hits, hits + misses));
        e.put("statuses", states);
        e.put("coverage", ratio(states.get(EnrichmentStatusStore.State.COMPLETED), tracked));
        out.put("enrichment", e);
        return ApiResponse.json(200, out);
    }

    private static Double ratio(long a, long b) {
        return b == 0 ? null : Math.round(1000.0 * a / b) / 1000.0;
    }
}
