package io.spinledger.ports;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A condition on one item, as DynamoDB condition and filter expressions state it: a write with a condition
 * happens only when the condition holds for the item as stored (absent item = every attribute missing), and a
 * query or scan filter keeps only the items it holds for. Comparisons with a missing attribute are false, as in
 * DynamoDB. Numbers compare as numbers, strings by code point (UTF-16 here; the store keys are ASCII).
 */
public sealed interface Condition {
    /** Holds always (an unconditional write; no filter). */
    Condition ALWAYS = new Always();

    /** Holds when no item exists under the key ({@code attribute_not_exists(pk)}). */
    static Condition itemAbsent() {
        return new NotExists("pk");
    }

    /** Holds when an item exists under the key. */
    static Condition itemExists() {
        return new Exists("pk");
    }

    /** {@code attribute_exists(name)}. */
    static Condition exists(String name) {
        return new Exists(name);
    }

    /** {@code attribute_not_exists(name)}. */
    static Condition notExists(String name) {
        return new NotExists(name);
    }

    /** {@code name = value} (value String or Long). */
    static Condition eq(String name, Object value) {
        return new Compare(name, Op.EQ, normalise(value));
    }

    /** {@code name < value}. */
    static Condition lt(String name, Object value) {
        return new Compare(name, Op.LT, normalise(value));
    }

    /** {@code begins_with(name, prefix)}. */
    static Condition beginsWith(String name, String prefix) {
        return new BeginsWith(name, prefix);
    }

    /** {@code name IN (values...)}. */
    static Condition in(String name, List<?> values) {
        return new Or(values.stream().map(v -> (Condition) eq(name, v)).toList());
    }

    /** Every part holds. */
    static Condition and(Condition... parts) {
        return new And(List.of(parts));
    }

    /** At least one part holds. */
    static Condition or(Condition... parts) {
        return new Or(List.of(parts));
    }

    /**
     * Evaluates the condition against a stored item.
     *
     * @param item the item as stored, or null when there is none
     * @return whether the condition holds
     */
    boolean test(Item item);

    /** The attribute names the condition reads (a query filter may not read the key attributes pk and sk). */
    default Set<String> names() {
        Set<String> out = new TreeSet<>();
        switch (this) {
            case Always a -> { }
            case Exists e -> out.add(e.name());
            case NotExists e -> out.add(e.name());
            case Compare c -> out.add(c.name());
            case BeginsWith b -> out.add(b.name());
            case And a -> a.parts().forEach(p -> out.addAll(p.names()));
            case Or o -> o.parts().forEach(p -> out.addAll(p.names()));
        }
        return out;
    }

    private static Object normalise(Object v) {
        Objects.requireNonNull(v, "condition value");
        if (v instanceof Integer i) {
            return Long.valueOf(i);
        }
        if (!(v instanceof String) && !(v instanceof Long)) {
            throw new IllegalArgumentException("condition value must be String or Long: " + v);
        }
        return v;
    }

    /** Comparison operators. */
    enum Op { EQ, LT }

    /** Always true. */
    record Always() implements Condition {
        @Override
        public boolean test(Item item) {
            return true;
        }
    }

    /** The attribute is present. */
    record Exists(String name) implements Condition {
        @Override
        public boolean test(Item item) {
            return item != null && item.get(name) != null;
        }
    }

    /** The attribute is absent (or the item is). */
    record NotExists(String name) implements Condition {
        @Override
        public boolean test(Item item) {
            return item == null || item.get(name) == null;
        }
    }

    /** A comparison of an attribute with a value of the same type. */
    record Compare(String name, Op op, Object value) implements Condition {
        @Override
        public boolean test(Item item) {
            Object v = item == null ? null : item.get(name);
            if (v == null || v.getClass() != value.getClass()) {
                return false;
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) v).compareTo(value);
            return op == Op.EQ ? c == 0 : c < 0;
        }
    }

    /** A string attribute starts with a prefix. */
    record BeginsWith(String name, String prefix) implements Condition {
        @Override
        public boolean test(Item item) {
            Object v = item == null ? null : item.get(name);
            return v instanceof String s && s.startsWith(prefix);
        }
    }

    /** Conjunction. */
    record And(List<Condition> parts) implements Condition {
        public And {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(Item item) {
            return parts.stream().allMatch(p -> p.test(item));
        }
    }

    /** Disjunction. */
    record Or(List<Condition> parts) implements Condition {
        public Or {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(Item item) {
            return parts.stream().anyMatch(p -> p.test(item));
        }
    }
}
