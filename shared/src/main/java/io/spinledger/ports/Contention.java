package io.spinledger.ports;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy for optimistic-concurrency contention: runs an action again while it fails with an
 * exception the caller calls retryable (by default a {@link TransactionCancelledException#retryable() retryable}
 * cancelled transaction), up to a number of attempts, waiting between attempts an exponentially growing,
 * fully jittered time: attempt {@code n} waits uniformly in {@code [1, min(maxWaitMs, baseWaitMs * 2^(n-1))]} ms.
 *
 * <p>Waits go through an injectable {@link Sleeper} and a {@link RandomGenerator}, so a deterministic simulator
 * can run with {@link #noWaits()} (nothing slept, nothing drawn) or with a seeded random and a simulated sleep.
 * Thread-safe when its random generator is.
 */
public final class Contention {
    private static final Logger log = LoggerFactory.getLogger(Contention.class);
    /** Default first wait bound, ms. */
    public static final long DEFAULT_BASE_WAIT_MS = 2;
    /** Default largest wait bound, ms. */
    public static final long DEFAULT_MAX_WAIT_MS = 50;

    private final long baseWaitMs;
    private final long maxWaitMs;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    /**
     * @param baseWaitMs bound of the first wait, ms; 0 waits never (neither sleeps nor draws)
     * @param maxWaitMs  largest wait bound, ms (at least {@code baseWaitMs})
     * @param sleeper    how to wait
     * @param random     source of the jitter
     * @throws IllegalArgumentException for negative waits or {@code maxWaitMs < baseWaitMs}
     */
    public Contention(long baseWaitMs, long maxWaitMs, Sleeper sleeper, RandomGenerator random) {
        if (baseWaitMs < 0 || maxWaitMs < baseWaitMs) {
            throw new IllegalArgumentException("need 0 <= baseWaitMs <= maxWaitMs, got " + baseWaitMs + ", "
                    + maxWaitMs);
        }
        this.baseWaitMs = baseWaitMs;
        this.maxWaitMs = maxWaitMs;
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Production default: waits of 2 ms doubling up to 50 ms, real sleeps, thread-local random jitter. */
    public static Contention standard() {
        return new Contention(DEFAULT_BASE_WAIT_MS, DEFAULT_MAX_WAIT_MS, Sleeper.REAL, new ThreadLocalJitter());
    }

    /** Retries at once, never sleeping or drawing a random number (simulator, fast tests). */
    public static Contention noWaits() {
        return new Contention(0, 0, wait -> { }, new ThreadLocalJitter());
    }

    /**
     * Runs {@code action}, again while it throws a {@link TransactionCancelledException#retryable() retryable}
     * {@link TransactionCancelledException}.
     *
     * @see #call(String, int, Supplier, Predicate)
     */
    public <T> T call(String what, int maxAttempts, Supplier<T> action) {
        return call(what, maxAttempts, action,
                e -> e instanceof TransactionCancelledException t && t.retryable());
    }

    /**
     * Runs {@code action}, again (after a wait) while it throws an exception {@code retryable} accepts.
     *
     * @param what        what is attempted, for the debug log
     * @param maxAttempts most runs of the action (at least 1)
     * @param action      the work; re-reads what it needs on every run
     * @param retryable   which failures are worth another attempt
     * @return the action's result
     * @throws RuntimeException      the action's exception when it is not retryable, or the last retryable one
     *                               once {@code maxAttempts} runs failed
     * @throws IllegalStateException when interrupted while waiting (the interrupt flag is restored)
     */
    public <T> T call(String what, int maxAttempts, Supplier<T> action, Predicate<? super RuntimeException> retryable) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (attempt >= maxAttempts || !retryable.test(e)) {
                    throw e;
                }
                log.debug("{} lost a race ({}), attempt {}", what, e.getMessage(), attempt);
                pause(attempt);
            }
        }
    }

    /** The wait before attempt {@code attempt + 1}, ms (0 when this policy never waits). */
    long waitMs(int attempt) {
        if (baseWaitMs == 0) {
            return 0;
        }
        long bound = baseWaitMs << Math.min(attempt - 1, 30);
        bound = bound <= 0 ? maxWaitMs : Math.min(maxWaitMs, bound);
        return bound <= 1 ? 1 : 1 + random.nextLong(bound);
    }

    private void pause(int attempt) {
        long ms = waitMs(attempt);
        if (ms <= 0) {
            return;
        }
        try {
            sleeper.sleep(java.time.Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@link ThreadLocalRandom} of the calling thread, as a generator that may be shared across threads. */
    private static final class ThreadLocalJitter implements RandomGenerator {
        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public long nextLong(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }
    }
}
