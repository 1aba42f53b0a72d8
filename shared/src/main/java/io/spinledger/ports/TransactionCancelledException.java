package io.spinledger.ports;

import java.util.List;

/**
 * A {@link TableStore#transact transaction} was cancelled and wrote nothing: one or more conditions failed, or
 * it conflicted with another transaction on the same items.
 */
public class TransactionCancelledException extends RuntimeException {
    /** The reason of each write, in request order. */
    public enum Reason {
        /** This write's condition held (another write failed). */
        NONE,
        /** This write's condition failed. */
        CONDITION_FAILED,
        /** A concurrent transaction touched this item; retry after re-reading. */
        CONFLICT
    }

    private final List<Reason> reasons;

    /**
     * @param reasons one per write, in request order
     */
    public TransactionCancelledException(List<Reason> reasons) {
        super("transaction cancelled: " + reasons);
        this.reasons = List.copyOf(reasons);
    }

    /** The reason of each write, in request order. */
    public List<Reason> reasons() {
        return reasons;
    }

    /** Whether write {@code i} failed its condition. */
    public boolean conditionFailed(int i) {
        return i < reasons.size() && reasons.get(i) == Reason.CONDITION_FAILED;
    }

    /** Worth retrying after re-reading: a condition failed (someone changed an item first) or a conflict. */
    public boolean retryable() {
        return reasons.stream().anyMatch(r -> r != Reason.NONE);
    }
}
