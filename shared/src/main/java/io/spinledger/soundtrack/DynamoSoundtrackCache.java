package io.spinledger.soundtrack;

import io.spinledger.config.TableName;
import io.spinledger.storage.DocumentTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The durable {@link SoundtrackCache}: table {@link TableName#CACHE}, pk {@value #PK}, sk the cache key, with the
 * table's TTL attribute set to the expiry; expired entries are ignored on read before DynamoDB removes them.
 */
public final class DynamoSoundtrackCache implements SoundtrackCache {
    /** Partition of soundtrack entries in the CACHE table. */
    public static final String PK = "soundtrack";
    private final DocumentTable table;
    private final Clock clock;

    /**
     * @param dynamo client
     * @param clock  time source for expiry
     */
    public DynamoSoundtrackCache(DynamoDbClient dynamo, Clock clock) {
        this.table = new DocumentTable(dynamo, TableName.CACHE);
        this.clock = clock;
    }

    private record Entry(Soundtrack soundtrack, Instant expiresAt) {
    }

    @Override
    public Optional<Soundtrack> get(String key) {
        return table.get(PK, key, Entry.class).filter(e -> e.expiresAt().isAfter(clock.instant()))
                .map(Entry::soundtrack);
    }

    @Override
    public void put(String key, Soundtrack soundtrack, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        table.put(PK, key, new Entry(soundtrack, expires), expires.getEpochSecond());
    }
}
