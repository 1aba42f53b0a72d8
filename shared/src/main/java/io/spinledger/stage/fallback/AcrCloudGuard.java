package io.spinledger.stage.fallback;

import io.spinledger.engine.audio.Wav;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.spinledger.config.Settings;
import io.spinledger.external.CircuitPolicy;
import io.spinledger.external.Resilience;
import io.spinledger.external.RetryPolicy;
import io.spinledger.ports.Sleeper;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.acrcloud.AcrCloudClient;
import io.spinledger.external.acrcloud.AcrResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * ACRCloud calls behind the shared {@link Resilience} (Resilience4j circuit breaker and retry; the client's
 * {@link io.spinledger.external.HttpExchange} holds the rate limiter). The unit retried is a whole
 * {@link AcrCloudClient#identify} (permit, signed request, body status):
 * <ul>
 *   <li>retry: up to {@code retryAttempts} attempts with exponential backoff ({@code retryInitialBackoffMs},
 *       doubled each time, with jitter; a {@code Retry-After} instead when ACRCloud sends one) on
 *       {@link TransientExternalException}, i.e. status 3000/3003/3015, HTTP 429/5xx,
 *       timeouts. Never on 3001/3014: the client turns those into {@link AcrResult.Outcome#DISABLED} without an
 *       exception, logs them once and stops calling;</li>
 *   <li>circuit breaker: opens after {@code circuitFailures} consecutive failed attempts (count window of that
 *       size, 100 % failure threshold), stays open {@code circuitOpenMs}, then lets {@code circuitHalfOpenCalls}
 *       trial calls through and closes only when all of them succeed (one failed trial re-opens it).</li>
 * </ul>
 * While open, {@link #identifyWav} throws {@link TransientExternalException} at once without network, so the queue
 * message is retried later and nothing is lost. Thread-safe.
 */
public final class AcrCloudGuard implements io.spinledger.ports.AudioIdentifier {
    private final AcrCloudClient client;
    private final Resilience resilience;
    private final double sampleSeconds;

    /**
     * @param client   the ACRCloud client
     * @param settings circuit, retry and sample-length policy
     * @param clock    the circuit breaker's clock (open -> half-open timing)
     */
    public AcrCloudGuard(AcrCloudClient client, Settings.Fallback settings, Clock clock) {
        this(client, settings, clock, Sleeper.REAL);
    }

    /**
     * @param client   the ACRCloud client
     * @param settings circuit, retry and sample-length policy
     * @param clock    the circuit breaker's clock (open -> half-open timing)
     * @param sleeper  how the backoff between attempts is waited
     */
    public AcrCloudGuard(AcrCloudClient client, Settings.Fallback settings, Clock clock, Sleeper sleeper) {
        this.client = Objects.requireNonNull(client, "client");
        this.sampleSeconds = settings.sampleSeconds();
        this.resilience = new Resilience("ACRCloud",
                RetryPolicy.exponential(settings.retryAttempts(),
                        Duration.ofMillis(Math.max(1, settings.retryInitialBackoffMs()))),
                new CircuitPolicy(settings.circuitFailures(), Duration.ofMillis(settings.circuitOpenMs()),
                        settings.circuitHalfOpenCalls(), clock),
                sleeper);
    }

    /** Whether the client can reach the service (credentials configured and accepted). */
    @Override
    public boolean active() {
        return client.active();
    }

    /** The circuit's state: CLOSED, OPEN, HALF_OPEN... */
    public CircuitBreaker.State state() {
        return resilience.circuitState().orElseThrow();
    }

    /**
     * Identifies a WAV clip, trimmed to its middle {@code sampleSeconds}.
     *
     * @throws TransientExternalException when every attempt failed transiently, or the circuit is open
     * @throws io.spinledger.external.ExternalServiceException on an unexpected HTTP status or unreadable body
     *         (counted as a failure by the circuit, not retried)
     */
    @Override
    public AcrResult identifyWav(byte[] wav) {
        byte[] sample = Wav.trimToSeconds(wav, sampleSeconds);
        return resilience.call(() -> client.identify(sample));
    }
}
