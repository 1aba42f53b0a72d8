package io.spinledger.sim;

import io.spinledger.config.TableName;
import io.spinledger.ports.Condition;
import io.spinledger.ports.Item;
import io.spinledger.ports.Page;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.Write;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TableStore} whose every write is surrounded by fault points: the process may die just before a write
 * (nothing happened) or just after it (it happened, nobody was told). Reads pass through.
 */
public final class FaultyTableStore implements TableStore {
    private final TableStore delegate;
    private final Faults faults;

    /**
     * @param delegate the real store
     * @param faults   the run's fault points
     */
    public FaultyTableStore(TableStore delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public Optional<Item> get(TableName table, String pk, String sk) {
        return delegate.get(table, pk, sk);
    }

    @Override
    public void write(Write write) {
        faults.point("before " + describe(write));
        delegate.write(write);
        faults.point("after " + describe(write));
    }

    @Override
    public Item update(Write.Update update) {
        faults.point("before " + describe(update));
        Item out = delegate.update(update);
        faults.point("after " + describe(update));
        return out;
    }

    @Override
    public void transact(List<? extends Write> writes) {
        String what = "transaction of " + writes.size() + " starting " + (writes.isEmpty() ? "" : describe(writes.get(0)));
        faults.point("before " + what);
        delegate.transact(writes);
        faults.point("after " + what);
    }

    @Override
    public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter, int limit) {
        return delegate.query(table, pk, range, filter, startAfter, limit);
    }

    @Override
    public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
        return delegate.scan(table, filter, startAfter, limit);
    }

    private static String describe(Write w) {
        return w.getClass().getSimpleName().toLowerCase() + " " + w.table().name() + " " + w.key().pk() + "/"
                + w.key().sk();
    }
}
