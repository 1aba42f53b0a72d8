package io.spinledger.stats;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Usage counters of this process, for the cost model ({@code spinledger cost}): what the deployment would be
 * billed for, counted where it happens. Unlike {@link Counters} (shared, stored in a table, counted once per
 * event) these are per process, in memory, cheap enough for every request, and never deduplicated: a retried
 * request is billed twice, so it counts twice.
 *
 * <p>Names (amounts are counts unless the suffix says a unit):
 * <ul>
 *   <li>{@code function.<definition>.invocations}, {@code .wallMs}, {@code .cpuMs}: a function's invocations,
 *       handler wall time (each invocation rounded up to the next ms, as Lambda bills it) and the invoking
 *       thread's CPU time (ms), counted by {@link #invoke}</li>
 *   <li>{@code function.<definition>.<counter>}: any counter below added while that function ran on this thread
 *       ({@link #addInScope}), e.g. {@code function.playPosting.aws.dynamodb.Query}: the cost model tells apart
 *       what scales with stations, with the schedule or with API use; {@code function.captureWorker.<counter>}:
 *       the same for the capture workers' own loop (heartbeats, assignment scans; {@link #attribute}), billed per
 *       capture task</li>
 *   <li>{@code capture.streamMs}: stream time held by capture workers (ms, summed over streams: one station held
 *       for a minute is 60,000; added every heartbeat); {@code capture.cpuMs}: the stream threads' CPU time (decode,
 *       fingerprints, matching at the edge, evidence encoding, uploads); {@code capture.workerMs}: worker wall time;
 *       {@code capture.claims}: stations a worker took; {@code capture.unmonitoredChecks}: stations the watchdog
 *       found held by no worker; {@code evidence.bytes}: evidence segments written (bytes). The cost model sizes
 *       the capture tasks from these</li>
 *   <li>{@code aws.<service>.<operation>}: requests made to an AWS API, every attempt (e.g.
 *       {@code aws.s3.PutObject}, {@code aws.sqs.ReceiveMessage}, {@code aws.dynamodb.PutItem});
 *       {@code aws.s3.PutObject.bytes}: bytes uploaded; {@code aws.s3.GetObject.bytes}: bytes downloaded;
 *       {@code aws.sqs.ReceiveMessage.empty}: receives that returned no message (idle long polls);
 *       {@code aws.sqs.ReceiveMessage.messages}: messages received; {@code aws.sqs.<op>Batch.entries}: entries
 *       of batch requests; {@code aws.sqs.SendMessage.bytes}: message bodies sent (single and batch);
 *       {@code aws.dynamodb.wru.milli} / {@code aws.dynamodb.rru.milli}: write and read request units in
 *       thousandths (so an eventually consistent read's half unit counts exactly), from the consumed capacity
 *       DynamoDB returns</li>
 *   <li>{@code acrcloud.requests}: identify requests sent to ACRCloud (each attempt: ACRCloud bills them);
 *       {@code acrcloud.notConfigured}: chunks that reached the fallback (or identify calls made) while ACRCloud
 *       had no credentials: at most the requests a configured deployment would send (the music gate and the
 *       budgets are not applied then)</li>
 *   <li>{@code log.bytes}, {@code log.events}: log output written (bytes as encoded) and lines</li>
 * </ul>
 * Thread-safe.
 */
public final class Metering {
    private static final Map<String, LongAdder> COUNTERS = new ConcurrentHashMap<>();
    private static final ThreadLocal<String> FUNCTION = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> OFF = new ThreadLocal<>();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Metering() {
    }

    /**
     * Adds {@code amount} to a counter (created at 0).
     *
     * @param counter the counter's name (see the class comment)
     * @param amount  what to add (a count, or the unit the name's suffix gives)
     */
    public static void add(String counter, long amount) {
        if (OFF.get() != null) {
            return;
        }
        COUNTERS.computeIfAbsent(counter, k -> new LongAdder()).add(amount);
    }

    /** Adds one to a counter. */
    public static void increment(String counter) {
        add(counter, 1);
    }

    /**
     * Adds to a counter and, when a function runs on this thread ({@link #invoke}), to the same counter under
     * {@code function.<definition>.}.
     *
     * @param counter the counter's name (see the class comment)
     * @param amount  what to add
     */
    public static void addInScope(String counter, long amount) {
        add(counter, amount);
        String f = FUNCTION.get();
        if (f != null) {
            add("function." + f + "." + counter, amount);
        }
    }

    /** The function definition running on this thread (set by {@link #invoke}), or null. */
    public static String currentFunction() {
        return FUNCTION.get();
    }

    /**
     * Runs one invocation of a function and meters it: {@code function.<definition>.invocations}, {@code .wallMs}
     * (rounded up to the ms) and {@code .cpuMs} (this thread's CPU time), and attributes what
     * {@link #addInScope} counts meanwhile to the function. Exceptions pass through (the invocation still counts).
     *
     * @param definition the function's definition name
     * @param call       the invocation
     * @return what {@code call} returns
     */
    public static <T> T invoke(String definition, Supplier<T> call) {
        String outer = FUNCTION.get();
        FUNCTION.set(definition);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            long wallNs = System.nanoTime() - t0;
            long cpuNs = cpuNanos() - cpu0;
            if (outer == null) {
                FUNCTION.remove();
            } else {
                FUNCTION.set(outer);
            }
            String p = "function." + definition + ".";
            add(p + "invocations", 1);
            add(p + "wallMs", (wallNs + 999_999) / 1_000_000);
            add(p + "cpuMs", Math.round(cpuNs / 1e6));
        }
    }

    /**
     * Runs {@code body} with what {@link #addInScope} counts on this thread attributed to {@code owner}, as under
     * {@code function.<owner>.}, without counting an invocation: a long-running loop that is not a function, such as
     * a capture worker's heartbeats and assignment scans ({@code captureWorker}).
     *
     * @param owner the name counters are attributed to
     * @param body  what to run
     */
    public static void attribute(String owner, Runnable body) {
        String outer = FUNCTION.get();
        FUNCTION.set(owner);
        try {
            body.run();
        } finally {
            if (outer == null) {
                FUNCTION.remove();
            } else {
                FUNCTION.set(outer);
            }
        }
    }

    /**
     * Runs {@code call} with metering off on this thread (the metering report's own listing must not count as
     * usage).
     */
    public static <T> T unmetered(Supplier<T> call) {
        Boolean outer = OFF.get();
        OFF.set(Boolean.TRUE);
        try {
            return call.get();
        } finally {
            if (outer == null) {
                OFF.remove();
            }
        }
    }

    /** This thread's CPU time in ns (0 when the JVM cannot tell). */
    public static long cpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
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
