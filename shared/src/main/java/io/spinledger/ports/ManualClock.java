package io.spinledger.ports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that moves only when told: the simulator's time, the CLI scan's air time, and tests'. Never moves
 * backwards. Thread-safe.
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock showing {@code start}. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go backwards: " + d);
        }
        now.updateAndGet(t -> t.plus(d));
    }

    /** Moves the clock to {@code t} when that is later than now; an earlier instant leaves it where it is. */
    public void set(Instant t) {
        now.updateAndGet(cur -> t.isAfter(cur) ? t : cur);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
