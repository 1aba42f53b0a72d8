package io.spinledger.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Usage counters of this process, for the cost model ({@code spinledger cost}): what the deployment would be
 * billed for, counted where it happens. Unlike {@link Counters} (shared, stored in a table, counted once per
 * event) these are per process, in memory, cheap enough for every request, and never deduplicated: a retried
 * request is billed twice, so it counts twice.
 *
 * <p>Names (amounts are counts unless the suffix says a unit):
 * <ul>
 *   <li>{@code function.<definition>.invocations}, {@code .wallMs}, {@code .cpuMs}: a function's invocations,
 *       handler wall time and the invoking thread's CPU time (ms)</li>
 *   <li>{@code capture.streamMs}: stream time held by capture workers (ms); {@code capture.cpuMs}: their CPU
 *       time (decode, fingerprints, matching at the edge, evidence encoding); {@code capture.workerMs}: worker
 *       wall time</li>
 *   <li>{@code aws.<service>.<operation>}: requests made to an AWS API (e.g. {@code aws.s3.PutObject});
 *       {@code aws.s3.PutObject.bytes}: bytes uploaded; {@code aws.dynamodb.wru} / {@code .rru}: write and read
 *       request units</li>
 *   <li>{@code log.bytes}: log output</li>
 * </ul>
 * Thread-safe.
 */
public final class Metering {
    private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();

    private Metering() {
    }

    /**
     * Adds {@code amount} to a counter (created at 0).
     *
     * @param counter the counter's name (see the class comment)
     * @param amount  what to add (a count, or the unit the name's suffix gives)
     */
    public static void add(String counter, long amount) {
        COUNTERS.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
    }

    /** Adds one to a counter. */
    public static void increment(String counter) {
        add(counter, 1);
    }

    /** Every counter's current value, sorted by name. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTERS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** Sets every counter back to 0 (a bench's warm-up). */
    public static void reset() {
        COUNTERS.values().forEach(LongAdder::reset);
    }
}
