package io.spinledger.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
            queue("playAssembly", "plays", "plays.PlaysApplication",
                    QueueName.MAPPED, 10, 30, 1024),
            new Function("isrcEnrichmentRetry", "isrc-enrichment", P + "isrcenrichment.IsrcEnrichmentApplication",
                    Trigger.SCHEDULE, Optional.empty(), 0, 30, List.of(), 300, 1024),
            new Function("playPosting", "plays", P + "plays.PlaysApplication",
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
            http("playEvidenceApi", "httpapi.HttpApiApplication", List.of("GET /plays/{id}/evidence"), 30, 1024),
            http("disputesApi", "httpapi.HttpApiApplication", List.of("POST /plays/{id}/disputes",
                    "GET /plays/{id}/disputes", "POST /plays/{id}/disputes/{disputeId}/resolution"), 30, 1024),
            http("statementsApi", "httpapi.HttpApiApplication", List.of("GET /statements"), 30, 1024),
            http("exportsApi", "httpapi.HttpApiApplication",
                    List.of("GET /exports/music-use-log", "GET /exports/sound-recording-report"), 30, 1024),
            http("isrcApi", "httpapi.HttpApiApplication",
                    List.of("GET /isrc/{isrc}", "POST /isrc/batch", "GET /jobs/{id}"), 30, 1024),
            http("prosApi", "httpapi.HttpApiApplication", List.of("GET /pros", "GET /pro-mappings"), 30, 1024),
            http("soundtracksApi", "httpapi.HttpApiApplication", List.of("GET /soundtracks/{imdbId}"), 30, 1024),
            http("statsApi", "httpapi.HttpApiApplication", List.of("GET /stats"), 30, 1024),
            http("healthApi", "httpapi.HttpApiApplication", List.of("GET /health"), 10, 512));


    /**
     * A credential a function reads from Secrets Manager at start-up (never from a plain variable). The secret
     * value is a JSON object whose keys are the environment variable names below; the function support module
     * turns them into system properties, which {@link Settings#fromEnvironment()} reads.
     */
    public enum Secret {
        /** ACRCloud identify project credentials. */
        ACRCLOUD("ACRCLOUD_ACCESS_KEY", "ACRCLOUD_ACCESS_SECRET"),
        /** Spotify Web API client credentials (optional ISRC source). */
        SPOTIFY("SPOTIFY_CLIENT_ID", "SPOTIFY_CLIENT_SECRET");

        private final List<String> variables;

        Secret(String... variables) {
            this.variables = List.of(variables);
        }

        /** The variable names the secret's JSON value holds. */
        public List<String> variables() {
            return variables;
        }
    }

    /** Environment variable holding the comma-separated Secrets Manager ids (ARNs) a function loads at start. */
    public static final String SECRET_IDS_VARIABLE = "SPINLEDGER_SECRET_IDS";

    /**
     * What a function touches, so each deployment gets a least-privilege role. Write access implies the reads
     * that conditional writes and transactions need.
     *
     * @param sendsTo       queues it sends to
     * @param readTables    tables it only reads
     * @param writeTables   tables it reads and writes
     * @param readPrefixes  bucket key prefixes it gets and lists
     * @param writePrefixes bucket key prefixes it puts and deletes under
     * @param secrets       credentials it loads at start-up
     */
    public record Access(Set<QueueName> sendsTo, Set<TableName> readTables, Set<TableName> writeTables,
                         Set<String> readPrefixes, Set<String> writePrefixes, Set<Secret> secrets) {
    }

    private static Access access(Set<QueueName> sends, Set<TableName> read, Set<TableName> write,
                                 Set<String> readPrefixes, Set<String> writePrefixes, Set<Secret> secrets) {
        return new Access(sends, read, write, readPrefixes, writePrefixes, secrets);
    }

    private static final Map<String, Access> ACCESS = Map.ofEntries(
            // the watchdog: reads heartbeats and assignments, writes UNMONITORED health (no capture requests any more)
            Map.entry("captureScheduler", access(Set.of(), Set.of(), Set.of(TableName.STATIONS),
                    Set.of(), Set.of(), Set.of())),
            Map.entry("chunkIngest", access(Set.of(QueueName.CHUNK), Set.of(),
                    Set.of(TableName.STATIONS, TableName.DETECTIONS),
                    Set.of(BucketName.AIRCHECKS_PREFIX), Set.of(BucketName.CHUNKS_PREFIX), Set.of())),
            Map.entry("fingerprintMatch", access(Set.of(QueueName.DETECTION, QueueName.FALLBACK), Set.of(),
                    Set.of(TableName.CACHE, TableName.DETECTIONS), Set.of(BucketName.CHUNKS_PREFIX, BucketName.INDEX_PREFIX), Set.of(),
                    Set.of())),
            Map.entry("acrcloudFallback", access(Set.of(QueueName.DETECTION), Set.of(),
                    Set.of(TableName.CACHE, TableName.DETECTIONS),
                    Set.of(BucketName.CHUNKS_PREFIX, BucketName.INDEX_PREFIX, BucketName.LEARNED_PREFIX),
                    Set.of(BucketName.INDEX_PREFIX, BucketName.LEARNED_PREFIX), Set.of(Secret.ACRCLOUD))),
            Map.entry("isrcEnrichmentRetry", access(Set.of(), Set.of(TableName.TRACKS), Set.of(TableName.CACHE),
                    Set.of(), Set.of(), Set.of(Secret.SPOTIFY))),
            Map.entry("isrcEnrichment", access(Set.of(QueueName.ENRICHED), Set.of(TableName.TRACKS),
                    Set.of(TableName.CACHE), Set.of(), Set.of(), Set.of(Secret.SPOTIFY))),
            Map.entry("proMapping", access(Set.of(QueueName.MAPPED), Set.of(), Set.of(), Set.of(), Set.of(),
                    Set.of())),
            Map.entry("playAssembly", access(Set.of(), Set.of(TableName.STATIONS, TableName.TRACKS),
                    Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.LEDGER), Set.of(), Set.of(), Set.of())),
            Map.entry("playPosting", access(Set.of(), Set.of(TableName.STATIONS, TableName.TRACKS),
                    Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.LEDGER), Set.of(), Set.of(), Set.of())),
            Map.entry("tracksApi", access(Set.of(), Set.of(), Set.of(TableName.TRACKS),
                    Set.of(BucketName.INDEX_PREFIX, BucketName.REFERENCES_PREFIX),
                    Set.of(BucketName.INDEX_PREFIX, BucketName.REFERENCES_PREFIX), Set.of())),
            Map.entry("stationsApi", access(Set.of(QueueName.CAPTURE), Set.of(), Set.of(TableName.STATIONS),
                    Set.of(), Set.of(BucketName.AIRCHECKS_PREFIX), Set.of())),
            Map.entry("identifyApi", access(Set.of(), Set.of(TableName.TRACKS), Set.of(TableName.CACHE),
                    Set.of(BucketName.INDEX_PREFIX), Set.of(), Set.of(Secret.ACRCLOUD))),
            Map.entry("isrcApi", access(Set.of(), Set.of(TableName.TRACKS), Set.of(TableName.CACHE), Set.of(),
                    Set.of(), Set.of(Secret.SPOTIFY))),
            Map.entry("prosApi", access(Set.of(), Set.of(TableName.TRACKS), Set.of(TableName.CACHE), Set.of(),
                    Set.of(), Set.of(Secret.SPOTIFY))),
            Map.entry("soundtracksApi", access(Set.of(), Set.of(TableName.TRACKS), Set.of(TableName.CACHE), Set.of(),
                    Set.of(), Set.of(Secret.SPOTIFY))),
            Map.entry("statsApi", access(Set.of(), Set.of(TableName.CACHE), Set.of(), Set.of(), Set.of(),
                    Set.of())),
            Map.entry("playsApi", access(Set.of(), Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.STATIONS),
                    Set.of(), Set.of(), Set.of(), Set.of())),
            Map.entry("ledgerApi", access(Set.of(), Set.of(TableName.LEDGER), Set.of(), Set.of(), Set.of(), Set.of())),
            Map.entry("playEvidenceApi", access(Set.of(),
                    Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.STATIONS, TableName.LEDGER), Set.of(),
                    Set.of(BucketName.CHUNKS_PREFIX, BucketName.EVIDENCE_PREFIX), Set.of(), Set.of())),
            Map.entry("disputesApi", access(Set.of(), Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.STATIONS),
                    Set.of(TableName.LEDGER), Set.of(), Set.of(), Set.of())),
            Map.entry("statementsApi", access(Set.of(), Set.of(TableName.LEDGER), Set.of(), Set.of(), Set.of(),
                    Set.of())),
            Map.entry("exportsApi", access(Set.of(), Set.of(TableName.PLAYS, TableName.DETECTIONS, TableName.STATIONS),
                    Set.of(), Set.of(), Set.of(), Set.of())),
            Map.entry("healthApi", access(Set.of(), Set.of(TableName.STATIONS, TableName.TRACKS), Set.of(), Set.of(),
                    Set.of(), Set.of())));

    /**
     * What the function touches (queues, tables, bucket prefixes, secrets): the basis of its IAM role.
     *
     * @throws IllegalArgumentException for a definition not in {@link #ALL}
     */
    public static Access access(Function function) {
        Access a = ACCESS.get(function.definition());
        if (a == null) {
            throw new IllegalArgumentException("no access entry for function " + function.definition());
        }
        return a;
    }

    /** Modules whose functions decode compressed audio with FFmpeg, so their deployments carry its natives. */
    public static final Set<String> AUDIO_DECODING_MODULES = Set.of("chunk-ingest", "fingerprint-match", "http-api");

    /** Whether the function's deployment needs the FFmpeg natives. */
    public static boolean decodesAudio(Function function) {
        return AUDIO_DECODING_MODULES.contains(function.module());
    }

    /** Shortest interval AWS schedules (EventBridge rules and Scheduler) support. */
    public static final int AWS_MIN_SCHEDULE_SECONDS = 60;

    /**
     * The EventBridge schedule expression of a SCHEDULE function: its interval rounded up to whole minutes (AWS
     * cannot tick faster than {@link #AWS_MIN_SCHEDULE_SECONDS}).
     */
    public static String awsScheduleExpression(Function function) {
        if (function.trigger() != Trigger.SCHEDULE) {
            throw new IllegalArgumentException(function.definition() + " is not scheduled");
        }
        int minutes = Math.max(1, (function.scheduleSeconds() + AWS_MIN_SCHEDULE_SECONDS - 1) / AWS_MIN_SCHEDULE_SECONDS);
        return minutes == 1 ? "rate(1 minute)" : "rate(" + minutes + " minutes)";
    }

    /**
     * Capture segment overlap for AWS: a segment must be issued at least one schedule tick before its predecessor
     * ends, so with one-minute ticks the overlap ({@code SPINLEDGER_SEGMENT_OVERLAP_MS}) must exceed 60 s.
     */
    public static final long AWS_SEGMENT_OVERLAP_MS = 65_000;

    /**
     * The deployed (Lambda) function name: {@code spinledger-} plus the definition in kebab case, e.g.
     * {@code spinledger-capture-scheduler}.
     */
    public static String functionName(Function function) {
        return "spinledger-" + function.definition().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The distinct Maven modules that hold functions, in catalogue order. */
    public static List<String> modules() {
        return ALL.stream().map(Function::module).distinct().toList();
    }

    private FunctionCatalogue() {
    }

    /** A function by definition name. */
    public static Optional<Function> byDefinition(String definition) {
        return ALL.stream().filter(f -> f.definition().equals(definition)).findFirst();
    }
}
