package io.spinledger.isrc;

import io.spinledger.config.TableName;
import io.spinledger.domain.Recording;
import io.spinledger.storage.DocumentTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The durable {@link EnrichmentCache}: table {@link TableName#CACHE}, pk {@code isrc}, sk the ISRC, with the
 * table's TTL attribute set to the expiry. Expired entries are ignored on read even before DynamoDB's TTL
 * sweeper removes them.
 */
public final class DynamoEnrichmentCache implements EnrichmentCache {
    private static final String PK = "isrc";
    private final DocumentTable table;
    private final Clock clock;

    /**
     * @param dynamo client
     * @param clock  time source for expiry
     */
    public DynamoEnrichmentCache(DynamoDbClient dynamo, Clock clock) {
        this.table = new DocumentTable(dynamo, TableName.CACHE);
        this.clock = clock;
    }

    private record Entry(Recording recording, Instant expiresAt) {
    }

    @Override
    public Optional<Recording> get(String isrc) {
        return table.get(PK, isrc, Entry.class).filter(e -> e.expiresAt().isAfter(clock.instant()))
                .map(Entry::recording);
    }

    @Override
    public void put(String isrc, Recording recording, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        table.put(PK, isrc, new Entry(recording, expires), expires.getEpochSecond());
    }
}
