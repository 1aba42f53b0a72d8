package io.spinledger.external;

import io.spinledger.ports.Sleeper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry and circuit-breaker set-up of the external clients: a Resilience4j {@link Retry} (outer) around
 * an optional Resilience4j {@link CircuitBreaker} (inner, so each attempt is recorded), see {@link RetryPolicy}
 * and {@link CircuitPolicy}. The waits between attempts go through a {@link Sleeper}, so tests need not sleep.
 * {@link HttpExchange} uses it around each HTTP exchange; a client whose unit of retry is more than one exchange
 * (ACRCloud: rate-limit permit, signed request and body status) uses it directly. Thread-safe.
 */
public final class Resilience {
    private static final Logger log = LoggerFactory.getLogger(Resilience.class);
    private final String service;
    private final RetryPolicy policy;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Sleeper sleeper;

    /**
     * @param service short service name for messages and metrics names, e.g. "ACRCloud"
     * @param retry   when to try again and how long to wait
     * @param circuit when to stop calling, or null for no circuit breaker
     * @param sleeper how to wait between attempts ({@link Sleeper#REAL} in production)
     */
    public Resilience(String service, RetryPolicy retry, CircuitPolicy circuit, Sleeper sleeper) {
        this.service = Objects.requireNonNull(service, "service");
        this.policy = Objects.requireNonNull(retry, "retry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.retry = Retry.of(service, RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .retryOnException(this::retryable)
                .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) ->
                        waitMillis(attempt, outcome.isLeft() ? outcome.getLeft() : null))
                .build());
        if (circuit == null) {
            this.breaker = null;
        } else {
            this.breaker = CircuitBreaker.of(service, CircuitBreakerConfig.custom()
                    .slidingWindow(circuit.failures(), circuit.failures(),
                            CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .failureRateThreshold(100)
                    .waitDurationInOpenState(circuit.openFor())
                    .permittedNumberOfCallsInHalfOpenState(circuit.halfOpenCalls())
                    .clock(circuit.clock())
                    .build());
            breaker.getEventPublisher().onStateTransition(e ->
                    log.warn("{} circuit {}", service, e.getStateTransition()));
        }
    }

    /** A set-up that never retries and has no circuit breaker: the call is made once. */
    public static Resilience none(String service) {
        return new Resilience(service, RetryPolicy.none(), null, Sleeper.REAL);
    }

    /** The circuit's state (CLOSED, OPEN, HALF_OPEN...), or empty without a circuit breaker. */
    public Optional<CircuitBreaker.State> circuitState() {
        return breaker == null ? Optional.empty() : Optional.of(breaker.getState());
    }

    /** The retry policy in force. */
    public RetryPolicy retryPolicy() {
        return policy;
    }

    /**
     * Runs {@code attempt} until it returns, a failure is not to be retried, or the attempts are spent.
     *
     * @return the attempt's result
     * @throws TransientExternalException the last transient failure, or "circuit open" without calling
     * @throws RuntimeException           anything else {@code attempt} threw (not retried)
     */
    public <T> T call(Supplier<T> attempt) {
        Objects.requireNonNull(attempt, "attempt");
        Retry.AsyncContext<Object> context = retry.asyncContext();
        while (true) {
            T result;
            try {
                result = once(attempt);
            } catch (RuntimeException e) {
                long waitMs = context.onError(e);
                if (waitMs < 0) {
                    throw e;
                }
                pause(Duration.ofMillis(waitMs), e);
                continue;
            }
            context.onComplete();
            return result;
        }
    }

    private <T> T once(Supplier<T> attempt) {
        if (breaker == null) {
            return attempt.get();
        }
        try {
            return breaker.executeSupplier(attempt);
        } catch (CallNotPermittedException e) {
            throw new TransientExternalException(service, "circuit open after repeated failures; not calling", e);
        } catch (RuntimeException e) {
            // a failed trial call re-opens at once (Resilience4j would wait for all trials and compare the rate)
            if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
                breaker.transitionToOpenState();
            }
            throw e;
        }
    }

    private boolean retryable(Throwable e) {
        if (!(e instanceof TransientExternalException t) || t.getCause() instanceof CallNotPermittedException) {
            return false;
        }
        if (!policy.retryOn().test(t)) {
            return false;
        }
        return t.retryAfter().map(d -> d.compareTo(policy.maxRetryAfter()) <= 0).orElse(true);
    }

    private long waitMillis(int attempt, Throwable failure) {
        if (failure instanceof TransientExternalException t && t.retryAfter().isPresent()) {
            return t.retryAfter().get().toMillis();
        }
        long base = policy.backoffMillis(attempt);
        long extra = policy.jitter() <= 0 || base <= 0 ? 0
                : (long) (ThreadLocalRandom.current().nextDouble() * policy.jitter() * base);
        return base + extra;
    }

    private void pause(Duration wait, RuntimeException failure) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            TransientExternalException t = new TransientExternalException(service,
                    "interrupted while waiting to retry", ie);
            t.addSuppressed(failure);
            throw t;
        }
    }
}
