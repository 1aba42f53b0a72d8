package io.spinledger.ports;

import io.spinledger.config.TableName;
import io.spinledger.json.Json;
import java.util.List;
import java.util.Optional;

/**
 * A table of JSON documents keyed by {@code pk} + {@code sk} (see {@link TableName}), on a {@link TableStore}. Small and
 * explicit: put (optionally only-if-absent), get, query a partition by sort-key range, scan by sort key.
 */
public final class DocumentTable {
    private final TableStore store;
    private final TableName table;

    /**
     * @param store the tables
     * @param table which table
     */
    public DocumentTable(TableStore store, TableName table) {
        this.store = store;
        this.table = table;
    }

    /** Writes a document, replacing any previous one. */
    public void put(String pk, String sk, Object doc) {
        store.write(Write.put(table, item(pk, sk, doc, null)));
    }

    /** Writes a document that expires (TTL) at the given epoch second. */
    public void put(String pk, String sk, Object doc, long expiresAtEpochSecond) {
        store.write(Write.put(table, item(pk, sk, doc, expiresAtEpochSecond)));
    }

    /**
     * Writes a document only if no item with that key exists.
     *
     * @return true when written, false when an item was already there
     */
    public boolean putIfAbsent(String pk, String sk, Object doc) {
        return store.putIfAbsent(table, item(pk, sk, doc, null));
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
            store.write(Write.put(table, item(pk, sk, doc, null), Condition.eq(TableName.DOC, expectedJson)));
            return true;
        } catch (ConditionFailedException changed) {
            return false;
        }
    }

    /** Reads the raw JSON of a document. */
    public Optional<String> getJson(String pk, String sk) {
        return store.get(table, pk, sk).map(Item::doc);
    }

    /** Reads a document. */
    public <T> Optional<T> get(String pk, String sk, Class<T> type) {
        return getJson(pk, sk).map(j -> Json.read(j, type));
    }

    /** Deletes a document; missing is fine. */
    public void delete(String pk, String sk) {
        store.write(Write.delete(table, pk, sk, Condition.ALWAYS));
    }

    /** All documents of one partition whose sort key is in [skFrom, skTo] (inclusive), in sort-key order. */
    public <T> List<T> query(String pk, String skFrom, String skTo, Class<T> type) {
        return store.queryAll(table, pk, SkRange.between(skFrom, skTo)).stream()
                .map(i -> Json.read(i.doc(), type)).toList();
    }

    /** All documents whose sort key equals {@code sk}, across partitions (a scan: for small tables). */
    public <T> List<T> scanBySortKey(String sk, Class<T> type) {
        return store.scanAll(table, Condition.eq(TableName.SK, sk)).stream()
                .map(i -> Json.read(i.doc(), type)).toList();
    }

    private static Item item(String pk, String sk, Object doc, Long expiresAt) {
        Item item = Item.doc(pk, sk, doc instanceof String s ? s : Json.write(doc));
        return expiresAt == null ? item : item.with(TableName.EXPIRES_AT, expiresAt);
    }
}
