package io.spinledger.storage;

import io.spinledger.config.TableName;
import io.spinledger.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A DynamoDB table of JSON documents keyed by {@code pk} + {@code sk} (see {@link TableName}). Small and
 * explicit: put (optionally only-if-absent), get, query a partition by sort-key range, scan by sort key.
 */
public final class DocumentTable {
    private final DynamoDbClient dynamo;
    private final String table;

    /**
     * @param dynamo client
     * @param table  which table
     */
    public DocumentTable(DynamoDbClient dynamo, TableName table) {
        this.dynamo = dynamo;
        this.table = table.tableName();
    }

    /** Writes a document, replacing any previous one. */
    public void put(String pk, String sk, Object doc) {
        dynamo.putItem(r -> r.tableName(table).item(item(pk, sk, doc, null)));
    }

    /** Writes a document that expires (TTL) at the given epoch second. */
    public void put(String pk, String sk, Object doc, long expiresAtEpochSecond) {
        dynamo.putItem(r -> r.tableName(table).item(item(pk, sk, doc, expiresAtEpochSecond)));
    }

    /**
     * Writes a document only if no item with that key exists.
     *
     * @return true when written, false when an item was already there
     */
    public boolean putIfAbsent(String pk, String sk, Object doc) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(pk, sk, doc, null))
                    .conditionExpression("attribute_not_exists(" + TableName.PK + ")"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /**
     * Replaces a document only if its stored JSON still equals {@code expectedJson} (optimistic concurrency);
     * a null {@code expectedJson} means "only if absent".
     *
     * @return true when written
     */
    public boolean replaceIf(String pk, String sk, Object doc, String expectedJson) {
        try {
            if (expectedJson == null) {
                return putIfAbsent(pk, sk, doc);
            }
            dynamo.putItem(r -> r.tableName(table).item(item(pk, sk, doc, null))
                    .conditionExpression("#d = :expected")
                    .expressionAttributeNames(Map.of("#d", TableName.DOC))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expectedJson))));
            return true;
        } catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /** Reads the raw JSON of a document. */
    public Optional<String> getJson(String pk, String sk) {
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(pk, sk))).item();
        if (item == null || !item.containsKey(TableName.DOC)) {
            return Optional.empty();
        }
        return Optional.of(item.get(TableName.DOC).s());
    }

    /** Reads a document. */
    public <T> Optional<T> get(String pk, String sk, Class<T> type) {
        return getJson(pk, sk).map(j -> Json.read(j, type));
    }

    /** Deletes a document; missing is fine. */
    public void delete(String pk, String sk) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(pk, sk)));
    }

    /** All documents of one partition whose sort key is in [skFrom, skTo] (inclusive), in sort-key order. */
    public <T> List<T> query(String pk, String skFrom, String skTo, Class<T> type) {
        List<T> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var req = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#pk", TableName.PK, "#sk", TableName.SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":from", AttributeValue.fromS(skFrom), ":to", AttributeValue.fromS(skTo)))
                    .exclusiveStartKey(start).build();
            QueryResponse resp = dynamo.query(req);
            resp.items().forEach(i -> out.add(Json.read(i.get(TableName.DOC).s(), type)));
            start = resp.hasLastEvaluatedKey() && !resp.lastEvaluatedKey().isEmpty() ? resp.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** All documents whose sort key equals {@code sk}, across partitions (a scan: for small tables). */
    public <T> List<T> scanBySortKey(String sk, Class<T> type) {
        List<T> out = new ArrayList<>();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true).filterExpression("#sk = :sk")
                        .expressionAttributeNames(Map.of("#sk", TableName.SK))
                        .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS(sk))))
                .items().forEach(i -> out.add(Json.read(i.get(TableName.DOC).s(), type)));
        return out;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, AttributeValue.fromS(pk), TableName.SK, AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> item(String pk, String sk, Object doc, Long expiresAt) {
        Map<String, AttributeValue> m = new HashMap<>(key(pk, sk));
        m.put(TableName.DOC, AttributeValue.fromS(doc instanceof String s ? s : Json.write(doc)));
        if (expiresAt != null) {
            m.put(TableName.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        }
        return m;
    }
}
