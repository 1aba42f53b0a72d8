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
import java.util.StringJoiner;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * PLACEHOLDER (branch {@code plays}): a minimal {@link TableStore} on DynamoDB so that the play and ledger stores
 * can be wired and tested before the real adapter lands. The integrator replaces this file by the real
 * {@code io.spinledger.storage.DynamoTableStore(DynamoDbClient)} and its contract tests.
 *
 * <p>Reads are strongly consistent; conditions become condition/filter expressions with placeholders; a
 * cancelled transaction maps its reason codes ({@code ConditionalCheckFailed}, {@code TransactionConflict}) to
 * {@link TransactionCancelledException.Reason}; client-side failures become {@link StoreUnavailableException}.
 */
public final class DynamoTableStore implements TableStore {
    private final DynamoDbClient dynamo;

    /** A store on the given client (tables provisioned). */
    public DynamoTableStore(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    @Override
    public Optional<Item> get(TableName table, String pk, String sk) {
        Map<String, AttributeValue> item = call(() -> dynamo.getItem(r -> r.tableName(table.tableName())
                .key(key(pk, sk)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toItem(item));
    }

    @Override
    public void write(Write write) {
        try {
            call(() -> {
                TransactWriteItem t = toTransactItem(write);
                if (t.put() != null) {
                    Put p = t.put();
                    dynamo.putItem(r -> r.tableName(p.tableName()).item(p.item())
                            .conditionExpression(p.conditionExpression())
                            .expressionAttributeNames(p.expressionAttributeNames())
                            .expressionAttributeValues(emptyToNull(p.expressionAttributeValues())));
                } else if (t.delete() != null) {
                    Delete d = t.delete();
                    dynamo.deleteItem(r -> r.tableName(d.tableName()).key(d.key())
                            .conditionExpression(d.conditionExpression())
                            .expressionAttributeNames(d.expressionAttributeNames())
                            .expressionAttributeValues(emptyToNull(d.expressionAttributeValues())));
                } else {
                    update((Write.Update) write);
                }
                return null;
            });
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailedException("condition failed on " + write.table() + " " + write.key());
        }
    }

    @Override
    public Item update(Write.Update update) {
        Update u = toTransactItem(update).update();
        try {
            return toItem(call(() -> dynamo.updateItem(r -> r.tableName(u.tableName()).key(u.key())
                    .updateExpression(u.updateExpression()).conditionExpression(u.conditionExpression())
                    .expressionAttributeNames(u.expressionAttributeNames())
                    .expressionAttributeValues(emptyToNull(u.expressionAttributeValues()))
                    .returnValues(ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException e) {
            throw new ConditionFailedException("condition failed on " + update.table() + " " + update.key());
        }
    }

    @Override
    public void transact(List<? extends Write> writes) {
        if (writes.size() > MAX_TRANSACTION_WRITES) {
            throw new IllegalArgumentException("a transaction holds at most " + MAX_TRANSACTION_WRITES + " writes, got "
                    + writes.size());
        }
        List<TransactWriteItem> items = writes.stream().map(DynamoTableStore::toTransactItem).toList();
        try {
            call(() -> dynamo.transactWriteItems(r -> r.transactItems(items)));
        } catch (TransactionCanceledException e) {
            List<TransactionCancelledException.Reason> reasons = new ArrayList<>();
            List<String> codes = DynamoSupport.reasonCodes(e);
            for (int i = 0; i < writes.size(); i++) {
                String code = i < codes.size() ? codes.get(i) : "None";
                reasons.add(switch (code) {
                    case "None" -> TransactionCancelledException.Reason.NONE;
                    case "ConditionalCheckFailed" -> TransactionCancelledException.Reason.CONDITION_FAILED;
                    default -> TransactionCancelledException.Reason.CONFLICT;
                });
            }
            throw new TransactionCancelledException(reasons);
        }
    }

    @Override
    public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter, int limit) {
        Expr x = new Expr();
        String keyCond = "#pk = " + x.value(pk) + switch (range) {
            case SkRange.All a -> "";
            case SkRange.Between b -> " AND #sk BETWEEN " + x.value(b.from()) + " AND " + x.value(b.to());
            case SkRange.BeginsWith b -> " AND begins_with(#sk, " + x.value(b.prefix()) + ")";
        };
        x.names.put("#pk", TableName.PK);
        if (!(range instanceof SkRange.All)) {
            x.names.put("#sk", TableName.SK);
        }
        String filterExpr = x.of(filter);
        QueryRequest.Builder q = QueryRequest.builder().tableName(table.tableName()).consistentRead(true)
                .keyConditionExpression(keyCond).filterExpression(filterExpr).expressionAttributeNames(x.names)
                .expressionAttributeValues(x.values).limit(limit);
        if (startAfter != null) {
            q.exclusiveStartKey(key(startAfter.pk(), startAfter.sk()));
        }
        QueryResponse r = call(() -> dynamo.query(q.build()));
        return page(r.items(), r.lastEvaluatedKey());
    }

    @Override
    public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
        Expr x = new Expr();
        String filterExpr = x.of(filter);
        ScanRequest.Builder s = ScanRequest.builder().tableName(table.tableName()).consistentRead(true)
                .filterExpression(filterExpr).expressionAttributeNames(x.names.isEmpty() ? null : x.names)
                .expressionAttributeValues(x.values.isEmpty() ? null : x.values).limit(limit);
        if (startAfter != null) {
            s.exclusiveStartKey(key(startAfter.pk(), startAfter.sk()));
        }
        ScanResponse r = call(() -> dynamo.scan(s.build()));
        return page(r.items(), r.lastEvaluatedKey());
    }

    private static Page page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> last) {
        Optional<Item.Key> next = last == null || last.isEmpty() ? Optional.empty()
                : Optional.of(new Item.Key(last.get(TableName.PK).s(), last.get(TableName.SK).s()));
        return new Page(items.stream().map(DynamoTableStore::toItem).toList(), next);
    }

    private static TransactWriteItem toTransactItem(Write w) {
        Expr x = new Expr();
        String cond = x.of(w.condition());
        Map<String, String> names = x.names;
        Map<String, AttributeValue> values = x.values;
        return switch (w) {
            case Write.Put p -> {
                Map<String, AttributeValue> item = new HashMap<>(key(p.item().pk(), p.item().sk()));
                p.item().attributes().forEach((k, v) -> item.put(k, attr(v)));
                yield TransactWriteItem.builder().put(Put.builder().tableName(p.table().tableName()).item(item)
                        .conditionExpression(cond).expressionAttributeNames(emptyToNull(names))
                        .expressionAttributeValues(emptyToNull(values)).build()).build();
            }
            case Write.Delete d -> TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(d.table().tableName()).key(key(d.key().pk(), d.key().sk())).conditionExpression(cond)
                    .expressionAttributeNames(emptyToNull(names)).expressionAttributeValues(emptyToNull(values))
                    .build()).build();
            case Write.Update u -> {
                StringJoiner set = new StringJoiner(", ", "SET ", "").setEmptyValue("");
                u.set().forEach((k, v) -> set.add(x.name(k) + " = " + x.value(v)));
                StringJoiner add = new StringJoiner(", ", " ADD ", "").setEmptyValue("");
                u.add().forEach((k, v) -> add.add(x.name(k) + " " + x.value(v)));
                String expr = (set + add.toString()).trim();
                yield TransactWriteItem.builder().update(Update.builder().tableName(u.table().tableName())
                        .key(key(u.key().pk(), u.key().sk())).updateExpression(expr.isEmpty() ? null : expr)
                        .conditionExpression(cond).expressionAttributeNames(emptyToNull(names))
                        .expressionAttributeValues(emptyToNull(values)).build()).build();
            }
        };
    }

    private static <K, V> Map<K, V> emptyToNull(Map<K, V> m) {
        return m == null || m.isEmpty() ? null : m;
    }

    /** Builds an expression with {@code #nN} / {@code :vN} placeholders. */
    private static final class Expr {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();

        String name(String n) {
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (e.getValue().equals(n)) {
                    return e.getKey();
                }
            }
            String p = "#n" + names.size();
            names.put(p, n);
            return p;
        }

        String value(Object v) {
            String p = ":v" + values.size();
            values.put(p, attr(v));
            return p;
        }

        /** The expression, or null for {@link Condition#ALWAYS}. */
        String of(Condition c) {
            return c instanceof Condition.Always ? null : expr(c);
        }

        private String expr(Condition c) {
            return switch (c) {
                case Condition.Always a -> "attribute_exists(" + name(TableName.PK) + ") OR attribute_not_exists("
                        + name(TableName.PK) + ")";
                case Condition.Exists e -> "attribute_exists(" + name(e.name()) + ")";
                case Condition.NotExists e -> "attribute_not_exists(" + name(e.name()) + ")";
                case Condition.Compare k -> name(k.name()) + (k.op() == Condition.Op.EQ ? " = " : " < ")
                        + value(k.value());
                case Condition.BeginsWith b -> "begins_with(" + name(b.name()) + ", " + value(b.prefix()) + ")";
                case Condition.And a -> join(a.parts(), " AND ");
                case Condition.Or o -> join(o.parts(), " OR ");
            };
        }

        private String join(List<Condition> parts, String op) {
            StringJoiner j = new StringJoiner(op, "(", ")");
            parts.forEach(p -> j.add(expr(p)));
            return j.toString();
        }
    }

    private static AttributeValue attr(Object v) {
        return v instanceof Long l ? AttributeValue.fromN(Long.toString(l)) : AttributeValue.fromS(v.toString());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, AttributeValue.fromS(pk), TableName.SK, AttributeValue.fromS(sk));
    }

    private static Item toItem(Map<String, AttributeValue> raw) {
        Map<String, Object> attrs = new HashMap<>();
        raw.forEach((k, v) -> {
            if (k.equals(TableName.PK) || k.equals(TableName.SK)) {
                return;
            }
            if (v.s() != null) {
                attrs.put(k, v.s());
            } else if (v.n() != null) {
                attrs.put(k, Long.parseLong(v.n()));
            }
        });
        return new Item(raw.get(TableName.PK).s(), raw.get(TableName.SK).s(), attrs);
    }

    private static <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkClientException e) {
            throw new StoreUnavailableException("DynamoDB unreachable: " + e.getMessage(), e);
        }
    }
}
