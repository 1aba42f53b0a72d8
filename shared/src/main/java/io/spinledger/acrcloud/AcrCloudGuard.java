package io.spinledger.acrcloud;

import io.spinledger.audio.Wav;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.spinledger.config.Settings;
import io.spinledger.external.TransientExternalException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACRCloud calls behind a Resilience4j circuit breaker and retry (the client itself holds the rate limiter):
 * <ul>
 *   <li>retry: up to {@code retryAttempts} attempts with exponential backoff ({@code retryInitialBackoffMs},
 *       doubled each time) on {@link TransientExternalException}, i.e. status 3000/3003/3015, HTTP 429/5xx,
 *       timeouts. Never on 3001/3014: the client turns those into {@link AcrResult.Outcome#DISABLED} without an
 *       exception, logs them once and stops calling;</li>
 *   <li>circuit breaker: opens after {@code circuitFailures} consecutive failed attempts (count window of that
 *       size, 100 % failure threshold), stays open {@code circuitOpenMs}, then lets {@code circuitHalfOpenCalls}
 *       trial calls through and closes only when all of them succeed (one failed trial re-opens it).</li>
 * </ul>
 * While open, {@link #identifyWav} throws {@link TransientExternalException} at once without network, so the queue
 * message is retried later and nothing is lost. Thread-safe.
 */
public final class AcrCloudGuard {
    private static final Logger log = LoggerFactory.getLogger(AcrCloudGuard.class);
    private final AcrCloudClient client;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final double sampleSeconds;

    /**
     * @param client   the ACRCloud client
     * @param settings circuit, retry and sample-length policy
     * @param clock    the circuit breaker's clock (open -> half-open timing)
     */
    public AcrCloudGuard(AcrCloudClient client, Settings.Fallback settings, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.sampleSeconds = settings.sampleSeconds();
        int failures = Math.max(1, settings.circuitFailures());
        this.breaker = CircuitBreaker.of("acrcloud", CircuitBreakerConfig.custom()
                .slidingWindow(failures, failures, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofMillis(Math.max(1, settings.circuitOpenMs())))
                .permittedNumberOfCallsInHalfOpenState(Math.max(1, settings.circuitHalfOpenCalls()))
                .clock(clock)
                .build());
        breaker.getEventPublisher().onStateTransition(e ->
                log.warn("ACRCloud circuit {}", e.getStateTransition()));
        this.retry = Retry.of("acrcloud", RetryConfig.custom()
                .maxAttempts(Math.max(1, settings.retryAttempts()))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(
                        Math.max(1, settings.retryInitialBackoffMs()), 2.0))
                .retryOnException(e -> e instanceof TransientExternalException
                        && !(e.getCause() instanceof CallNotPermittedException))
                .build());
    }

    /** Whether the client can reach the service (credentials configured and accepted). */
    public boolean active() {
        return client.active();
    }

    /** The circuit's state: CLOSED, OPEN, HALF_OPEN... */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /**
     * Identifies a WAV clip, trimmed to its middle {@code sampleSeconds}.
     *
     * @throws TransientExternalException when every attempt failed transiently, or the circuit is open
     * @throws io.spinledger.external.ExternalServiceException on an unexpected HTTP status or unreadable body
     *         (counted as a failure by the circuit, not retried)
     */
    public AcrResult identifyWav(byte[] wav) {
        byte[] sample = Wav.trimToSeconds(wav, sampleSeconds);
        return retry.executeSupplier(() -> attempt(sample));
    }

    private AcrResult attempt(byte[] sample) {
        try {
            return breaker.executeSupplier(() -> client.identify(sample));
        } catch (CallNotPermittedException e) {
            throw new TransientExternalException("ACRCloud", "circuit open after repeated failures; not calling", e);
        } catch (RuntimeException e) {
            // a failed trial call re-opens at once (Resilience4j would wait for all trials and compare the rate)
            if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
                breaker.transitionToOpenState();
            }
            throw e;
        }
    }
}
