package io.spinledger.soundtrack;

import io.spinledger.config.TableName;
import io.spinledger.ports.ExpiringDocuments;
import io.spinledger.ports.TableStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The durable {@link SoundtrackCache}: table {@link TableName#CACHE}, pk {@value #PK}, sk the cache key, expiring
 * through {@link ExpiringDocuments}.
 */
public final class DynamoSoundtrackCache implements SoundtrackCache {
    /** Partition of soundtrack entries in the CACHE table. */
    public static final String PK = "soundtrack";
    private final ExpiringDocuments<Soundtrack> entries;

    /**
     * @param store  the tables
     * @param clock  time source for expiry
     */
    public DynamoSoundtrackCache(TableStore store, Clock clock) {
        this.entries = new ExpiringDocuments<>(store, PK, Soundtrack.class, clock);
    }

    @Override
    public Optional<Soundtrack> get(String key) {
        return entries.get(key);
    }

    @Override
    public void put(String key, Soundtrack soundtrack, Duration ttl) {
        entries.put(key, soundtrack, ttl);
    }
}
