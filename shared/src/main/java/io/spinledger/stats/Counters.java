package io.spinledger.stats;

import io.spinledger.config.TableName;
import io.spinledger.ports.Item;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.Write;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operational counters shared by all function instances, for {@code GET /stats}: table {@link TableName#CACHE},
 * pk {@code stats}, sk the counter name, numeric attribute {@code n} incremented atomically. Delivery is
 * at-least-once, so {@link #incrementOnce} counts an event only the first time its key is seen (a marker item
 * kept 14 days). Counter names are the constants below.
 */
public final class Counters {
    /** Chunks the local index matched. */
    public static final String CHUNKS_MATCHED = "chunks.matched";
    /** Chunks the local index did not match (sent to the fallback). */
    public static final String CHUNKS_UNMATCHED = "chunks.unmatched";
    /** Detections by source: prefix + LOCAL / ACRCLOUD. */
    public static final String DETECTIONS_PREFIX = "detections.";
    /** Fallback chunks the gate kept from ACRCloud: prefix + SPEECH / SILENCE. */
    public static final String GATED_PREFIX = "fallback.gated.";
    /** Fallback chunks refused by a budget. */
    public static final String BUDGET_REFUSED = "fallback.budgetRefused";
    /** ACRCloud identify calls made. */
    public static final String ACR_CALLS = "acrcloud.calls";
    /** ACRCloud calls that named a track. */
    public static final String ACR_MATCHES = "acrcloud.matches";
    /** Chunks matched locally against a learned reference: ACRCloud calls saved. */
    public static final String ACR_SAVED = "acrcloud.savedByLearning";
    /** Enrichment look-ups served by the cache. */
    public static final String CACHE_HITS = "enrichment.cacheHits";
    /** Enrichment look-ups that missed the cache. */
    public static final String CACHE_MISSES = "enrichment.cacheMisses";

    private static final String PK = "stats";
    private static final String SEEN_PK = "stats-seen";
    private final TableStore store;
    private final TableName table = TableName.CACHE;
    private final Clock clock;

    /**
     * @param store  the tables
     * @param clock  time source for marker expiry
     */
    public Counters(TableStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Adds {@code delta} to a counter. */
    public void add(String counter, long delta) {
        store.write(Write.update(table, PK, counter).add("n", delta));
    }

    /** Adds one to a counter. */
    public void increment(String counter) {
        add(counter, 1);
    }

    /**
     * Adds one to a counter unless this event key was already counted for it.
     *
     * @return true when counted now
     */
    public boolean incrementOnce(String counter, String eventKey) {
        long expires = clock.instant().plus(14, ChronoUnit.DAYS).getEpochSecond();
        if (!store.putIfAbsent(table, Item.of(SEEN_PK, counter + "#" + eventKey).with(Item.EXPIRES_AT, expires))) {
            return false;
        }
        increment(counter);
        return true;
    }

    /** One counter's value (0 when never incremented). */
    public long get(String counter) {
        return store.get(table, PK, counter).map(i -> i.num("n", 0)).orElse(0L);
    }

    /** Every counter, by name. */
    public Map<String, Long> all() {
        Map<String, Long> out = new TreeMap<>();
        store.queryAll(table, PK, SkRange.all()).forEach(i -> out.put(i.sk(), i.num("n", 0)));
        return out;
    }
}
