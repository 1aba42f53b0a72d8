package io.spinledger.external;

import io.spinledger.ports.Sleeper;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one HTTP exchange of the external clients (ACRCloud, MusicBrainz, Spotify, Deezer): one OkHttp call per
 * attempt, its outcome classified the same way for every service, inside {@link Resilience} (retry with
 * backoff and {@code Retry-After}, optional circuit breaker) and the service's client-side pacing. Thread-safe;
 * build one per service and share it.
 *
 * <p>Classification of one attempt:
 * <ul>
 *   <li>timeout ({@link InterruptedIOException}) or another I/O error, also while reading the body:
 *       {@link TransientExternalException} ("timeout calling ...", "I/O error calling ...");</li>
 *   <li>HTTP 429 or 5xx: {@link TransientExternalException} carrying the status and any {@code Retry-After}
 *       (seconds or an HTTP date);</li>
 *   <li>HTTP 2xx: the caller's success handler, which parses the body and throws
 *       {@link ExternalServiceException} when it is not the documented shape (see {@link Reply#json()}), or
 *       {@link TransientExternalException} for a throttle the service reports in the body;</li>
 *   <li>any other status: the caller's refusal handler, by default {@link ExternalServiceException} with the
 *       status and the service's error text.</li>
 * </ul>
 * The handlers run inside the attempt, so what they throw is retried (or not) and counted by the circuit like a
 * status. The request is built anew for every attempt (fresh token, timestamp, signature).
 *
 * <p>Pacing, per exchange: {@link Builder#minInterval} serialises requests and spaces them at least that long
 * from the end of one to the start of the next (MusicBrainz's 1 request/s); {@link Builder#rateLimit} allows at
 * most so many requests per period and fails transiently when no permit comes in time (ACRCloud's per-minute
 * limit). Both apply to every attempt, retries included.
 */
public final class HttpExchange {
    private static final OkHttpClient BASE = new OkHttpClient();
    private final String service;
    private final OkHttpClient http;
    private final Resilience resilience;
    private final Duration minInterval;
    private final RateLimiter rateLimiter;
    private final String rateLimitText;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Object gate = new Object();
    private long lastEndNanos;
    private boolean anyRequest;

    private HttpExchange(Builder b) {
        this.service = b.service;
        this.http = b.http != null ? b.http : client(b.timeout);
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.resilience = new Resilience(service, b.retry, b.circuit, b.sleeper);
        this.minInterval = b.minInterval;
        if (b.ratePermits > 0) {
            this.rateLimiter = RateLimiter.of(service, RateLimiterConfig.custom()
                    .limitForPeriod(b.ratePermits)
                    .limitRefreshPeriod(b.ratePeriod)
                    .timeoutDuration(b.rateMaxWait)
                    .build());
            this.rateLimitText = b.ratePermits + (b.ratePeriod.equals(Duration.ofMinutes(1)) ? "/min"
                    : " per " + b.ratePeriod.toMillis() + " ms");
        } else {
            this.rateLimiter = null;
            this.rateLimitText = null;
        }
    }

    /** A builder for the exchange of {@code service} ("MusicBrainz", "Spotify"...: used in every message). */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /**
     * An OkHttp client with connect, read, write and whole-call timeouts of {@code timeout}, sharing one
     * connection pool and dispatcher with every other client made here.
     */
    public static OkHttpClient client(Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        return BASE.newBuilder().connectTimeout(ms, TimeUnit.MILLISECONDS).readTimeout(ms, TimeUnit.MILLISECONDS)
                .writeTimeout(ms, TimeUnit.MILLISECONDS).callTimeout(ms, TimeUnit.MILLISECONDS).build();
    }

    /** The service name used in messages. */
    public String service() {
        return service;
    }

    /** The retry and circuit set-up of this exchange (e.g. for the circuit's state). */
    public Resilience resilience() {
        return resilience;
    }

    /**
     * Sends the request; a non-2xx status other than 429/5xx throws the default {@link ExternalServiceException}.
     *
     * @param request   builds the request, once per attempt
     * @param onSuccess turns a 2xx reply into the result
     * @return what {@code onSuccess} returned
     * @throws TransientExternalException after the last transient failure, or when the circuit is open or no
     *                                    rate-limit permit came in time
     * @throws ExternalServiceException   on a refusing status or a body the handler cannot read
     */
    public <T> T execute(Supplier<Request> request, Function<Reply, T> onSuccess) {
        return execute(request, onSuccess, reply -> {
            throw reply.refused(null);
        });
    }

    /**
     * Sends the request, with the caller's handling of refusing statuses (e.g. 404 meaning "not found").
     *
     * @param request   builds the request, once per attempt
     * @param onSuccess turns a 2xx reply into the result
     * @param onRefused turns a reply with any other status but 429/5xx into a result or an exception
     *                  (typically {@link Reply#refused})
     * @return what the handler returned
     * @throws TransientExternalException / ExternalServiceException as {@link #execute(Supplier, Function)}
     */
    public <T> T execute(Supplier<Request> request, Function<Reply, T> onSuccess, Function<Reply, T> onRefused) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(onSuccess, "onSuccess");
        Objects.requireNonNull(onRefused, "onRefused");
        return resilience.call(() -> paced(() -> {
            Reply reply = send(request.get());
            return reply.status() / 100 == 2 ? onSuccess.apply(reply) : onRefused.apply(reply);
        }));
    }

    private <T> T paced(Supplier<T> attempt) {
        if (rateLimiter != null && !rateLimiter.acquirePermission()) {
            throw new TransientExternalException(service, "client-side rate limit of " + rateLimitText + " reached",
                    null);
        }
        if (minInterval == null) {
            return attempt.get();
        }
        synchronized (gate) {
            if (anyRequest) {
                long waitNanos = lastEndNanos + minInterval.toNanos() - System.nanoTime();
                if (waitNanos > 0) {
                    try {
                        sleeper.sleep(Duration.ofNanos(waitNanos));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TransientExternalException(service, "interrupted while waiting for the rate limit",
                                e);
                    }
                }
            }
            try {
                return attempt.get();
            } finally {
                lastEndNanos = System.nanoTime();
                anyRequest = true;
            }
        }
    }

    /** One OkHttp call: the reply when the status is not transient, else a TransientExternalException. */
    private Reply send(Request request) {
        HttpUrl url = request.url();
        int status;
        Headers headers;
        String body;
        try (Response response = http.newCall(request).execute()) {
            status = response.code();
            headers = response.headers();
            body = response.body().string();
        } catch (InterruptedIOException e) {
            throw new TransientExternalException(service, "timeout calling " + where(url), e);
        } catch (IOException e) {
            throw new TransientExternalException(service, "I/O error calling " + where(url) + ": " + e.getMessage(), e);
        }
        if (status == 429 || status >= 500) {
            String header = headers.get("Retry-After");
            Duration retryAfter = retryAfter(header, clock.instant());
            throw new TransientExternalException(service, "HTTP " + status + " from " + where(url)
                    + (header == null ? "" : ", Retry-After " + header.trim()), null, status, retryAfter);
        }
        return new Reply(service, url, status, headers, body);
    }

    /**
     * The wait a {@code Retry-After} header asks for: delay-seconds or an HTTP date (RFC 9110 section 10.2.3).
     *
     * @param header the header value, may be null
     * @param now    the current time, for an HTTP date
     * @return the wait (zero for a date in the past), or null when absent or unreadable
     */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (h.chars().allMatch(Character::isDigit)) {
            return h.length() > 9 ? Duration.ofSeconds(999_999_999) : Duration.ofSeconds(Long.parseLong(h));
        }
        try {
            Duration d = Duration.between(now, ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The URL without query, fragment or credentials, for messages. */
    static String where(HttpUrl url) {
        return url.newBuilder().query(null).fragment(null).username("").password("").build().toString();
    }

    /**
     * One answer that is not a transient failure.
     *
     * @param service the service that answered
     * @param url     the request URL
     * @param status  HTTP status
     * @param headers response headers
     * @param body    the whole body as text
     */
    public record Reply(String service, HttpUrl url, int status, Headers headers, String body) {
        /** A response header, or null. */
        public String header(String name) {
            return headers.get(name);
        }

        /**
         * The body as JSON.
         *
         * @throws ExternalServiceException ("unreadable JSON ...") when it is not JSON
         */
        public JsonNode json() {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                if (n == null || n.isMissingNode()) {
                    throw new ExternalServiceException(service, status, "unreadable JSON from " + where(url)
                            + ": empty body", null);
                }
                return n;
            } catch (JsonProcessingException e) {
                throw new ExternalServiceException(service, status, "unreadable JSON from " + where(url) + ": "
                        + e.getOriginalMessage(), e);
            }
        }

        /**
         * The body as a JSON object.
         *
         * @throws ExternalServiceException when it is not JSON or not an object
         */
        public JsonNode jsonObject() {
            JsonNode n = json();
            if (!n.isObject()) {
                throw new ExternalServiceException(service, status, "not a JSON object from " + where(url), null);
            }
            return n;
        }

        /**
         * The service's own error text: {@code error} when it is a string (MusicBrainz), {@code error.message}
         * (Spotify), else the first 200 characters of the body.
         */
        public String detail() {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                JsonNode error = n == null ? null : n.get("error");
                if (error != null && error.isTextual()) {
                    return error.asText();
                }
                if (error != null && error.path("message").isTextual()) {
                    return error.path("message").asText();
                }
            } catch (JsonProcessingException e) {
                // not JSON: quote the start of the body
            }
            return body.length() > 200 ? body.substring(0, 200) : body;
        }

        /**
         * The refusal of this reply: {@code HTTP <status> from <url> (<hint>): <detail>}.
         *
         * @param hint what to check, or null
         */
        public ExternalServiceException refused(String hint) {
            return new ExternalServiceException(service, status, "HTTP " + status + " from " + where(url)
                    + (hint == null ? "" : " (" + hint + ")") + ": " + detail(), null);
        }
    }

    /** Settings of an {@link HttpExchange}; every one has a default. */
    public static final class Builder {
        private final String service;
        private OkHttpClient http;
        private Duration timeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RetryPolicy.none();
        private CircuitPolicy circuit;
        private Duration minInterval;
        private int ratePermits;
        private Duration ratePeriod;
        private Duration rateMaxWait;
        private Sleeper sleeper = Sleeper.REAL;
        private Clock clock = Clock.systemUTC();

        private Builder(String service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** Uses this OkHttp client as it is (its timeouts apply; {@link #timeout} is then ignored). */
        public Builder http(OkHttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Connect, read, write and call timeout of the client made when none is given (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** When to try again (default: never). */
        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** A circuit breaker for this service (default: none). */
        public Builder circuit(CircuitPolicy policy) {
            this.circuit = policy;
            return this;
        }

        /** Serialise requests, at least {@code interval} from the end of one to the start of the next. */
        public Builder minInterval(Duration interval) {
            this.minInterval = interval == null || interval.isNegative() ? Duration.ZERO : interval;
            return this;
        }

        /**
         * At most {@code permits} requests per {@code period}; a request that gets no permit within
         * {@code maxWait} fails with {@link TransientExternalException} ("client-side rate limit ...").
         */
        public Builder rateLimit(int permits, Duration period, Duration maxWait) {
            this.ratePermits = Math.max(1, permits);
            this.ratePeriod = Objects.requireNonNull(period, "period");
            this.rateMaxWait = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /** How to wait between attempts and for the minimum interval (default {@link Sleeper#REAL}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** The clock for {@code Retry-After} dates (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The exchange. */
        public HttpExchange build() {
            return new HttpExchange(this);
        }
    }
}
