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
 * @param capture    how streams are captured and cut into chunks
 * @param match      fingerprint-match thresholds
 * @param royalty    play assembly and posting rules
 * @param acrcloud   ACRCloud credentials (empty = disabled)
 * @param musicbrainz MusicBrainz client settings
 */
public record Settings(Aws aws, Capture capture, Match match, Royalty royalty, AcrCloud acrcloud,
                       MusicBrainz musicbrainz) {

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
     * @param minAlignedHashes fewest time-aligned hashes that make a detection
     * @param minConfidence    lowest confidence in [0,1] that makes a detection
     * @param indexRefreshMs   how often a warm matcher looks for new index segments
     */
    public record Match(int minAlignedHashes, double minConfidence, long indexRefreshMs) {
    }

    /**
     * Royalty tunables.
     *
     * @param minPaidDurationMs plays shorter than this are kept but not paid
     * @param playGapMs         largest gap between detections of one track that still makes one play
     * @param playCloseAfterMs  a play closes (and is posted) once no detection extended it for this long
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
        Capture capture = new Capture(r.lng("SPINLEDGER_CHUNK_MS", 10_000), r.lng("SPINLEDGER_CHUNK_OVERLAP_MS", 2_000),
                r.lng("SPINLEDGER_SEGMENT_MS", 300_000), r.lng("SPINLEDGER_SEGMENT_OVERLAP_MS", 5_000),
                (int) r.lng("SPINLEDGER_SAMPLE_RATE_HZ", 11_025), r.lng("SPINLEDGER_STREAM_TIMEOUT_MS", 10_000),
                r.lng("SPINLEDGER_STREAM_MAX_BACKOFF_MS", 60_000));
        Match match = new Match((int) r.lng("SPINLEDGER_MATCH_MIN_ALIGNED", 30),
                r.dbl("SPINLEDGER_MATCH_MIN_CONFIDENCE", 0.3), r.lng("SPINLEDGER_INDEX_REFRESH_MS", 5_000));
        Royalty royalty = new Royalty(r.lng("SPINLEDGER_MIN_PAID_DURATION_MS", 30_000),
                r.lng("SPINLEDGER_PLAY_GAP_MS", 25_000), r.lng("SPINLEDGER_PLAY_CLOSE_AFTER_MS", 60_000),
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
        return new Settings(aws, capture, match, royalty, acr, mb);
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

        long lng(String name, long def) {
            String v = str(name, Long.toString(def));
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number, got: " + v, e);
            }
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
