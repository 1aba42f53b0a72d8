package io.spinledger.config;

import java.util.List;
import java.util.Optional;

/**
 * Every serverless function of SpinLedger: its Spring Cloud Function definition name (the value of
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION}), its module, what triggers it and its limits. The local runtime
 * wires event sources from this list; {@code infra/} and {@code localstack/} mirror it and a test keeps them
 * in sync.
 */
public final class FunctionCatalogue {

    /**
     * One function.
     *
     * @param definition      Spring Cloud Function bean name
     * @param module          Maven module under {@code functions/}
     * @param mainClass       the Spring Boot application class for a deployment of this function alone
     * @param trigger         what invokes it
     * @param queue           QUEUE trigger: the queue consumed
     * @param batchSize       QUEUE trigger: records per invocation
     * @param scheduleSeconds SCHEDULE trigger: interval
     * @param routes          HTTP trigger: "METHOD /path" routes (path parameters in braces)
     * @param timeoutSeconds  function timeout
     * @param memoryMb        function memory
     */
    public record Function(String definition, String module, String mainClass, Trigger trigger,
                           Optional<QueueName> queue, int batchSize, int scheduleSeconds, List<String> routes,
                           int timeoutSeconds, int memoryMb) {
    }

    /** What invokes a function. */
    public enum Trigger { QUEUE, SCHEDULE, HTTP }

    private static final String P = "io.spinledger.functions.";

    private static Function queue(String def, String module, String app, QueueName q, int batch, int timeout, int mem) {
        return new Function(def, module, P + app, Trigger.QUEUE, Optional.of(q), batch, 0, List.of(), timeout, mem);
    }

    private static Function http(String def, String app, List<String> routes, int timeout, int mem) {
        return new Function(def, "http-api", P + app, Trigger.HTTP, Optional.empty(), 0, 0, routes, timeout, mem);
    }

    /** All functions. */
    public static final List<Function> ALL = List.of(
            new Function("captureScheduler", "capture-scheduler", P + "capturescheduler.CaptureSchedulerApplication",
                    Trigger.SCHEDULE, Optional.empty(), 0, 10, List.of(), 30, 512),
            queue("chunkIngest", "chunk-ingest", "chunkingest.ChunkIngestApplication", QueueName.CAPTURE, 1, 360, 1536),
            queue("fingerprintMatch", "fingerprint-match", "fingerprintmatch.FingerprintMatchApplication",
                    QueueName.CHUNK, 5, 30, 2048),
            queue("acrcloudFallback", "acrcloud-fallback", "acrcloudfallback.AcrcloudFallbackApplication",
                    QueueName.FALLBACK, 5, 30, 1024),
            queue("isrcEnrichment", "isrc-enrichment", "isrcenrichment.IsrcEnrichmentApplication",
                    QueueName.DETECTION, 10, 30, 1024),
            queue("proMapping", "pro-mapping", "promapping.ProMappingApplication", QueueName.ENRICHED, 10, 30, 1024),
            queue("royaltyPosting", "royalty-posting", "royaltyposting.RoyaltyPostingApplication",
                    QueueName.ROYALTY, 10, 30, 1024),
            new Function("isrcEnrichmentRetry", "isrc-enrichment", P + "isrcenrichment.IsrcEnrichmentApplication",
                    Trigger.SCHEDULE, Optional.empty(), 0, 30, List.of(), 300, 1024),
            new Function("playCloser", "royalty-posting", P + "royaltyposting.RoyaltyPostingApplication",
                    Trigger.SCHEDULE, Optional.empty(), 0, 15, List.of(), 30, 1024),
            http("tracksApi", "httpapi.HttpApiApplication", List.of("POST /tracks", "GET /tracks", "GET /tracks/{id}"),
                    30, 2048),
            http("stationsApi", "httpapi.HttpApiApplication",
                    List.of("POST /stations", "GET /stations", "GET /stations/{id}", "POST /stations/{id}/airchecks"),
                    30, 1024),
            http("identifyApi", "httpapi.HttpApiApplication", List.of("POST /identify"), 30, 2048),
            http("playsApi", "httpapi.HttpApiApplication", List.of("GET /plays"), 30, 1024),
            http("ledgerApi", "httpapi.HttpApiApplication",
                    List.of("GET /ledger/transactions", "GET /ledger/balances"), 30, 1024),
            http("isrcApi", "httpapi.HttpApiApplication",
                    List.of("GET /isrc/{isrc}", "POST /isrc/batch", "GET /jobs/{id}"), 30, 1024),
            http("prosApi", "httpapi.HttpApiApplication", List.of("GET /pros", "GET /pro-mappings"), 30, 1024),
            http("statsApi", "httpapi.HttpApiApplication", List.of("GET /stats"), 30, 1024),
            http("healthApi", "httpapi.HttpApiApplication", List.of("GET /health"), 10, 512));

    private FunctionCatalogue() {
    }

    /** A function by definition name. */
    public static Optional<Function> byDefinition(String definition) {
        return ALL.stream().filter(f -> f.definition().equals(definition)).findFirst();
    }
}
