package io.spinledger.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spinledger.config.TableName;
import io.spinledger.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Documents with a time to live in one partition of the {@link TableName#CACHE} table: the table's TTL
 * attribute is set to the expiry, and expired entries are ignored on read even before DynamoDB's TTL sweeper
 * removes them. The one mechanism behind the durable caches (enrichment, soundtracks).
 *
 * @param <T> the cached value type (Jackson-serialisable)
 */
public final class ExpiringDocuments<T> {
    private final DocumentTable table;
    private final String partition;
    private final Class<T> type;
    private final Clock clock;

    /**
     * @param store     the tables
     * @param partition the pk all entries share (e.g. {@code isrc})
     * @param type      value type
     * @param clock     time source for expiry
     */
    public ExpiringDocuments(TableStore store, String partition, Class<T> type, Clock clock) {
        this.table = new DocumentTable(store, TableName.CACHE);
        this.partition = partition;
        this.type = type;
        this.clock = clock;
    }

    /** The live entry for a key, or empty when absent or expired. */
    public Optional<T> get(String key) {
        return table.getJson(partition, key).flatMap(json -> {
            try {
                JsonNode node = Json.MAPPER.readTree(json);
                Instant expires = Instant.parse(node.path("expiresAt").asText());
                if (!expires.isAfter(clock.instant())) {
                    return Optional.empty();
                }
                return Optional.of(Json.MAPPER.treeToValue(node.get("value"), type));
            } catch (java.io.IOException | RuntimeException unreadable) {
                return Optional.empty(); // an entry we cannot read is a miss, never an error
            }
        });
    }

    /** Stores a value for a key that expires after {@code ttl}. */
    public void put(String key, T value, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("expiresAt", expires.toString());
        doc.set("value", Json.MAPPER.valueToTree(value));
        table.put(partition, key, doc.toString(), expires.getEpochSecond());
    }
}
