package io.spinledger.sim;

/**
 * The process died at a fault point (a Lambda timeout or a killed JVM). An {@link Error}, so production code that
 * catches {@code RuntimeException} to carry on with the next item cannot swallow it, exactly as it could not
 * survive a real crash.
 */
public final class SimulatedCrash extends Error {
    /** @param where the fault point */
    public SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
