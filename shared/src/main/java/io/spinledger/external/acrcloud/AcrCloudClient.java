package io.spinledger.external.acrcloud;

import io.spinledger.config.Settings;
import io.spinledger.engine.audio.Wav;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.HttpExchange;
import io.spinledger.external.TransientExternalException;
import io.spinledger.stage.fallback.AcrCloudGuard;
import io.spinledger.stats.Metering;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of ACRCloud's identify API, protocol v1: {@code POST <base>/v1/identify} as multipart/form-data with
 * {@code sample, access_key, sample_bytes, timestamp, signature, data_type=audio, signature_version=1}
 * (reference/external-apis.md section 1). Thread-safe; share one instance per process.
 *
 * <p>Outcomes: status 0 = {@link AcrResult.Outcome#MATCH}, 1001 = {@link AcrResult.Outcome#NO_RESULT};
 * 3001 (access key) and 3014 (signature) log one clear error and switch the client off
 * ({@link AcrResult.Outcome#DISABLED} from then on, without network); 3000/3003/3015, HTTP 429/5xx, timeouts and
 * connection failures throw {@link TransientExternalException}; other statuses give
 * {@link AcrResult.Outcome#ERROR}. Without credentials every call returns {@link AcrResult.Outcome#NOT_CONFIGURED}
 * without network. Requests are limited client-side to {@code requestsPerMinute}. One attempt per call, on an
 * {@link HttpExchange}; {@link AcrCloudGuard} adds the retries and the circuit breaker.
 */
public final class AcrCloudClient {
    /** Longest sample {@link #identifyWav} sends, in seconds (the official SDKs use 12 s windows). */
    public static final double MAX_SAMPLE_SECONDS = 12.0;
    private static final String SERVICE = "ACRCloud";
    private static final Logger log = LoggerFactory.getLogger(AcrCloudClient.class);
    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final Settings.AcrCloud settings;
    private final HttpExchange exchange;
    private final Clock clock;
    private final String identifyUrl;
    private final AtomicBoolean notConfiguredLogged = new AtomicBoolean();
    private volatile AcrResult disabled;

    /** A client with its own HTTP client (timeouts from {@code settings.timeoutMs}) and the system clock. */
    public AcrCloudClient(Settings.AcrCloud settings) {
        this(settings, HttpExchange.client(Duration.ofMillis(settings.timeoutMs())), Clock.systemUTC(),
                Duration.ofMinutes(1));
    }

    /**
     * @param settings          host, credentials, {@code requestsPerMinute}, timeout
     * @param http              HTTP client to use (timeouts are the caller's)
     * @param clock             source of the signed {@code timestamp}
     * @param maxRateLimitWait  longest time a call waits for a rate-limit permit before it throws
     *                          {@link TransientExternalException}
     */
    public AcrCloudClient(Settings.AcrCloud settings, OkHttpClient http, Clock clock, Duration maxRateLimitWait) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.identifyUrl = baseUrl(settings.host()) + AcrSignature.URI;
        this.exchange = HttpExchange.builder(SERVICE).http(Objects.requireNonNull(http, "http"))
                .rateLimit(settings.requestsPerMinute(), Duration.ofMinutes(1), maxRateLimitWait)
                .build();
    }

    /**
     * The base URL for a configured host: a bare host ({@code identify-eu-west-1.acrcloud.com}) becomes
     * {@code https://host}; a full URL ({@code http://127.0.0.1:1234}) is used as-is, without a trailing slash.
     */
    public static String baseUrl(String host) {
        String h = host == null ? "" : host.trim();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("ACRCLOUD_HOST is empty");
        }
        if (h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.contains("://") ? h : "https://" + h;
    }

    /** Whether calls can reach the service: credentials configured and not rejected by it. */
    public boolean active() {
        return settings.enabled() && disabled == null;
    }

    /**
     * Identifies a WAV clip, first trimming it to its middle {@link #MAX_SAMPLE_SECONDS} seconds.
     *
     * @throws IllegalArgumentException when the bytes are not a PCM WAV
     * @see #identify(byte[])
     */
    public AcrResult identifyWav(byte[] wav) {
        return identify(Wav.trimToSeconds(wav, MAX_SAMPLE_SECONDS));
    }

    /**
     * Identifies an audio sample ({@code data_type=audio}, sent as-is).
     *
     * @param sample audio file bytes (WAV, MP3...), ideally under 15 s
     * @return the outcome; never null
     * @throws TransientExternalException on 3000/3003/3015, HTTP 429/5xx, timeouts, I/O errors, or no rate-limit
     *                                    permit in time: retry later
     * @throws ExternalServiceException   on another HTTP status or a body that is not an identify response
     */
    public AcrResult identify(byte[] sample) {
        Objects.requireNonNull(sample, "sample");
        if (!settings.enabled()) {
            if (notConfiguredLogged.compareAndSet(false, true)) {
                log.warn("ACRCloud fallback disabled: no ACRCLOUD_ACCESS_KEY/ACRCLOUD_ACCESS_SECRET");
            }
            Metering.increment("acrcloud.notConfigured");
            return AcrResult.notConfigured();
        }
        AcrResult off = disabled;
        if (off != null) {
            return off;
        }
        return exchange.execute(() -> request(sample), reply -> {
            AcrResponseParser.Parsed parsed;
            try {
                parsed = AcrResponseParser.parse(reply.body());
            } catch (IllegalArgumentException e) {
                throw new ExternalServiceException(SERVICE, reply.status(),
                        "unreadable identify response: " + e.getMessage(), e);
            }
            return toResult(parsed);
        });
    }

    /** The signed identify request, with a fresh timestamp. */
    private Request request(byte[] sample) {
        Metering.increment("acrcloud.requests");
        String dataType = "audio";
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("sample", "sample", RequestBody.create(sample, OCTET_STREAM))
                .addFormDataPart("access_key", settings.accessKey())
                .addFormDataPart("sample_bytes", Integer.toString(sample.length))
                .addFormDataPart("timestamp", timestamp)
                .addFormDataPart("signature",
                        AcrSignature.sign(settings.accessKey(), settings.accessSecret(), dataType, timestamp))
                .addFormDataPart("data_type", dataType)
                .addFormDataPart("signature_version", AcrSignature.VERSION)
                .build();
        return new Request.Builder().url(identifyUrl).post(body).build();
    }

    private AcrResult toResult(AcrResponseParser.Parsed p) {
        return switch (p.code()) {
            case 0 -> p.matches().isEmpty()
                    ? new AcrResult(AcrResult.Outcome.NO_RESULT, 0, p.msg(), List.of())
                    : new AcrResult(AcrResult.Outcome.MATCH, 0, p.msg(), p.matches());
            case 1001 -> new AcrResult(AcrResult.Outcome.NO_RESULT, 1001, p.msg(), List.of());
            case 3001, 3014 -> disable(p);
            case 3000, 3003, 3015 -> throw new TransientExternalException(SERVICE,
                    "status " + p.code() + " " + p.msg() + " (service error or quota/QPS limit)", null);
            default -> new AcrResult(AcrResult.Outcome.ERROR, p.code(), p.msg(), List.of());
        };
    }

    private synchronized AcrResult disable(AcrResponseParser.Parsed p) {
        if (disabled == null) {
            String what = p.code() == 3001 ? "access key rejected" : "signature rejected (check ACRCLOUD_ACCESS_SECRET)";
            log.error("ACRCloud fallback disabled: {} by {}: status {} \"{}\". No further ACRCloud calls until restart.",
                    what, identifyUrl, p.code(), p.msg());
            disabled = new AcrResult(AcrResult.Outcome.DISABLED, p.code(),
                    "ACRCloud disabled: " + what + " (status " + p.code() + " " + p.msg() + ")", List.of());
        }
        return disabled;
    }
}
