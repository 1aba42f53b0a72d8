package io.spinledger.ports;

import io.spinledger.config.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The port to SpinLedger's tables (see {@link TableName}): strongly consistent reads, conditional writes,
 * all-or-nothing transactions of up to 100 writes, and paged queries and scans with filters. Two
 * implementations pass one contract suite: the DynamoDB adapter ({@code DynamoTableStore}) and the in-memory
 * one ({@code InMemoryTableStore}, for the simulator and fast tests).
 *
 * <p>Errors: {@link ConditionFailedException} (a single write's condition failed),
 * {@link TransactionCancelledException} (a transaction wrote nothing), {@link StoreUnavailableException}
 * (transient: throttled or unreachable).
 */
public interface TableStore {
    /** Most writes one transaction may hold (DynamoDB's limit). */
    int MAX_TRANSACTION_WRITES = 100;

    /** Reads one item (strongly consistent). */
    Optional<Item> get(TableName table, String pk, String sk);

    /**
     * Applies one write when its condition holds.
     *
     * @throws ConditionFailedException when it does not (nothing written)
     */
    void write(Write write);

    /**
     * Applies an update when its condition holds and returns the item as it is afterwards.
     *
     * @throws ConditionFailedException when the condition does not hold
     */
    Item update(Write.Update update);

    /**
     * Applies all writes or none. At most one write per item.
     *
     * @throws TransactionCancelledException when a condition failed or the transaction conflicted
     * @throws IllegalArgumentException      for more than {@link #MAX_TRANSACTION_WRITES} writes or two on one item
     */
    void transact(List<? extends Write> writes);

    /**
     * One page of the items of a partition whose sort key is in {@code range} and that pass {@code filter}, in
     * sort-key order. Like DynamoDB, a page may hold fewer than {@code limit} items (even none) and still have a
     * next page: the limit counts items read before the filter.
     *
     * @param startAfter exclusive start key from the previous page, or null
     * @param limit      most items read for this page (1..1000)
     */
    Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter, int limit);

    /**
     * One page of all items of a table passing {@code filter}, in an order fixed for the table's content.
     *
     * @param startAfter exclusive start key from the previous page, or null
     * @param limit      most items read for this page (1..1000)
     */
    Page scan(TableName table, Condition filter, Item.Key startAfter, int limit);

    /**
     * The rules every implementation applies to a transaction before anything else: at most
     * {@link #MAX_TRANSACTION_WRITES} writes, at most one per item (DynamoDB's rules).
     *
     * @throws IllegalArgumentException when a rule is broken
     */
    static void checkTransaction(List<? extends Write> writes) {
        if (writes.size() > MAX_TRANSACTION_WRITES) {
            throw new IllegalArgumentException("a transaction holds at most " + MAX_TRANSACTION_WRITES + " writes, got "
                    + writes.size());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Write w : writes) {
            if (!seen.add(w.table() + "\n" + w.key().pk() + "\n" + w.key().sk())) {
                throw new IllegalArgumentException("a transaction may write an item once: " + w.key());
            }
        }
    }

    /** Every item of a query, following pages. */
    default List<Item> queryAll(TableName table, String pk, SkRange range, Condition filter) {
        List<Item> out = new ArrayList<>();
        Item.Key start = null;
        do {
            Page p = query(table, pk, range, filter, start, 1000);
            out.addAll(p.items());
            start = p.next().orElse(null);
        } while (start != null);
        return out;
    }

    /** Every item of a partition in a range, following pages. */
    default List<Item> queryAll(TableName table, String pk, SkRange range) {
        return queryAll(table, pk, range, Condition.ALWAYS);
    }

    /** Every item of a scan, following pages. */
    default List<Item> scanAll(TableName table, Condition filter) {
        List<Item> out = new ArrayList<>();
        Item.Key start = null;
        do {
            Page p = scan(table, filter, start, 1000);
            out.addAll(p.items());
            start = p.next().orElse(null);
        } while (start != null);
        return out;
    }

    /**
     * Puts an item when no item exists under its key.
     *
     * @return true when written, false when one was there
     */
    default boolean putIfAbsent(TableName table, Item item) {
        try {
            write(Write.put(table, item, Condition.itemAbsent()));
            return true;
        } catch (ConditionFailedException exists) {
            return false;
        }
    }
}
