package io.spinledger.ports;

import io.spinledger.config.TableName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link TableStore} in memory: one sorted map per table, every call atomic (one lock). Same semantics as the
 * DynamoDB adapter, checked by the shared contract suite; used by the simulator and fast tests. TTL is not
 * applied (DynamoDB deletes expired items lazily, so readers must not rely on it either).
 */
public final class InMemoryTableStore implements TableStore {
    private final Map<TableName, NavigableMap<Item.Key, Item>> tables = new EnumMap<>(TableName.class);

    /** An empty store holding every table. */
    public InMemoryTableStore() {
        for (TableName t : TableName.values()) {
            tables.put(t, new TreeMap<>());
        }
    }

    @Override
    public synchronized Optional<Item> get(TableName table, String pk, String sk) {
        return Optional.ofNullable(tables.get(table).get(new Item.Key(pk, sk)));
    }

    @Override
    public synchronized void write(Write write) {
        Item stored = tables.get(write.table()).get(write.key());
        if (!write.condition().test(stored)) {
            throw new ConditionFailedException("condition failed on " + write.table() + " " + write.key());
        }
        apply(write, stored);
    }

    @Override
    public synchronized Item update(Write.Update update) {
        write(update);
        return tables.get(update.table()).get(update.key());
    }

    @Override
    public synchronized void transact(List<? extends Write> writes) {
        TableStore.checkTransaction(writes);
        List<TransactionCancelledException.Reason> reasons = new ArrayList<>();
        boolean failed = false;
        for (Write w : writes) {
            boolean ok = w.condition().test(tables.get(w.table()).get(w.key()));
            reasons.add(ok ? TransactionCancelledException.Reason.NONE
                    : TransactionCancelledException.Reason.CONDITION_FAILED);
            failed |= !ok;
        }
        if (failed) {
            throw new TransactionCancelledException(reasons);
        }
        List<Item> after = new ArrayList<>(); // computed first: an invalid update writes nothing
        for (Write w : writes) {
            after.add(after(w, tables.get(w.table()).get(w.key())));
        }
        for (int i = 0; i < writes.size(); i++) {
            store(writes.get(i), after.get(i));
        }
    }

    private void apply(Write w, Item stored) {
        store(w, after(w, stored));
    }

    /** The item a write leaves under its key, or null when it deletes. */
    private static Item after(Write w, Item stored) {
        return switch (w) {
            case Write.Put p -> p.item();
            case Write.Delete d -> null;
            case Write.Update u -> u.applyTo(stored);
        };
    }

    private void store(Write w, Item item) {
        if (item == null) {
            tables.get(w.table()).remove(w.key());
        } else {
            tables.get(w.table()).put(w.key(), item);
        }
    }

    @Override
    public synchronized Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter,
                                   int limit) {
        checkLimit(limit);
        checkQuery(range, filter);
        NavigableMap<Item.Key, Item> part = tables.get(table).subMap(new Item.Key(pk, ""), true,
                new Item.Key(pk + "\u0000", ""), false);
        if (startAfter != null) {
            part = part.tailMap(startAfter, false);
        }
        return page(part.values().stream().filter(i -> range.contains(i.sk())).toList(), filter, limit);
    }

    @Override
    public synchronized Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
        checkLimit(limit);
        NavigableMap<Item.Key, Item> all = tables.get(table);
        if (startAfter != null) {
            all = all.tailMap(startAfter, false);
        }
        return page(List.copyOf(all.values()), filter, limit);
    }

    /**
     * Reads up to {@code limit} candidates, then filters. As DynamoDB does, a page that read exactly
     * {@code limit} items has a next page even when no candidate is left (that page is then empty, without next).
     */
    private static Page page(List<Item> candidates, Condition filter, int limit) {
        List<Item> read = candidates.size() > limit ? candidates.subList(0, limit) : candidates;
        List<Item> kept = read.stream().filter(filter::test).toList();
        Optional<Item.Key> next = read.size() == limit ? Optional.of(read.get(read.size() - 1).key())
                : Optional.empty();
        return new Page(kept, next);
    }

    /** What DynamoDB rejects in a query: an inverted BETWEEN, a filter on a key attribute. */
    private static void checkQuery(SkRange range, Condition filter) {
        if (range instanceof SkRange.Between b && b.from().compareTo(b.to()) > 0) {
            throw new IllegalArgumentException("sort-key range " + b.from() + " .. " + b.to()
                    + " has its lower bound above its upper bound");
        }
        if (filter.names().contains("pk") || filter.names().contains("sk")) {
            throw new IllegalArgumentException("a query filter may not read pk or sk (use the sort-key range): "
                    + filter);
        }
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("page limit must be 1..1000, got " + limit);
        }
    }

    /** Every item of a table, in key order (for the simulator's invariant checks). */
    public synchronized List<Item> dump(TableName table) {
        return List.copyOf(tables.get(table).values());
    }

    /** Number of items over all tables. */
    public synchronized int size() {
        return tables.values().stream().mapToInt(Map::size).sum();
    }
}
