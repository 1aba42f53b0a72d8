package io.spinledger.stats;

import io.spinledger.config.TableName;
import io.spinledger.storage.DynamoSupport;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

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
    private final DynamoDbClient dynamo;
    private final String table = TableName.CACHE.tableName();
    private final Clock clock;

    /**
     * @param dynamo DynamoDB
     * @param clock  time source for marker expiry
     */
    public Counters(DynamoDbClient dynamo, Clock clock) {
        this.dynamo = dynamo;
        this.clock = clock;
    }

    /** Adds {@code delta} to a counter. */
    public void add(String counter, long delta) {
        dynamo.updateItem(r -> r.tableName(table).key(key(PK, counter)).updateExpression("ADD n :d")
                .expressionAttributeValues(Map.of(":d", DynamoSupport.n(delta))));
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
        try {
            dynamo.putItem(r -> r.tableName(table).item(Map.of(TableName.PK, AttributeValue.fromS(SEEN_PK),
                            TableName.SK, AttributeValue.fromS(counter + "#" + eventKey),
                            TableName.EXPIRES_AT, DynamoSupport.n(expires)))
                    .conditionExpression("attribute_not_exists(" + TableName.PK + ")"));
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
        increment(counter);
        return true;
    }

    /** One counter's value (0 when never incremented). */
    public long get(String counter) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(PK, counter))).item();
        return item == null ? 0 : DynamoSupport.num(item, "n", 0);
    }

    /** Every counter, by name. */
    public Map<String, Long> all() {
        Map<String, Long> out = new TreeMap<>();
        DynamoSupport.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", TableName.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK))).build())
                .forEach(i -> out.put(DynamoSupport.str(i, TableName.SK), DynamoSupport.num(i, "n", 0)));
        return out;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, AttributeValue.fromS(pk), TableName.SK, AttributeValue.fromS(sk));
    }
}
