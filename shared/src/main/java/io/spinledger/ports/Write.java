package io.spinledger.ports;

import io.spinledger.config.TableName;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One conditional write to a table: put a whole item, delete an item, or update some attributes of one
 * (set values, add to numbers: DynamoDB's {@code SET} and {@code ADD}). Used alone or in a
 * {@link TableStore#transact transaction}.
 */
public sealed interface Write {
    /** The table written. */
    TableName table();

    /** The key of the item written. */
    Item.Key key();

    /** The condition that must hold on the stored item for the write to happen. */
    Condition condition();

    /** Replaces the whole item. */
    static Put put(TableName table, Item item, Condition condition) {
        return new Put(table, item, condition);
    }

    /** Replaces the whole item unconditionally. */
    static Put put(TableName table, Item item) {
        return new Put(table, item, Condition.ALWAYS);
    }

    /** Deletes the item (a missing item is fine when the condition allows it). */
    static Delete delete(TableName table, String pk, String sk, Condition condition) {
        return new Delete(table, new Item.Key(pk, sk), condition);
    }

    /** An update that sets nothing yet; chain {@link Update#set} and {@link Update#add}. */
    static Update update(TableName table, String pk, String sk) {
        return new Update(table, new Item.Key(pk, sk), Map.of(), Map.of(), Condition.ALWAYS);
    }

    /**
     * Put.
     *
     * @param table     table
     * @param item      the item that replaces whatever is stored under its key
     * @param condition condition on the stored item
     */
    record Put(TableName table, Item item, Condition condition) implements Write {
        public Put {
            Objects.requireNonNull(table);
            Objects.requireNonNull(item);
            condition = condition == null ? Condition.ALWAYS : condition;
        }

        @Override
        public Item.Key key() {
            return item.key();
        }
    }

    /**
     * Delete.
     *
     * @param table     table
     * @param key       key of the item
     * @param condition condition on the stored item
     */
    record Delete(TableName table, Item.Key key, Condition condition) implements Write {
        public Delete {
            Objects.requireNonNull(table);
            Objects.requireNonNull(key);
            condition = condition == null ? Condition.ALWAYS : condition;
        }
    }

    /**
     * Update: creates the item when absent (as DynamoDB's UpdateItem does), sets attributes, adds to numeric
     * attributes (a missing one counts as 0). As in DynamoDB, one attribute is either set or added to, and the
     * key attributes are never changed ({@link IllegalArgumentException} otherwise).
     *
     * @param table     table
     * @param key       key of the item
     * @param set       attributes to set (String or Long)
     * @param add       numbers to add to attributes
     * @param condition condition on the stored item
     */
    record Update(TableName table, Item.Key key, Map<String, Object> set, Map<String, Long> add,
                  Condition condition) implements Write {
        public Update {
            Objects.requireNonNull(table);
            Objects.requireNonNull(key);
            set = Map.copyOf(set);
            add = Map.copyOf(add);
            condition = condition == null ? Condition.ALWAYS : condition;
            for (String name : set.keySet()) {
                if (add.containsKey(name)) { // DynamoDB: "Two document paths overlap"
                    throw new IllegalArgumentException("an update may not both set and add " + name);
                }
            }
            if (set.containsKey("pk") || set.containsKey("sk") || add.containsKey("pk") || add.containsKey("sk")) {
                throw new IllegalArgumentException("an update may not change the key attributes pk and sk");
            }
        }

        /** This update, also setting an attribute. */
        public Update set(String name, Object value) {
            Map<String, Object> next = new TreeMap<>(set);
            next.put(name, value instanceof Integer i ? Long.valueOf(i) : value);
            return new Update(table, key, next, add, condition);
        }

        /** This update, also adding to a numeric attribute. */
        public Update add(String name, long delta) {
            Map<String, Long> next = new TreeMap<>(add);
            next.merge(name, delta, Long::sum);
            return new Update(table, key, set, next, condition);
        }

        /** This update, only when the condition holds. */
        public Update when(Condition c) {
            return new Update(table, key, set, add, c);
        }

        /**
         * The item after applying this update to {@code stored} (null = absent).
         *
         * @throws IllegalArgumentException when adding to an attribute that holds a string (as DynamoDB rejects it)
         */
        public Item applyTo(Item stored) {
            Item out = stored == null ? Item.of(key.pk(), key.sk()) : stored;
            for (Map.Entry<String, Object> e : set.entrySet()) {
                out = out.with(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Long> e : add.entrySet()) {
                if (out.get(e.getKey()) instanceof String) {
                    throw new IllegalArgumentException("cannot add to " + e.getKey() + " of " + key
                            + ": it holds a string");
                }
                out = out.with(e.getKey(), out.num(e.getKey(), 0) + e.getValue());
            }
            return out;
        }
    }
}
