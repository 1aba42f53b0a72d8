package io.spinledger.ports;

/**
 * Which sort keys of one partition a query reads: all, those between two bounds (inclusive, as DynamoDB's
 * {@code BETWEEN}), or those beginning with a prefix.
 */
public sealed interface SkRange {
    /** Every sort key. */
    static SkRange all() {
        return new All();
    }

    /** Sort keys in {@code [from, to]}. */
    static SkRange between(String from, String to) {
        return new Between(from, to);
    }

    /** Sort keys starting with {@code prefix}. */
    static SkRange beginsWith(String prefix) {
        return new BeginsWith(prefix);
    }

    /** Whether a sort key is in the range. */
    boolean contains(String sk);

    /** All sort keys. */
    record All() implements SkRange {
        @Override
        public boolean contains(String sk) {
            return true;
        }
    }

    /** Inclusive bounds. */
    record Between(String from, String to) implements SkRange {
        @Override
        public boolean contains(String sk) {
            return sk.compareTo(from) >= 0 && sk.compareTo(to) <= 0;
        }
    }

    /** A prefix. */
    record BeginsWith(String prefix) implements SkRange {
        @Override
        public boolean contains(String sk) {
            return sk.startsWith(prefix);
        }
    }
}
