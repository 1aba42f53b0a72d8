package io.spinledger.stage.enrich;

import io.spinledger.config.TableName;
import io.spinledger.domain.Recording;
import io.spinledger.ports.ExpiringDocuments;
import io.spinledger.ports.TableStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The durable {@link EnrichmentCache}: table {@link TableName#CACHE}, pk {@code isrc}, sk the ISRC, expiring
 * through {@link ExpiringDocuments}.
 */
public final class DynamoEnrichmentCache implements EnrichmentCache {
    private final ExpiringDocuments<Recording> entries;

    /**
     * @param store  the tables
     * @param clock  time source for expiry
     */
    public DynamoEnrichmentCache(TableStore store, Clock clock) {
        this.entries = new ExpiringDocuments<>(store, "isrc", Recording.class, clock);
    }

    @Override
    public Optional<Recording> get(String isrc) {
        return entries.get(isrc);
    }

    @Override
    public void put(String isrc, Recording recording, Duration ttl) {
        entries.put(isrc, recording, ttl);
    }
}
