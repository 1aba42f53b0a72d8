package io.spinledger.ports;

import java.time.Duration;

/**
 * How SpinLedger waits: between retries of an external call or of a contended transaction, for a
 * {@code Retry-After}, for a politeness interval. The real
 * one sleeps the thread; tests pass one that records the waits (or sleeps less) so they do not take long.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps the current thread. */
    Sleeper REAL = d -> {
        if (d.isPositive()) {
            Thread.sleep(d);
        }
    };

    /**
     * Waits {@code duration}; returns at once when it is zero or negative.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}
