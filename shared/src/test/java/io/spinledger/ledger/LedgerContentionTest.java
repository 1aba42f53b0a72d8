package io.spinledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.TableName;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.ports.Condition;
import io.spinledger.ports.Contention;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.Item;
import io.spinledger.ports.Page;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A commit that conflicts with a concurrent transaction is retried through {@link Contention}. */
class LedgerContentionTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aConflictingCommitIsRetriedWithTheInjectedWaitsAndPostsOnce() {
        ConflictingStore store = new ConflictingStore(3);
        List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        Ledger ledger = new Ledger(store, new Contention(2, 50, d -> waits.add(d.toMillis()), new SplittableRandom(11)));

        Ledger.PostResult r = ledger.post(tx("k-conflict"));

        assertThat(r.status()).isEqualTo(Ledger.PostStatus.POSTED);
        assertThat(store.transacts).hasValue(4);
        assertThat(waits).hasSize(3).allSatisfy(w -> assertThat(w).isBetween(1L, 8L));
        assertThat(ledger.transaction("k-conflict")).contains(tx("k-conflict"));
        assertThat(ledger.balances().stream().mapToLong(Ledger.Balance::amountMinor).sum()).isZero();
    }

    @Test
    void aCommitThatKeepsConflictingGivesUpAfterTenAttemptsWritingNothing() {
        ConflictingStore store = new ConflictingStore(Integer.MAX_VALUE);
        Ledger ledger = new Ledger(store, Contention.noWaits());

        assertThatThrownBy(() -> ledger.post(tx("k-busy"))).isInstanceOf(TransactionCancelledException.class);
        assertThat(store.transacts).hasValue(10);
        assertThat(ledger.transaction("k-busy")).isEmpty();
    }

    private static LedgerTransaction tx(String key) {
        return new LedgerTransaction(Ledger.transactionId(key), key, "p-1", "s1", "v1", T0, "test",
                List.of(new LedgerEntry("station:s1", 100, "GHS", "charge"),
                        new LedgerEntry("society:348", -100, "GHS", "share")),
                List.of("d1"), List.of("c1"), LedgerTransaction.Kind.POSTING, null);
    }

    /** The in-memory store, whose first {@code conflicts} transactions are cancelled as conflicting. */
    private static final class ConflictingStore implements TableStore {
        private final InMemoryTableStore inner = new InMemoryTableStore();
        private final int conflicts;
        final AtomicInteger transacts = new AtomicInteger();

        ConflictingStore(int conflicts) {
            this.conflicts = conflicts;
        }

        @Override
        public void transact(List<? extends Write> writes) {
            if (transacts.incrementAndGet() <= conflicts) {
                List<TransactionCancelledException.Reason> reasons = new ArrayList<>(Collections.nCopies(
                        writes.size(), TransactionCancelledException.Reason.NONE));
                reasons.set(writes.size() - 1, TransactionCancelledException.Reason.CONFLICT);
                throw new TransactionCancelledException(reasons);
            }
            inner.transact(writes);
        }

        @Override
        public Optional<Item> get(TableName table, String pk, String sk) {
            return inner.get(table, pk, sk);
        }

        @Override
        public void write(Write write) {
            inner.write(write);
        }

        @Override
        public Item update(Write.Update update) {
            return inner.update(update);
        }

        @Override
        public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter,
                          int limit) {
            return inner.query(table, pk, range, filter, startAfter, limit);
        }

        @Override
        public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
            return inner.scan(table, filter, startAfter, limit);
        }
    }
}
