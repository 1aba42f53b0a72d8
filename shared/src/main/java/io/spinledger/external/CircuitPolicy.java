package io.spinledger.external;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * When {@link Resilience}'s circuit breaker stops calling a service: it opens after {@code failures} consecutive
 * failed attempts, stays open {@code openFor}, then lets {@code halfOpenCalls} trial calls through and closes
 * only when all of them succeed (one failed trial re-opens it at once). While open, calls fail at once with a
 * {@link TransientExternalException} ("circuit open") without reaching the service.
 *
 * @param failures      consecutive failures that open the circuit, at least 1
 * @param openFor       how long it stays open before trial calls
 * @param halfOpenCalls successful trial calls that close it, at least 1
 * @param clock         the breaker's clock (open to half-open timing)
 */
public record CircuitPolicy(int failures, Duration openFor, int halfOpenCalls, Clock clock) {
    public CircuitPolicy {
        failures = Math.max(1, failures);
        halfOpenCalls = Math.max(1, halfOpenCalls);
        openFor = openFor.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : openFor;
        Objects.requireNonNull(clock, "clock");
    }
}
