package io.spinledger.ports;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One item of a {@link TableStore} table: its partition key, sort key and named attributes. Attribute values
 * are {@link String} or {@link Long} (DynamoDB S and N); the JSON document lives in the attribute
 * {@value #DOC}. Immutable.
 *
 * @param pk         partition key (never blank)
 * @param sk         sort key (never blank)
 * @param attributes other attributes by name, without {@code pk}/{@code sk}
 */
public record Item(String pk, String sk, Map<String, Object> attributes) {
    /** The attribute holding the item's JSON document. */
    public static final String DOC = "doc";
    /** The TTL attribute (number, epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";

    /**
     * @throws IllegalArgumentException when a key is blank or a value is neither String nor Long
     */
    public Item {
        if (pk == null || pk.isEmpty() || sk == null || sk.isEmpty()) {
            throw new IllegalArgumentException("an item needs a non-empty pk and sk, got pk=" + pk + " sk=" + sk);
        }
        TreeMap<String, Object> copy = new TreeMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (v == null) {
                    return;
                }
                if (!(v instanceof String) && !(v instanceof Long)) {
                    throw new IllegalArgumentException("attribute " + k + " must be String or Long, got "
                            + v.getClass().getSimpleName());
                }
                copy.put(k, v);
            });
        }
        attributes = Collections.unmodifiableMap(copy);
    }

    /** An item with no attributes. */
    public static Item of(String pk, String sk) {
        return new Item(pk, sk, Map.of());
    }

    /** An item holding a JSON document. */
    public static Item doc(String pk, String sk, String json) {
        return new Item(pk, sk, Map.of(DOC, json));
    }

    /** This item with one more (or replaced) attribute; a null value removes it. */
    public Item with(String name, Object value) {
        TreeMap<String, Object> next = new TreeMap<>(attributes);
        if (value == null) {
            next.remove(name);
        } else {
            next.put(name, value instanceof Integer i ? Long.valueOf(i) : value);
        }
        return new Item(pk, sk, next);
    }

    /** The key of this item. */
    public Key key() {
        return new Key(pk, sk);
    }

    /** A string attribute, or null when absent. */
    public String str(String name) {
        Object v = get(name);
        return v == null ? null : v.toString();
    }

    /** A numeric attribute, or {@code def} when absent. */
    public long num(String name, long def) {
        Object v = get(name);
        return v instanceof Long l ? l : v == null ? def : Long.parseLong(v.toString());
    }

    /** The JSON document, or null when the item has none. */
    public String doc() {
        return str(DOC);
    }

    /** An attribute by name, including {@code pk} and {@code sk}; null when absent. */
    public Object get(String name) {
        return switch (name) {
            case "pk" -> pk;
            case "sk" -> sk;
            default -> attributes.get(name);
        };
    }

    /**
     * The primary key of an item.
     *
     * @param pk partition key
     * @param sk sort key
     */
    public record Key(String pk, String sk) implements Comparable<Key> {
        public Key {
            Objects.requireNonNull(pk, "pk");
            Objects.requireNonNull(sk, "sk");
        }

        @Override
        public int compareTo(Key o) {
            int c = pk.compareTo(o.pk);
            return c != 0 ? c : sk.compareTo(o.sk);
        }
    }
}
