package io.spinledger.stats;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Increments of {@link Counters} gathered in memory and written as one atomic add per counter at each
 * {@link #flush} (a capture worker flushes once a minute and when it stops): one write per counter a minute for a
 * whole worker, instead of two per event ({@link Counters#incrementOnce}). For events seen exactly once in this
 * process (a live chunk is matched once, by the worker that cut it), so nothing is deduplicated. A failed flush
 * keeps the counts for the next one. Thread-safe.
 */
public final class BatchedCounts {
    private static final Logger log = LoggerFactory.getLogger(BatchedCounts.class);
    private final Counters counters;
    private final Map<String, LongAdder> pending = new ConcurrentHashMap<>();

    /** @param counters where the sums go */
    public BatchedCounts(Counters counters) {
        this.counters = counters;
    }

    /**
     * Adds one to a counter (written at the next flush).
     *
     * @param counter  the counter's name
     * @param eventKey what is counted (kept for the signature of {@code MatchStage.CountOnce}; not deduplicated)
     */
    public void increment(String counter, String eventKey) {
        pending.computeIfAbsent(counter, k -> new LongAdder()).increment();
    }

    /** Writes every pending sum (one add per counter); a counter whose write fails keeps its sum for the next flush. */
    public void flush() {
        for (Map.Entry<String, LongAdder> e : pending.entrySet()) {
            long n = e.getValue().sumThenReset();
            if (n == 0) {
                continue;
            }
            try {
                counters.add(e.getKey(), n);
            } catch (RuntimeException ex) {
                e.getValue().add(n);
                log.warn("counter {}: could not add {} ({}); kept for the next flush", e.getKey(), n, ex.toString());
            }
        }
    }
}
