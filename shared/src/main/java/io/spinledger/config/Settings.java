package io.spinledger.config;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * All of SpinLedger's configuration, typed, loaded in one place from environment variables
 * (or system properties of the same name, which win). Every tunable carries its unit in its name.
 * The README's configuration table lists each variable.
 *
 * @param aws        where the AWS services are (real AWS when the endpoints are empty)
 * @param storage    which bucket holds the media (chunks, air-checks, references, the fingerprint index)
 * @param capture    how streams are captured and cut into chunks
 * @param match      fingerprint-match thresholds
 * @param royalty    play assembly and posting rules
 * @param acrcloud   ACRCloud credentials (empty = disabled)
 * @param musicbrainz MusicBrainz client settings
 * @param fallback   ACRCloud fallback policy: music gate, budgets, circuit breaker, retries, learning
 * @param enrichment ISRC enrichment cache TTLs and retry schedule
 * @param spotify    Spotify Web API (optional; empty credentials = not used)
 * @param deezer     Deezer API (optional)
 */
public record Settings(Aws aws, Storage storage, Capture capture, Match match, Royalty royalty, AcrCloud acrcloud,
                       MusicBrainz musicbrainz, Fallback fallback, Enrichment enrichment, Spotify spotify,
                       Deezer deezer, Workers workers, Retention retention) {

    /**
     * How long pipeline records are kept (DynamoDB TTL on {@code expiresAt}; evidence audio by the bucket's
     * lifecycle rules in {@code infra/}).
     *
     * @param detectionDays detections, after their chunk aired ({@code SPINLEDGER_DETECTION_RETENTION_DAYS}, 90)
     * @param chunkLogDays  chunk records, after their chunk aired ({@code SPINLEDGER_CHUNK_LOG_RETENTION_DAYS}, 7)
     */
    public record Retention(int detectionDays, int chunkLogDays) {
        /** @throws IllegalArgumentException for a retention below one day */
        public Retention {
            if (detectionDays < 1 || chunkLogDays < 1) {
                throw new IllegalArgumentException("retention must be at least 1 day (detections " + detectionDays
                        + ", chunk records " + chunkLogDays + ")");
            }
        }
    }

    /**
     * The fan-in capture workers ({@code io.spinledger.stage.capture.CaptureWorker}).
     *
     * @param local            workers the local runtime starts ({@code SPINLEDGER_CAPTURE_WORKERS}, default 1; 0 =
     *                         none: stations are then reported unmonitored)
     * @param streamsPerWorker streams one worker holds at most ({@code SPINLEDGER_STREAMS_PER_WORKER}, default 200)
     * @param heartbeatMs      a worker's tick and heartbeat interval ({@code SPINLEDGER_WORKER_HEARTBEAT_MS}, 1000)
     * @param aliveForMs       how long a heartbeat vouches for its worker ({@code SPINLEDGER_WORKER_ALIVE_FOR_MS},
     *                         3000): a dead worker's stations are taken at most this plus one heartbeat later
     * @param scanMs           how often a worker scans the station table for new, changed and removed stations
     *                         ({@code SPINLEDGER_WORKER_SCAN_MS}, 10000)
     * @param evidenceBitrateBps Opus bit rate of a live stream's evidence ({@code SPINLEDGER_EVIDENCE_BITRATE},
     *                         16000 b/s; 0 = no evidence segments: every chunk is stored as WAV, as air-checks are)
     * @param evidenceSegmentMs audio per evidence segment object ({@code SPINLEDGER_EVIDENCE_SEGMENT_MS}, 300000)
     */
    public record Workers(int local, int streamsPerWorker, long heartbeatMs, long aliveForMs, long scanMs,
                          int evidenceBitrateBps, long evidenceSegmentMs) {
    }

    /**
     * AWS access. Empty endpoints mean the SDK's defaults (real AWS).
     *
     * @param region          signing region
     * @param s3Endpoint      S3-compatible endpoint, path-style when set
     * @param sqsEndpoint     SQS-compatible endpoint
     * @param dynamoEndpoint  DynamoDB-compatible endpoint
     * @param accessKeyId     static credentials for emulators (empty = default provider chain)
     * @param secretAccessKey static credentials for emulators
     */
    public record Aws(String region, Optional<URI> s3Endpoint, Optional<URI> sqsEndpoint,
                      Optional<URI> dynamoEndpoint, String accessKeyId, String secretAccessKey) {
    }

    /**
     * Object storage. S3 bucket names are unique across all AWS accounts, so every deployment names its own
     * bucket; the deployment descriptions ({@code infra/}, {@code localstack/}) set the variable on every function.
     *
     * @param mediaBucket the one bucket ({@code SPINLEDGER_MEDIA_BUCKET}, default {@link BucketName#DEFAULT_MEDIA}):
     *                    chunks, air-checks, reference audio, learned audio and the fingerprint index
     */
    public record Storage(String mediaBucket) {
    }

    /**
     * Capture tunables.
     *
     * @param chunkMs          length of one chunk
     * @param chunkOverlapMs   overlap between consecutive chunks (so nothing falls between them)
     * @param segmentMs        length of one live capture request (one function invocation)
     * @param segmentOverlapMs how early the next segment starts before the current one ends
     * @param sampleRateHz     mono sample rate chunks are stored at
     * @param connectTimeoutMs stream connect/read timeout
     * @param maxBackoffMs     longest wait between reconnect attempts
     */
    public record Capture(long chunkMs, long chunkOverlapMs, long segmentMs, long segmentOverlapMs,
                          int sampleRateHz, long connectTimeoutMs, long maxBackoffMs) {
    }

    /**
     * Fingerprint-match tunables.
     *
     * @param minAlignedTriplets fewest aligned triplets that make a detection (see {@code MatchThresholds})
     * @param minConfidence    lowest confidence in [0,1] that makes a detection
     * @param indexRefreshMs   how often a warm matcher looks for new index segments
     */
    public record Match(int minAlignedTriplets, double minConfidence, long indexRefreshMs) {
    }

    /**
     * Royalty tunables.
     *
     * @param minPaidDurationMs plays shorter than this are kept but not paid
     * @param playGapMs         largest gap between detections of one track that still makes one play
     * @param playCloseAfterMs  a station whose capture registered no new chunk for this long counts as off air (its watermark passes everything captured)
     * @param defaultCurrency   ISO 4217 currency of the default rate card
     * @param ratePerSecond     per-second rate by station class, in major units of {@code defaultCurrency}
     * @param ruleVersion       version tag of the rate card, part of every posting's idempotency key
     */
    public record Royalty(long minPaidDurationMs, long playGapMs, long playCloseAfterMs, String defaultCurrency,
                          Map<String, BigDecimal> ratePerSecond, String ruleVersion) {
    }

    /**
     * ACRCloud identify API.
     *
     * @param host          e.g. {@code identify-eu-west-1.acrcloud.com}, or a full base URL for tests
     * @param accessKey     project access key (empty = fallback disabled)
     * @param accessSecret  project access secret
     * @param requestsPerMinute client-side rate limit
     * @param timeoutMs     HTTP timeout
     */
    public record AcrCloud(String host, String accessKey, String accessSecret, int requestsPerMinute, long timeoutMs) {
        /** Whether credentials are configured. */
        public boolean enabled() {
            return !accessKey.isBlank() && !accessSecret.isBlank();
        }
    }

    /**
     * MusicBrainz WS/2.
     *
     * @param baseUrl   e.g. {@code https://musicbrainz.org}
     * @param userAgent {@code App/version ( contact )} as MusicBrainz requires
     * @param enabled   whether to call MusicBrainz at all
     * @param minIntervalMs smallest interval between requests (1000 = 1 request/s)
     * @param timeoutMs HTTP timeout
     */
    public record MusicBrainz(String baseUrl, String userAgent, boolean enabled, long minIntervalMs, long timeoutMs) {
    }

    /**
     * ACRCloud fallback policy. Budgets are counted in DynamoDB, so every function instance shares them.
     *
     * @param gateEnabled             send only chunks the music gate calls MUSIC ({@code SPINLEDGER_GATE_ENABLED})
     * @param gateMinMusicScore       music score (0-1) from which a chunk is music
     * @param sampleSeconds           longest sample sent, in seconds (ACRCloud's SDKs use 12 s)
     * @param dailyBudget             ACRCloud calls per UTC day, all stations together
     * @param stationDailyBudget      calls per UTC day per station (0 = only the global budget applies)
     * @param stationBudgets          per-station overrides of {@code stationDailyBudget}
     * @param circuitFailures         consecutive failures that open the circuit
     * @param circuitOpenMs           how long the circuit stays open before letting trial calls through
     * @param circuitHalfOpenCalls    successful trial calls that close it again
     * @param retryAttempts           attempts per chunk on transient failures (3003, 3015, 5xx, timeouts)
     * @param retryInitialBackoffMs   wait before the first retry; doubled for each further one
     * @param learn                   register ACRCloud-identified audio as learned partial references
     */
    public record Fallback(boolean gateEnabled, double gateMinMusicScore, double sampleSeconds, int dailyBudget,
                           int stationDailyBudget, Map<String, Integer> stationBudgets, int circuitFailures,
                           long circuitOpenMs, int circuitHalfOpenCalls, int retryAttempts,
                           long retryInitialBackoffMs, boolean learn) {
        public Fallback {
            stationBudgets = stationBudgets == null ? Map.of() : Map.copyOf(stationBudgets);
        }

        /** The daily budget of one station (0 = unlimited within the global budget). */
        public int budgetOf(String stationId) {
            return stationBudgets.getOrDefault(stationId, stationDailyBudget);
        }
    }

    /**
     * ISRC enrichment: cache lifetimes and the scheduled retry policy.
     *
     * @param foundTtlMs          how long a successful look-up is cached (default 7 days)
     * @param failureTtlMs        how long a failed or not-found look-up is cached (default 1 hour)
     * @param maxRetries          failed ISRCs are retried while their retry count is below this
     * @param partialRetryAfterMs partial results are retried once older than this (default 24 h)
     * @param refreshAfterMs      any result is refreshed once older than this (default 30 days)
     * @param retryBatchSize      most ISRCs one scheduled run looks up
     */
    public record Enrichment(long foundTtlMs, long failureTtlMs, int maxRetries, long partialRetryAfterMs,
                             long refreshAfterMs, int retryBatchSize) {
    }

    /**
     * Spotify Web API, client-credentials flow.
     *
     * @param accountsUrl  token service base, e.g. {@code https://accounts.spotify.com}
     * @param apiUrl       API base, e.g. {@code https://api.spotify.com}
     * @param clientId     client id (empty = Spotify not used)
     * @param clientSecret client secret
     * @param timeoutMs    HTTP timeout
     * @param maxRetryAfterMs longest 429 {@code Retry-After} honoured by waiting; longer ones fail transiently
     */
    public record Spotify(String accountsUrl, String apiUrl, String clientId, String clientSecret, long timeoutMs,
                          long maxRetryAfterMs) {
        /** Whether credentials are configured. */
        public boolean enabled() {
            return !clientId.isBlank() && !clientSecret.isBlank();
        }
    }

    /**
     * Deezer public API (no authentication).
     *
     * @param baseUrl   e.g. {@code https://api.deezer.com}
     * @param enabled   whether to call it
     * @param timeoutMs HTTP timeout
     */
    public record Deezer(String baseUrl, boolean enabled, long timeoutMs) {
    }

    /** Loads settings from the process environment and system properties. */
    public static Settings fromEnvironment() {
        return load(name -> {
            String p = System.getProperty(name);
            return p != null ? p : System.getenv(name);
        });
    }

    /**
     * Loads settings from a lookup of variable names (e.g. {@code SPINLEDGER_CHUNK_MS}).
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be parsed
     */
    public static Settings load(Function<String, String> env) {
        Reader r = new Reader(env);
        Aws aws = new Aws(r.str("AWS_REGION", "us-east-1"), r.uri("SPINLEDGER_S3_ENDPOINT"),
                r.uri("SPINLEDGER_SQS_ENDPOINT"), r.uri("SPINLEDGER_DYNAMODB_ENDPOINT"),
                r.str("SPINLEDGER_AWS_ACCESS_KEY_ID", ""), r.str("SPINLEDGER_AWS_SECRET_ACCESS_KEY", ""));
        Storage storage = new Storage(r.bucket("SPINLEDGER_MEDIA_BUCKET", BucketName.DEFAULT_MEDIA));
        Capture capture = new Capture(r.lng("SPINLEDGER_CHUNK_MS", 10_000), r.lng("SPINLEDGER_CHUNK_OVERLAP_MS", 2_000),
                r.lng("SPINLEDGER_SEGMENT_MS", 300_000), r.lng("SPINLEDGER_SEGMENT_OVERLAP_MS", 5_000),
                (int) r.lng("SPINLEDGER_SAMPLE_RATE_HZ", 11_025), r.lng("SPINLEDGER_STREAM_TIMEOUT_MS", 10_000),
                r.lng("SPINLEDGER_STREAM_MAX_BACKOFF_MS", 60_000));
        Match match = new Match((int) r.lng("SPINLEDGER_MATCH_MIN_ALIGNED", 5),
                r.dbl("SPINLEDGER_MATCH_MIN_CONFIDENCE", 0.5), r.lng("SPINLEDGER_INDEX_REFRESH_MS", 5_000));
        Royalty royalty = new Royalty(r.lng("SPINLEDGER_MIN_PAID_DURATION_MS", 30_000),
                r.lng("SPINLEDGER_PLAY_GAP_MS", 25_000), r.lng("SPINLEDGER_PLAY_CLOSE_AFTER_MS", 30_000),
                r.str("SPINLEDGER_CURRENCY", "GHS"),
                Map.of("A", r.dec("SPINLEDGER_RATE_A", "0.015"), "B", r.dec("SPINLEDGER_RATE_B", "0.012"),
                        "C", r.dec("SPINLEDGER_RATE_C", "0.008"), "ONLINE", r.dec("SPINLEDGER_RATE_ONLINE", "0.010"),
                        "COMMUNITY", r.dec("SPINLEDGER_RATE_COMMUNITY", "0.005")),
                r.str("SPINLEDGER_RULE_VERSION", "gh-2026.1"));
        AcrCloud acr = new AcrCloud(r.str("ACRCLOUD_HOST", "identify-eu-west-1.acrcloud.com"),
                r.str("ACRCLOUD_ACCESS_KEY", ""), r.str("ACRCLOUD_ACCESS_SECRET", ""),
                (int) r.lng("ACRCLOUD_REQUESTS_PER_MINUTE", 45), r.lng("ACRCLOUD_TIMEOUT_MS", 10_000));
        MusicBrainz mb = new MusicBrainz(r.str("MUSICBRAINZ_BASE_URL", "https://musicbrainz.org"),
                r.str("MUSICBRAINZ_USER_AGENT", "SpinLedger/0.1.0 ( https://github.com/spinledger/spinledger )"),
                Boolean.parseBoolean(r.str("MUSICBRAINZ_ENABLED", "true")),
                r.lng("MUSICBRAINZ_MIN_INTERVAL_MS", 1_000), r.lng("MUSICBRAINZ_TIMEOUT_MS", 10_000));
        Fallback fallback = new Fallback(r.bool("SPINLEDGER_GATE_ENABLED", true),
                r.dbl("SPINLEDGER_GATE_MIN_MUSIC_SCORE", 0.5), r.dbl("ACRCLOUD_SAMPLE_SECONDS", 12.0),
                (int) r.lng("ACRCLOUD_DAILY_BUDGET", 1_800), (int) r.lng("ACRCLOUD_STATION_DAILY_BUDGET", 0),
                r.budgets("ACRCLOUD_STATION_BUDGETS"), (int) r.lng("ACRCLOUD_CIRCUIT_FAILURES", 5),
                r.lng("ACRCLOUD_CIRCUIT_OPEN_MS", 60_000), (int) r.lng("ACRCLOUD_CIRCUIT_HALF_OPEN_CALLS", 2),
                (int) r.lng("ACRCLOUD_RETRY_ATTEMPTS", 3), r.lng("ACRCLOUD_RETRY_BACKOFF_MS", 500),
                r.bool("SPINLEDGER_LEARN_FROM_ACRCLOUD", true));
        Enrichment enrichment = new Enrichment(r.lng("SPINLEDGER_ENRICH_FOUND_TTL_MS", 7L * 24 * 3600 * 1000),
                r.lng("SPINLEDGER_ENRICH_FAILURE_TTL_MS", 3600L * 1000), (int) r.lng("SPINLEDGER_ENRICH_MAX_RETRIES", 3),
                r.lng("SPINLEDGER_ENRICH_PARTIAL_RETRY_MS", 24L * 3600 * 1000),
                r.lng("SPINLEDGER_ENRICH_REFRESH_MS", 30L * 24 * 3600 * 1000),
                (int) r.lng("SPINLEDGER_ENRICH_RETRY_BATCH", 25));
        Spotify spotify = new Spotify(r.str("SPOTIFY_ACCOUNTS_URL", "https://accounts.spotify.com"),
                r.str("SPOTIFY_API_URL", "https://api.spotify.com"), r.str("SPOTIFY_CLIENT_ID", ""),
                r.str("SPOTIFY_CLIENT_SECRET", ""), r.lng("SPOTIFY_TIMEOUT_MS", 10_000),
                r.lng("SPOTIFY_MAX_RETRY_AFTER_MS", 5_000));
        Deezer deezer = new Deezer(r.str("DEEZER_BASE_URL", "https://api.deezer.com"),
                r.bool("DEEZER_ENABLED", false), r.lng("DEEZER_TIMEOUT_MS", 10_000));
        Workers workers = new Workers((int) r.lng("SPINLEDGER_CAPTURE_WORKERS", 1), (int) r.lng("SPINLEDGER_STREAMS_PER_WORKER", 200), r.lng("SPINLEDGER_WORKER_HEARTBEAT_MS", 1_000),
                r.lng("SPINLEDGER_WORKER_ALIVE_FOR_MS", 3_000), r.lng("SPINLEDGER_WORKER_SCAN_MS", 10_000),
                (int) r.lng("SPINLEDGER_EVIDENCE_BITRATE", 16_000), r.lng("SPINLEDGER_EVIDENCE_SEGMENT_MS", 300_000));
        Retention retention = new Retention((int) r.lng("SPINLEDGER_DETECTION_RETENTION_DAYS", 90),
                (int) r.lng("SPINLEDGER_CHUNK_LOG_RETENTION_DAYS", 7));
        return new Settings(aws, storage, capture, match, royalty, acr, mb, fallback, enrichment, spotify, deezer,
                workers, retention);
    }

    private record Reader(Function<String, String> env) {
        String str(String name, String def) {
            String v = env.apply(name);
            return v == null || v.isBlank() ? def : v.trim();
        }

        Optional<URI> uri(String name) {
            String v = str(name, "");
            try {
                return v.isEmpty() ? Optional.empty() : Optional.of(URI.create(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " is not a URI: " + v, e);
            }
        }

        /** An S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
        String bucket(String name, String def) {
            String v = str(name, def);
            if (!v.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") || v.contains("..")) {
                throw new IllegalArgumentException(name + " must be an S3 bucket name (3-63 characters: a-z, 0-9, "
                        + "'.', '-'; starting and ending with a letter or digit), got: " + v);
            }
            return v;
        }

        long lng(String name, long def) {
            String v = str(name, Long.toString(def));
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got: " + v, e);
            }
        }

        boolean bool(String name, boolean def) {
            String v = str(name, Boolean.toString(def)).toLowerCase(java.util.Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(name + " must be true or false, got: " + v);
            }
            return Boolean.parseBoolean(v);
        }

        /** {@code "air-fm=200, joy=50"} -> map; empty when unset. */
        Map<String, Integer> budgets(String name) {
            Map<String, Integer> out = new java.util.LinkedHashMap<>();
            String v = str(name, "");
            for (String part : v.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] kv = part.split("=", 2);
                try {
                    out.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(name + " must look like station=calls,station=calls, got: " + v, e);
                }
            }
            return out;
        }

        double dbl(String name, double def) {
            String v = str(name, Double.toString(def));
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got: " + v, e);
            }
        }

        BigDecimal dec(String name, String def) {
            String v = str(name, def);
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a decimal number, got: " + v, e);
            }
        }
    }
}
