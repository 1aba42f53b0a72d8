package io.spinledger.stage.enrich;

import io.spinledger.domain.Recording;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link EnrichmentCache} in a map, with expiry by a clock. Thread-safe; unbounded. */
public final class InMemoryEnrichmentCache implements EnrichmentCache {
    private record Entry(Recording recording, Instant expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    /** A cache on the system clock. */
    public InMemoryEnrichmentCache() {
        this(Clock.systemUTC());
    }

    /** A cache whose expiry follows {@code clock}. */
    public InMemoryEnrichmentCache(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<Recording> get(String isrc) {
        Entry e = entries.get(isrc);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            entries.remove(isrc, e);
            return Optional.empty();
        }
        return Optional.of(e.recording());
    }

    @Override
    public void put(String isrc, Recording recording, Duration ttl) {
        entries.put(isrc, new Entry(recording, clock.instant().plus(ttl)));
    }

    /** How many entries are stored (expired ones included until read). */
    public int size() {
        return entries.size();
    }
}
