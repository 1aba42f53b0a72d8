package io.spinledger.ledger;

import static io.spinledger.storage.DynamoSupport.n;
import static io.spinledger.storage.DynamoSupport.num;
import static io.spinledger.storage.DynamoSupport.s;
import static io.spinledger.storage.DynamoSupport.sortable;
import static io.spinledger.storage.DynamoSupport.str;

import io.spinledger.config.TableName;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.json.Json;
import io.spinledger.storage.DynamoSupport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The append-only double-entry ledger in the {@code LEDGER} table. One {@link #post} writes, in a single
 * DynamoDB transaction:
 * <ul>
 *   <li>the transaction: pk {@code TXN#<idempotencyKey>}, sk {@code TXN}, doc = {@link LedgerTransaction} JSON,
 *       only if absent (so a key posts at most once);</li>
 *   <li>one entry per line: pk {@code ACCT#<account>}, sk {@code <postedAt ISO ms>#<transactionId>#<n>},
 *       doc = {@link PostedEntry} JSON;</li>
 *   <li>the balances: pk {@code ACCT#<account>}, sk {@code BALANCE#<currency>}, numeric {@code amountMinor}
 *       incremented with ADD.</li>
 * </ul>
 * Amounts are minor units; positive = debit, negative = credit.
 */
public final class Ledger {
    /** DynamoDB's limit on items in one transaction. */
    private static final int MAX_TRANSACTION_ITEMS = 100;
    private static final String TABLE = TableName.LEDGER.tableName();
    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;

    /** A ledger on the given client (tables provisioned). */
    public Ledger(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** What a post did. */
    public enum PostStatus {
        /** Written now. */
        POSTED,
        /** A transaction with the same idempotency key was already there; nothing changed. */
        ALREADY_POSTED
    }

    /**
     * Outcome of {@link #post}.
     *
     * @param status      POSTED or ALREADY_POSTED
     * @param transaction the transaction as stored (for ALREADY_POSTED: the earlier one)
     */
    public record PostResult(PostStatus status, LedgerTransaction transaction) {
    }

    /**
     * A balance.
     *
     * @param account     account id
     * @param currency    ISO 4217 code
     * @param amountMinor sum of all posted entries, minor units (positive = net debit)
     */
    public record Balance(String account, String currency, long amountMinor) {
    }

    /**
     * One posted ledger line as stored under its account.
     *
     * @param account        account id
     * @param amountMinor    minor units, positive = debit
     * @param currency       ISO 4217
     * @param memo           what it is for
     * @param transactionId  owning transaction
     * @param idempotencyKey owning transaction's key
     * @param playId         the play behind it
     * @param postedAt       posting instant
     */
    public record PostedEntry(String account, long amountMinor, String currency, String memo, String transactionId,
                              String idempotencyKey, String playId, java.time.Instant postedAt) {
    }

    /**
     * Posts a transaction atomically and at most once per idempotency key.
     *
     * @return POSTED, or ALREADY_POSTED (with the stored transaction) when the key was posted before
     * @throws IllegalArgumentException when it has no entries, is unbalanced in any currency, has a blank
     *                                  key/id/account, an unknown currency, or too many lines for one transaction
     */
    public PostResult post(LedgerTransaction tx) {
        validate(tx);
        Map<String, Long> deltas = new TreeMap<>(); // account \n currency -> sum
        for (LedgerEntry e : tx.entries()) {
            deltas.merge(e.account() + "\n" + e.currency(), e.amountMinor(), Long::sum);
        }
        if (1 + tx.entries().size() + deltas.size() > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("transaction " + tx.idempotencyKey() + " has too many lines ("
                    + tx.entries().size() + ") for one DynamoDB transaction");
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> txnItem = new HashMap<>(key("TXN#" + tx.idempotencyKey(), "TXN"));
        txnItem.put(TableName.DOC, s(Json.write(tx)));
        txnItem.put("postedAt", s(sortable(tx.postedAt())));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(txnItem)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", TableName.PK)).build()).build());
        for (int i = 0; i < tx.entries().size(); i++) {
            LedgerEntry e = tx.entries().get(i);
            Map<String, AttributeValue> item = new HashMap<>(key("ACCT#" + e.account(),
                    sortable(tx.postedAt()) + "#" + tx.transactionId() + "#" + i));
            item.put(TableName.DOC, s(Json.write(new PostedEntry(e.account(), e.amountMinor(), e.currency(), e.memo(),
                    tx.transactionId(), tx.idempotencyKey(), tx.playId(), tx.postedAt()))));
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(item).build()).build());
        }
        for (Map.Entry<String, Long> d : deltas.entrySet()) {
            String[] parts = d.getKey().split("\n", 2);
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(TABLE)
                    .key(key("ACCT#" + parts[0], "BALANCE#" + parts[1]))
                    .updateExpression("ADD #amt :d SET #acct = :a, #cur = :c")
                    .expressionAttributeNames(Map.of("#amt", "amountMinor", "#acct", "account", "#cur", "currency"))
                    .expressionAttributeValues(Map.of(":d", n(d.getValue()), ":a", s(parts[0]), ":c", s(parts[1])))
                    .build()).build());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(r -> r.transactItems(writes));
                return new PostResult(PostStatus.POSTED, tx);
            } catch (TransactionCanceledException e) {
                List<String> reasons = DynamoSupport.reasonCodes(e);
                if (!reasons.isEmpty() && reasons.get(0).equals("ConditionalCheckFailed")) {
                    return new PostResult(PostStatus.ALREADY_POSTED, transaction(tx.idempotencyKey()).orElse(tx));
                }
                if (!reasons.contains("TransactionConflict") || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                sleep(attempt);
            }
        }
    }

    private static void validate(LedgerTransaction tx) {
        if (tx.idempotencyKey() == null || tx.idempotencyKey().isBlank() || tx.transactionId() == null
                || tx.transactionId().isBlank() || tx.postedAt() == null) {
            throw new IllegalArgumentException("transaction needs transactionId, idempotencyKey and postedAt");
        }
        if (tx.entries().isEmpty()) {
            throw new IllegalArgumentException("transaction " + tx.idempotencyKey() + " has no entries");
        }
        for (LedgerEntry e : tx.entries()) {
            if (e.account() == null || e.account().isBlank()) {
                throw new IllegalArgumentException("transaction " + tx.idempotencyKey() + " has a line with no account");
            }
            if (e.currency() == null) {
                throw new IllegalArgumentException("transaction " + tx.idempotencyKey() + " has a line with no currency");
            }
            Currency.getInstance(e.currency()); // IllegalArgumentException for an unknown code
        }
        if (!tx.isBalanced()) {
            throw new IllegalArgumentException("transaction " + tx.idempotencyKey()
                    + " is not balanced: entries must sum to zero per currency");
        }
    }

    /** The transaction posted under an idempotency key, or empty. */
    public Optional<LedgerTransaction> transaction(String idempotencyKey) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(TABLE)
                .key(key("TXN#" + idempotencyKey, "TXN")).consistentRead(true)).item();
        return item == null || !item.containsKey(TableName.DOC) ? Optional.empty()
                : Optional.of(Json.read(str(item, TableName.DOC), LedgerTransaction.class));
    }

    /**
     * The newest transactions, newest first (by postedAt, then id), at most {@code limit}.
     * Scans the table: fine at this stage; a time-ordered index is the next step.
     */
    public List<LedgerTransaction> transactions(int limit) {
        ScanRequest scan = ScanRequest.builder().tableName(TABLE).filterExpression("#sk = :txn")
                .expressionAttributeNames(Map.of("#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":txn", s("TXN"))).build();
        return DynamoSupport.scanAll(dynamo, scan).stream()
                .map(i -> Json.read(str(i, TableName.DOC), LedgerTransaction.class))
                .sorted(Comparator.comparing(LedgerTransaction::postedAt)
                        .thenComparing(LedgerTransaction::transactionId).reversed())
                .limit(Math.max(0, limit)).toList();
    }

    /** Every account balance, sorted by account then currency. Scans the table (see {@link #transactions}). */
    public List<Balance> balances() {
        ScanRequest scan = ScanRequest.builder().tableName(TABLE).filterExpression("begins_with(#sk, :b)")
                .expressionAttributeNames(Map.of("#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":b", s("BALANCE#"))).build();
        return DynamoSupport.scanAll(dynamo, scan).stream()
                .map(i -> new Balance(str(i, "account"), str(i, "currency"), num(i, "amountMinor", 0)))
                .sorted(Comparator.comparing(Balance::account).thenComparing(Balance::currency)).toList();
    }

    /** The posted lines of one account, oldest first. */
    public List<PostedEntry> entries(String account) {
        QueryRequest q = QueryRequest.builder().tableName(TABLE).consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", TableName.PK))
                .expressionAttributeValues(Map.of(":pk", s("ACCT#" + account))).build();
        return DynamoSupport.queryAll(dynamo, q).stream()
                .filter(i -> !str(i, TableName.SK).startsWith("BALANCE#"))
                .map(i -> Json.read(str(i, TableName.DOC), PostedEntry.class)).toList();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, s(pk), TableName.SK, s(sk));
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(5L * attempt);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ie);
        }
    }
}
