package io.spinledger.storage;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * PLACEHOLDER (branch {@code stores}): a minimal {@link TableStore} on DynamoDB so the stores moved onto the port
 * keep working; the integrator replaces this file with the real adapter from the DynamoDB branch (same class and
 * constructor). Strongly consistent reads; conditions become condition/filter expressions; throttling becomes
 * {@link StoreUnavailableException}.
 */
public final class DynamoTableStore implements TableStore {
    private final DynamoDbClient dynamo;

    /** @param dynamo client */
    public DynamoTableStore(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Optional<Item> get(TableName table, String pk, String sk) {
        var item = call(() -> dynamo.getItem(r -> r.tableName(table.tableName()).consistentRead(true)
                .key(key(pk, sk))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromDynamo(item));
    }

    @Override
    public void write(Write write) {
        try {
            call(() -> switch (write) {
                case Write.Put p -> {
                    Expr e = new Expr();
                    String c = e.condition(p.condition());
                    yield dynamo.putItem(r -> r.tableName(p.table().tableName()).item(toDynamo(p.item()))
                            .conditionExpression(c).expressionAttributeNames(e.namesOrNull())
                            .expressionAttributeValues(e.valuesOrNull()));
                }
                case Write.Delete d -> {
                    Expr e = new Expr();
                    String c = e.condition(d.condition());
                    yield dynamo.deleteItem(r -> r.tableName(d.table().tableName()).key(key(d.key()))
                            .conditionExpression(c).expressionAttributeNames(e.namesOrNull())
                            .expressionAttributeValues(e.valuesOrNull()));
                }
                case Write.Update u -> updateRequest(u, ReturnValue.NONE);
            });
        } catch (ConditionalCheckFailedException failed) {
            throw new ConditionFailedException("condition failed on " + write.table() + " " + write.key());
        }
    }

    @Override
    public Item update(Write.Update update) {
        try {
            return fromDynamo(call(() -> updateRequest(update, ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException failed) {
            throw new ConditionFailedException("condition failed on " + update.table() + " " + update.key());
        }
    }

    private software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse updateRequest(Write.Update u,
                                                                                           ReturnValue rv) {
        Expr e = new Expr();
        String update = e.update(u);
        String c = e.condition(u.condition());
        return dynamo.updateItem(r -> r.tableName(u.table().tableName()).key(key(u.key())).updateExpression(update)
                .conditionExpression(c).expressionAttributeNames(e.namesOrNull())
                .expressionAttributeValues(e.valuesOrNull()).returnValues(rv));
    }

    @Override
    public void transact(List<? extends Write> writes) {
        if (writes.size() > MAX_TRANSACTION_WRITES) {
            throw new IllegalArgumentException("a transaction holds at most " + MAX_TRANSACTION_WRITES + " writes, got "
                    + writes.size());
        }
        List<TransactWriteItem> items = new ArrayList<>();
        for (Write w : writes) {
            Expr e = new Expr();
            String c = e.condition(w.condition());
            items.add(switch (w) {
                case Write.Put p -> TransactWriteItem.builder().put(r -> r.tableName(p.table().tableName())
                        .item(toDynamo(p.item())).conditionExpression(c).expressionAttributeNames(e.namesOrNull())
                        .expressionAttributeValues(e.valuesOrNull())).build();
                case Write.Delete d -> TransactWriteItem.builder().delete(r -> r.tableName(d.table().tableName())
                        .key(key(d.key())).conditionExpression(c).expressionAttributeNames(e.namesOrNull())
                        .expressionAttributeValues(e.valuesOrNull())).build();
                case Write.Update u -> {
                    String update = e.update(u);
                    yield TransactWriteItem.builder().update(r -> r.tableName(u.table().tableName())
                            .key(key(u.key())).updateExpression(update).conditionExpression(c)
                            .expressionAttributeNames(e.namesOrNull()).expressionAttributeValues(e.valuesOrNull()))
                            .build();
                }
            });
        }
        try {
            call(() -> dynamo.transactWriteItems(r -> r.transactItems(items)));
        } catch (TransactionCanceledException e) {
            List<TransactionCancelledException.Reason> reasons = new ArrayList<>();
            List<String> codes = DynamoSupport.reasonCodes(e);
            for (int i = 0; i < writes.size(); i++) {
                String code = i < codes.size() ? codes.get(i) : "None";
                reasons.add(switch (code) {
                    case "ConditionalCheckFailed" -> TransactionCancelledException.Reason.CONDITION_FAILED;
                    case "None" -> TransactionCancelledException.Reason.NONE;
                    default -> TransactionCancelledException.Reason.CONFLICT;
                });
            }
            throw new TransactionCancelledException(reasons);
        }
    }

    @Override
    public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter, int limit) {
        checkLimit(limit);
        Expr e = new Expr();
        String keyCond = "#pk = " + e.value(pk);
        e.names.put("#pk", TableName.PK);
        switch (range) {
            case SkRange.All a -> { }
            case SkRange.Between b -> {
                e.names.put("#sk", TableName.SK);
                keyCond += " AND #sk BETWEEN " + e.value(b.from()) + " AND " + e.value(b.to());
            }
            case SkRange.BeginsWith b -> {
                e.names.put("#sk", TableName.SK);
                keyCond += " AND begins_with(#sk, " + e.value(b.prefix()) + ")";
            }
        }
        String kc = keyCond;
        String f = e.condition(filter);
        QueryResponse resp = call(() -> dynamo.query(QueryRequest.builder().tableName(table.tableName())
                .consistentRead(true).keyConditionExpression(kc).filterExpression(f)
                .expressionAttributeNames(e.namesOrNull()).expressionAttributeValues(e.valuesOrNull()).limit(limit)
                .exclusiveStartKey(startAfter == null ? null : key(startAfter)).build()));
        return page(resp.items(), resp.hasLastEvaluatedKey() ? resp.lastEvaluatedKey() : null);
    }

    @Override
    public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
        checkLimit(limit);
        Expr e = new Expr();
        String f = e.condition(filter);
        ScanResponse resp = call(() -> dynamo.scan(ScanRequest.builder().tableName(table.tableName())
                .consistentRead(true).filterExpression(f).expressionAttributeNames(e.namesOrNull())
                .expressionAttributeValues(e.valuesOrNull()).limit(limit)
                .exclusiveStartKey(startAfter == null ? null : key(startAfter)).build()));
        return page(resp.items(), resp.hasLastEvaluatedKey() ? resp.lastEvaluatedKey() : null);
    }

    private static Page page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> last) {
        Optional<Item.Key> next = last == null || last.isEmpty() ? Optional.empty()
                : Optional.of(new Item.Key(last.get(TableName.PK).s(), last.get(TableName.SK).s()));
        return new Page(items.stream().map(DynamoTableStore::fromDynamo).toList(), next);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("page limit must be 1..1000, got " + limit);
        }
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ProvisionedThroughputExceededException | RequestLimitExceededException throttled) {
            throw new StoreUnavailableException("DynamoDB throttled the request", throttled);
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, AttributeValue.fromS(pk), TableName.SK, AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> key(Item.Key k) {
        return key(k.pk(), k.sk());
    }

    private static Map<String, AttributeValue> toDynamo(Item item) {
        Map<String, AttributeValue> m = new HashMap<>(key(item.pk(), item.sk()));
        item.attributes().forEach((k, v) -> m.put(k, attr(v)));
        return m;
    }

    private static AttributeValue attr(Object v) {
        return v instanceof Long l ? AttributeValue.fromN(Long.toString(l)) : AttributeValue.fromS(v.toString());
    }

    private static Item fromDynamo(Map<String, AttributeValue> m) {
        Map<String, Object> attrs = new HashMap<>();
        m.forEach((k, v) -> {
            if (!k.equals(TableName.PK) && !k.equals(TableName.SK)) {
                if (v.s() != null) {
                    attrs.put(k, v.s());
                } else if (v.n() != null) {
                    attrs.put(k, Long.parseLong(v.n()));
                }
            }
        });
        return new Item(m.get(TableName.PK).s(), m.get(TableName.SK).s(), attrs);
    }

    /** Builds expressions with placeholder names ({@code #aN}) and values ({@code :vN}). */
    private static final class Expr {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        String name(String n) {
            String p = "#a" + names.size();
            names.put(p, n);
            return p;
        }

        String value(Object v) {
            String p = ":v" + values.size();
            values.put(p, attr(v));
            return p;
        }

        /** The condition expression, or null for {@link Condition#ALWAYS}. */
        String condition(Condition c) {
            return c instanceof Condition.Always ? null : expr(c);
        }

        private String expr(Condition c) {
            return switch (c) {
                case Condition.Always a -> "attribute_exists(" + name(TableName.PK) + ") OR attribute_not_exists("
                        + name(TableName.PK) + ")";
                case Condition.Exists x -> "attribute_exists(" + name(x.name()) + ")";
                case Condition.NotExists x -> "attribute_not_exists(" + name(x.name()) + ")";
                case Condition.Compare x -> name(x.name()) + (x.op() == Condition.Op.EQ ? " = " : " < ")
                        + value(x.value());
                case Condition.BeginsWith x -> "begins_with(" + name(x.name()) + ", " + value(x.prefix()) + ")";
                case Condition.And x -> x.parts().isEmpty() ? expr(Condition.ALWAYS)
                        : String.join(" AND ", x.parts().stream().map(p -> "(" + expr(p) + ")").toList());
                case Condition.Or x -> x.parts().isEmpty() ? "attribute_exists(" + name(TableName.PK)
                        + ") AND attribute_not_exists(" + name(TableName.PK) + ")"
                        : String.join(" OR ", x.parts().stream().map(p -> "(" + expr(p) + ")").toList());
            };
        }

        String update(Write.Update u) {
            List<String> parts = new ArrayList<>();
            if (!u.set().isEmpty()) {
                parts.add("SET " + String.join(", ", u.set().entrySet().stream()
                        .map(s -> name(s.getKey()) + " = " + value(s.getValue())).toList()));
            }
            if (!u.add().isEmpty()) {
                parts.add("ADD " + String.join(", ", u.add().entrySet().stream()
                        .map(a -> name(a.getKey()) + " " + value(a.getValue())).toList()));
            }
            if (parts.isEmpty()) {
                // DynamoDB needs an update expression; setting pk to itself is not allowed, so touch nothing real
                parts.add("REMOVE " + name("__none__"));
            }
            return String.join(" ", parts);
        }

        Map<String, String> namesOrNull() {
            return names.isEmpty() ? null : names;
        }

        Map<String, AttributeValue> valuesOrNull() {
            return values.isEmpty() ? null : values;
        }
    }
}
