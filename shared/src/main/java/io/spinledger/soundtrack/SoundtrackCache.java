package io.spinledger.soundtrack;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cache of soundtrack answers with a time to live per entry. Implementations: in memory ({@link #inMemory}, for
 * tests and one warm function) and the durable CACHE table ({@link DynamoSoundtrackCache}).
 */
public interface SoundtrackCache {
    /** The live entry for a key, or empty when absent or expired. */
    Optional<Soundtrack> get(String key);

    /** Stores an entry that expires after {@code ttl}. */
    void put(String key, Soundtrack soundtrack, Duration ttl);

    /** A cache in this JVM's memory, expiring on the system clock. */
    static SoundtrackCache inMemory() {
        record Entry(Soundtrack soundtrack, Instant expiresAt) {
        }
        Map<String, Entry> entries = new ConcurrentHashMap<>();
        return new SoundtrackCache() {
            @Override
            public Optional<Soundtrack> get(String key) {
                return Optional.ofNullable(entries.get(key)).filter(e -> e.expiresAt().isAfter(Instant.now()))
                        .map(Entry::soundtrack);
            }

            @Override
            public void put(String key, Soundtrack soundtrack, Duration ttl) {
                entries.put(key, new Entry(soundtrack, Instant.now().plus(ttl)));
            }
        };
    }
}
