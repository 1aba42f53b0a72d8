package io.spinledger.aws;

import io.spinledger.config.TableName;
import io.spinledger.ports.Condition;
import io.spinledger.ports.ConditionFailedException;
import io.spinledger.ports.Item;
import io.spinledger.ports.Page;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.StoreUnavailableException;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link TableStore} on DynamoDB (AWS SDK v2): every read strongly consistent, {@link Condition}s translated to
 * condition and filter expressions with generated {@code #n0}/{@code :v0} placeholders, item attributes stored
 * as S (String) and N (Long), transactions as TransactWriteItems. Same semantics as
 * {@link io.spinledger.ports.InMemoryTableStore}, checked by the shared contract suite on DynamoDB Local.
 *
 * <p>Errors: a failed condition is {@link ConditionFailedException}, a cancelled transaction
 * {@link TransactionCancelledException} (one reason per write), throttling, 5xx, transaction conflicts of
 * single writes and client-side failures (timeouts, unreachable endpoint) {@link StoreUnavailableException};
 * a request DynamoDB rejects as invalid (e.g. adding to a string attribute) {@link IllegalArgumentException};
 * other service errors (a missing table, access denied) propagate as the SDK's exceptions.
 */
public final class DynamoTableStore implements TableStore {
    private static final int MAX_PAGE = 1000;
    /** An attribute name no item carries (see the empty update in {@link #transactItem}). */
    private static final String NO_ATTRIBUTE = "spinledger:none";

    private final DynamoDbClient dynamo;

    /**
     * @param dynamo client (the caller owns it and closes it)
     */
    public DynamoTableStore(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Optional<Item> get(TableName table, String pk, String sk) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(r -> r.tableName(table.tableName())
                .consistentRead(true).key(key(pk, sk))).item(), "get " + table + " " + pk + "/" + sk);
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toItem(item));
    }

    @Override
    public void write(Write write) {
        String what = describe(write);
        switch (write) {
            case Write.Put p -> {
                Expr c = Expr.condition(p.condition());
                call(() -> dynamo.putItem(r -> r.tableName(p.table().tableName()).item(toAttributes(p.item()))
                        .conditionExpression(c.expression).expressionAttributeNames(c.namesOrNull())
                        .expressionAttributeValues(c.valuesOrNull())), what);
            }
            case Write.Delete d -> {
                Expr c = Expr.condition(d.condition());
                call(() -> dynamo.deleteItem(r -> r.tableName(d.table().tableName()).key(key(d.key()))
                        .conditionExpression(c.expression).expressionAttributeNames(c.namesOrNull())
                        .expressionAttributeValues(c.valuesOrNull())), what);
            }
            case Write.Update u -> update(u);
        }
    }

    @Override
    public Item update(Write.Update update) {
        Expr e = Expr.update(update);
        Map<String, AttributeValue> after = call(() -> dynamo.updateItem(r -> r.tableName(update.table().tableName())
                .key(key(update.key())).updateExpression(e.update).conditionExpression(e.expression)
                .expressionAttributeNames(e.namesOrNull()).expressionAttributeValues(e.valuesOrNull())
                .returnValues(ReturnValue.ALL_NEW)).attributes(), describe(update));
        return after == null || after.isEmpty() ? Item.of(update.key().pk(), update.key().sk()) : toItem(after);
    }

    @Override
    public void transact(List<? extends Write> writes) {
        TableStore.checkTransaction(writes);
        if (writes.isEmpty()) {
            return; // DynamoDB rejects an empty TransactWriteItems; nothing to do
        }
        List<TransactWriteItem> items = writes.stream().map(DynamoTableStore::transactItem).toList();
        try {
            call(() -> dynamo.transactWriteItems(r -> r.transactItems(items)), "transaction of " + writes.size());
        } catch (TransactionCanceledException cancelled) {
            throw cancelled(cancelled, writes.size());
        }
    }

    @Override
    public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter, int limit) {
        checkLimit(limit);
        if (filter.names().contains(TableName.PK) || filter.names().contains(TableName.SK)) {
            throw new IllegalArgumentException("a query filter may not read pk or sk (use the sort-key range): "
                    + filter);
        }
        Expr e = Expr.filter(filter);
        String keyCondition = "#pk = :pk";
        e.names.put("#pk", TableName.PK);
        e.values.put(":pk", AttributeValue.fromS(pk));
        switch (range) {
            case SkRange.All all -> {
            }
            case SkRange.Between b -> {
                if (b.from().compareTo(b.to()) > 0) {
                    throw new IllegalArgumentException("sort-key range " + b.from() + " .. " + b.to()
                            + " has its lower bound above its upper bound");
                }
                e.names.put("#sk", TableName.SK);
                e.values.put(":skTo", AttributeValue.fromS(b.to()));
                if (b.from().isEmpty()) { // a key value may not be empty: every sort key is >= ""
                    keyCondition += " AND #sk <= :skTo";
                } else {
                    keyCondition += " AND #sk BETWEEN :skFrom AND :skTo";
                    e.values.put(":skFrom", AttributeValue.fromS(b.from()));
                }
            }
            case SkRange.BeginsWith bw -> {
                if (!bw.prefix().isEmpty()) { // every sort key begins with ""
                    keyCondition += " AND begins_with(#sk, :skPrefix)";
                    e.names.put("#sk", TableName.SK);
                    e.values.put(":skPrefix", AttributeValue.fromS(bw.prefix()));
                }
            }
        }
        QueryRequest request = QueryRequest.builder().tableName(table.tableName()).consistentRead(true)
                .keyConditionExpression(keyCondition).filterExpression(e.expression)
                .expressionAttributeNames(e.names).expressionAttributeValues(e.values).limit(limit)
                .exclusiveStartKey(startAfter == null ? null : key(startAfter)).build();
        QueryResponse resp = call(() -> dynamo.query(request), "query " + table + " " + pk);
        return page(resp.items(), resp.hasLastEvaluatedKey() ? resp.lastEvaluatedKey() : null);
    }

    @Override
    public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
        checkLimit(limit);
        Expr e = Expr.filter(filter);
        ScanRequest request = ScanRequest.builder().tableName(table.tableName()).consistentRead(true)
                .filterExpression(e.expression).expressionAttributeNames(e.namesOrNull())
                .expressionAttributeValues(e.valuesOrNull()).limit(limit)
                .exclusiveStartKey(startAfter == null ? null : key(startAfter)).build();
        ScanResponse resp = call(() -> dynamo.scan(request), "scan " + table);
        return page(resp.items(), resp.hasLastEvaluatedKey() ? resp.lastEvaluatedKey() : null);
    }

    private static Page page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> last) {
        Optional<Item.Key> next = last == null || last.isEmpty() ? Optional.empty()
                : Optional.of(new Item.Key(last.get(TableName.PK).s(), last.get(TableName.SK).s()));
        return new Page(items.stream().map(DynamoTableStore::toItem).toList(), next);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("page limit must be 1.." + MAX_PAGE + ", got " + limit);
        }
    }

    // ---- transactions

    private static TransactWriteItem transactItem(Write w) {
        String table = w.table().tableName();
        return switch (w) {
            case Write.Put p -> {
                Expr c = Expr.condition(p.condition());
                yield TransactWriteItem.builder().put(Put.builder().tableName(table).item(toAttributes(p.item()))
                        .conditionExpression(c.expression).expressionAttributeNames(c.namesOrNull())
                        .expressionAttributeValues(c.valuesOrNull()).build()).build();
            }
            case Write.Delete d -> {
                Expr c = Expr.condition(d.condition());
                yield TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(d.key()))
                        .conditionExpression(c.expression).expressionAttributeNames(c.namesOrNull())
                        .expressionAttributeValues(c.valuesOrNull()).build()).build();
            }
            case Write.Update u -> {
                Expr e = Expr.update(u);
                if (e.update == null) {
                    // TransactWriteItems requires an update expression; removing an attribute no item has
                    // changes nothing but still creates a missing item, as an empty UpdateItem does
                    e.update = "REMOVE " + e.name(NO_ATTRIBUTE);
                }
                yield TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(u.key()))
                        .updateExpression(e.update).conditionExpression(e.expression)
                        .expressionAttributeNames(e.namesOrNull()).expressionAttributeValues(e.valuesOrNull())
                        .build()).build();
            }
        };
    }

    /**
     * Translates DynamoDB's cancellation into the port's: "ConditionalCheckFailed" is CONDITION_FAILED,
     * "TransactionConflict" CONFLICT, "None" (or no code) NONE. Throttling reasons make the store unavailable;
     * any other code (a validation error) is a programming error.
     */
    static RuntimeException cancelled(TransactionCanceledException e, int writes) {
        List<TransactionCancelledException.Reason> reasons = new ArrayList<>();
        List<CancellationReason> raw = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (CancellationReason r : raw) {
            String code = r.code();
            if (code == null || code.equals("None")) {
                reasons.add(TransactionCancelledException.Reason.NONE);
            } else if (code.equals("ConditionalCheckFailed")) {
                reasons.add(TransactionCancelledException.Reason.CONDITION_FAILED);
            } else if (code.equals("TransactionConflict")) {
                reasons.add(TransactionCancelledException.Reason.CONFLICT);
            } else if (code.equals("ThrottlingError") || code.equals("ProvisionedThroughputExceeded")
                    || code.equals("RequestLimitExceeded")) {
                return new StoreUnavailableException("transaction throttled: " + DynamoSupport.reasonCodes(e), e);
            } else {
                return new IllegalArgumentException("transaction rejected: " + DynamoSupport.reasonCodes(e), e);
            }
        }
        if (reasons.isEmpty()) {
            // no reasons at all (should not happen): treat as a conflict on every write, worth a retry
            for (int i = 0; i < writes; i++) {
                reasons.add(TransactionCancelledException.Reason.CONFLICT);
            }
        }
        TransactionCancelledException out = new TransactionCancelledException(reasons);
        out.initCause(e);
        return out;
    }

    // ---- errors

    private static <T> T call(Supplier<T> request, String what) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException failed) {
            ConditionFailedException out = new ConditionFailedException("condition failed on " + what);
            out.initCause(failed);
            throw out;
        } catch (TransactionCanceledException cancelled) {
            throw cancelled;
        } catch (AwsServiceException e) {
            if (isTransient(e)) {
                throw new StoreUnavailableException("DynamoDB unavailable for " + what + ": " + e.getMessage(), e);
            }
            if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
                throw new IllegalArgumentException("DynamoDB rejected " + what + ": " + e.getMessage(), e);
            }
            throw e;
        } catch (SdkClientException e) {
            throw new StoreUnavailableException("DynamoDB unreachable for " + what + ": " + e.getMessage(), e);
        }
    }

    private static boolean isTransient(AwsServiceException e) {
        return e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException
                || e instanceof ThrottlingException || e instanceof InternalServerErrorException
                || e instanceof TransactionConflictException || e.isThrottlingException() || e.statusCode() >= 500;
    }

    private static String describe(Write w) {
        return w.getClass().getSimpleName().toLowerCase() + " " + w.table() + " " + w.key().pk() + "/" + w.key().sk();
    }

    // ---- items

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, AttributeValue.fromS(pk), TableName.SK, AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> key(Item.Key k) {
        return key(k.pk(), k.sk());
    }

    /** An item as DynamoDB attributes: pk, sk and each attribute as S or N. */
    static Map<String, AttributeValue> toAttributes(Item item) {
        Map<String, AttributeValue> m = new HashMap<>();
        item.attributes().forEach((k, v) -> m.put(k, value(v)));
        m.put(TableName.PK, AttributeValue.fromS(item.pk()));
        m.put(TableName.SK, AttributeValue.fromS(item.sk()));
        return m;
    }

    /**
     * An item read from DynamoDB.
     *
     * @throws IllegalStateException for an attribute that is neither S nor an integral N
     */
    static Item toItem(Map<String, AttributeValue> m) {
        Map<String, Object> attrs = new HashMap<>();
        m.forEach((k, v) -> {
            if (k.equals(TableName.PK) || k.equals(TableName.SK)) {
                return;
            }
            if (v.s() != null) {
                attrs.put(k, v.s());
            } else if (v.n() != null) {
                try {
                    attrs.put(k, Long.parseLong(v.n()));
                } catch (NumberFormatException notLong) {
                    throw new IllegalStateException("attribute " + k + " is not an integer: " + v.n(), notLong);
                }
            } else {
                throw new IllegalStateException("attribute " + k + " is neither S nor N: " + v.type());
            }
        });
        return new Item(m.get(TableName.PK).s(), m.get(TableName.SK).s(), attrs);
    }

    private static AttributeValue value(Object v) {
        return switch (v) {
            case String s -> AttributeValue.fromS(s);
            case Long l -> AttributeValue.fromN(Long.toString(l));
            case Integer i -> AttributeValue.fromN(Integer.toString(i));
            default -> throw new IllegalArgumentException("value must be String or Long: " + v);
        };
    }

    // ---- expressions

    /** One request's expressions and their placeholders ({@code #n0}, {@code :v0}, ...). */
    private static final class Expr {
        final Map<String, String> names = new LinkedHashMap<>();
        final Map<String, AttributeValue> values = new LinkedHashMap<>();
        private final Map<String, String> nameOf = new HashMap<>();
        String expression;
        String update;

        static Expr condition(Condition c) {
            Expr e = new Expr();
            e.expression = e.render(c);
            return e;
        }

        static Expr filter(Condition c) {
            return condition(c);
        }

        static Expr update(Write.Update u) {
            Expr e = new Expr();
            List<String> sets = new ArrayList<>();
            u.set().forEach((k, v) -> sets.add(e.name(k) + " = " + e.value(v)));
            List<String> adds = new ArrayList<>();
            u.add().forEach((k, v) -> adds.add(e.name(k) + " " + e.value(v)));
            StringBuilder sb = new StringBuilder();
            if (!sets.isEmpty()) {
                sb.append("SET ").append(String.join(", ", sets));
            }
            if (!adds.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").append("ADD ").append(String.join(", ", adds));
            }
            e.update = sb.isEmpty() ? null : sb.toString();
            e.expression = e.render(u.condition());
            return e;
        }

        Map<String, String> namesOrNull() {
            return names.isEmpty() ? null : names;
        }

        Map<String, AttributeValue> valuesOrNull() {
            return values.isEmpty() ? null : values;
        }

        /** The expression of a condition, or null when it always holds. */
        String render(Condition c) {
            Condition s = simplify(c);
            if (s instanceof Condition.Always) {
                return null;
            }
            return expr(s);
        }

        private String expr(Condition c) {
            return switch (c) {
                case Condition.Always a -> throw new IllegalStateException("simplified away");
                case Condition.Exists x -> "attribute_exists(" + name(x.name()) + ")";
                case Condition.NotExists x -> "attribute_not_exists(" + name(x.name()) + ")";
                case Condition.Compare x -> name(x.name()) + (x.op() == Condition.Op.EQ ? " = " : " < ")
                        + value(x.value());
                case Condition.BeginsWith x -> "begins_with(" + name(x.name()) + ", " + value(x.prefix()) + ")";
                case Condition.And x -> join(x.parts(), " AND "); // never empty once simplified
                case Condition.Or x -> x.parts().isEmpty() ? never() : join(x.parts(), " OR ");
            };
        }

        private String join(List<Condition> parts, String op) {
            if (parts.size() == 1) {
                return expr(parts.get(0));
            }
            List<String> out = new ArrayList<>();
            for (Condition p : parts) {
                out.add("(" + expr(p) + ")");
            }
            return String.join(op, out);
        }

        /** An expression that never holds (an empty OR). */
        private String never() {
            String n = name(TableName.PK);
            return "attribute_exists(" + n + ") AND attribute_not_exists(" + n + ")";
        }

        private String name(String attribute) {
            return nameOf.computeIfAbsent(attribute, a -> {
                String placeholder = "#n" + names.size();
                names.put(placeholder, a);
                return placeholder;
            });
        }

        private String value(Object v) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, DynamoTableStore.value(v));
            return placeholder;
        }

        /** Removes ALWAYS: an AND drops it, an OR holding it always holds; an empty AND always holds. */
        private static Condition simplify(Condition c) {
            return switch (c) {
                case Condition.And a -> {
                    List<Condition> parts = new ArrayList<>();
                    for (Condition p : a.parts()) {
                        Condition s = simplify(p);
                        if (!(s instanceof Condition.Always)) {
                            parts.add(s);
                        }
                    }
                    yield parts.isEmpty() ? Condition.ALWAYS : new Condition.And(parts);
                }
                case Condition.Or o -> {
                    List<Condition> parts = new ArrayList<>();
                    for (Condition p : o.parts()) {
                        Condition s = simplify(p);
                        if (s instanceof Condition.Always) {
                            yield Condition.ALWAYS;
                        }
                        parts.add(s);
                    }
                    yield new Condition.Or(parts);
                }
                default -> c;
            };
        }
    }
}
