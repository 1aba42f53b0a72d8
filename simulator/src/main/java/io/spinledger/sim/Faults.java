package io.spinledger.sim;

import java.util.random.RandomGenerator;

/**
 * Where and how often the simulation breaks the pipeline. Every side effect (a table write, a queue send, an
 * external call) passes a fault point before and after it; while armed, each point crashes the process with
 * probability {@code crashRate}. Deterministic: all draws come from the run's seeded generator.
 */
public final class Faults {
    private final RandomGenerator random;
    private final double crashRate;
    private boolean armed;
    private long points;
    private long crashes;

    /**
     * @param random    the run's generator
     * @param crashRate probability that one fault point crashes while armed, in [0, 1]
     */
    public Faults(RandomGenerator random, double crashRate) {
        this.random = random;
        this.crashRate = crashRate;
    }

    /** Arms or disarms the fault points (disarmed while the simulation drains, so it always finishes). */
    public void arm(boolean on) {
        this.armed = on;
    }

    /** Whether fault points may crash now. */
    public boolean armed() {
        return armed;
    }

    /**
     * A fault point.
     *
     * @throws SimulatedCrash when the draw says the process dies here
     */
    public void point(String where) {
        points++;
        if (armed && crashRate > 0 && random.nextDouble() < crashRate) {
            crashes++;
            throw new SimulatedCrash(where);
        }
    }

    /** Fault points passed. */
    public long points() {
        return points;
    }

    /** Crashes injected. */
    public long crashes() {
        return crashes;
    }
}
