package io.spinledger.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's clock: UTC, moved only by the simulation loop, so every run of a seed sees the same times. */
public final class SimClock extends Clock {
    private Instant now;

    /** @param start the first instant */
    public SimClock(Instant start) {
        this.now = start;
    }

    /** Moves time forward by {@code ms} milliseconds (never backwards). */
    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time cannot go backwards: " + ms);
        }
        now = now.plusMillis(ms);
    }

    /** Now, in epoch milliseconds. */
    public long millisNow() {
        return now.toEpochMilli();
    }

    @Override
    public Instant instant() {
        return now;
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
