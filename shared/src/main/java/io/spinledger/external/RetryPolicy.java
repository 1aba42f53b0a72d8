package io.spinledger.external;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * When and how long {@link Resilience} waits before trying a failed call again. Only
 * {@link TransientExternalException}s are retried, and of those only the ones {@code retryOn} accepts; a refusal
 * by an open circuit is never retried.
 *
 * <p>The wait before retry {@code n} (1-based) is the service's {@code Retry-After} when the failure carried one,
 * else {@code initialBackoff * multiplier^(n-1)}, capped at {@code maxBackoff}, plus up to {@code jitter} times
 * that (jitter only lengthens a wait, so a politeness floor such as MusicBrainz's 1 s is never undercut). A
 * {@code Retry-After} longer than {@code maxRetryAfter} is not waited out: the call fails at once and the work
 * item is retried later by its queue.
 *
 * @param maxAttempts    attempts in all, at least 1 (1 = no retry)
 * @param initialBackoff wait before the first retry when the service did not say
 * @param multiplier     growth of the wait per further retry (at least 1)
 * @param jitter         random extra fraction of each backoff, 0 to 1 (0 = none)
 * @param maxBackoff     longest backoff (not applied to {@code Retry-After})
 * @param maxRetryAfter  longest {@code Retry-After} waited out
 * @param retryOn        which transient failures are retried
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, double jitter,
                          Duration maxBackoff, Duration maxRetryAfter,
                          Predicate<TransientExternalException> retryOn) {
    /** Longest {@code Retry-After} honoured unless a client says otherwise. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);
    /** Longest backoff unless a client says otherwise. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    /** Random extra fraction of each backoff unless a client says otherwise. */
    public static final double DEFAULT_JITTER = 0.2;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (multiplier < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("multiplier must be >= 1 and jitter within 0..1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        Objects.requireNonNull(retryOn, "retryOn");
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1, 0, Duration.ZERO, Duration.ZERO, e -> false);
    }

    /**
     * Every transient failure retried, up to {@code maxAttempts} attempts in all, waiting {@code initialBackoff}
     * doubled per further retry with {@link #DEFAULT_JITTER}, capped at {@link #DEFAULT_MAX_BACKOFF}; a
     * {@code Retry-After} up to {@link #DEFAULT_MAX_RETRY_AFTER} is waited out instead.
     */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff) {
        return new RetryPolicy(Math.max(1, maxAttempts), initialBackoff, 2.0, DEFAULT_JITTER, DEFAULT_MAX_BACKOFF,
                DEFAULT_MAX_RETRY_AFTER, e -> true);
    }

    /** This policy retrying only the transient failures {@code which} accepts. */
    public RetryPolicy retryOn(Predicate<TransientExternalException> which) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, maxRetryAfter, which);
    }

    /** This policy waiting out a {@code Retry-After} of at most {@code max}. */
    public RetryPolicy maxRetryAfter(Duration max) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, max, retryOn);
    }

    /** This policy with {@code fraction} of random extra wait (0 = exact backoffs). */
    public RetryPolicy jitter(double fraction) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, fraction, maxBackoff, maxRetryAfter, retryOn);
    }

    /** The backoff before retry {@code retry} (1-based) without jitter, in milliseconds. */
    long backoffMillis(int retry) {
        double ms = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
        return (long) Math.min(ms, maxBackoff.toMillis());
    }
}
