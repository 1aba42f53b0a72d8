package io.spinledger.stage.enrich;

import io.spinledger.domain.Recording;
import java.time.Duration;
import java.util.Optional;

/**
 * ISRC-keyed cache of enrichment results with per-entry time to live. Implementations: in memory (tests, one
 * warm function) and a durable table. A "not found" result is cached as a {@link Recording} whose provenance
 * carries {@link IsrcEnricher#NOT_FOUND_KEY}.
 */
public interface EnrichmentCache {
    /** The live entry for a normalised ISRC, or empty when absent or expired. */
    Optional<Recording> get(String isrc);

    /** Stores an entry for a normalised ISRC that expires after {@code ttl}. */
    void put(String isrc, Recording recording, Duration ttl);
}
