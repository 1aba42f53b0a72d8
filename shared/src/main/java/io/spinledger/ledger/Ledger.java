package io.spinledger.ledger;

import static io.spinledger.ports.SortKeys.sortable;

import io.spinledger.config.TableName;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.json.Json;
import io.spinledger.ports.Condition;
import io.spinledger.ports.Contention;
import io.spinledger.ports.Item;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The append-only double-entry ledger in the {@code LEDGER} table of a {@link TableStore}. Every change is one
 * store transaction
 * ({@link #commit}) that writes, all or nothing:
 * <ul>
 *   <li>each ledger transaction: pk {@code TXN#<idempotencyKey>}, sk {@code TXN}, doc = {@link LedgerTransaction}
 *       JSON, only if absent (so a key posts at most once);</li>
 *   <li>one entry per line: pk {@code ACCT#<account>}, sk {@code <postedAt ISO ms>#<transactionId>#<n>},
 *       doc = {@link PostedEntry} JSON;</li>
 *   <li>the balances: pk {@code ACCT#<account>}, sk {@code BALANCE#<currency>}, numeric {@code amountMinor}
 *       incremented with ADD (deltas of all transactions of one commit merged per item);</li>
 *   <li>the play's index of its transactions: pk {@code PLAY#<playId>}, sk {@code TXN#<idempotencyKey>}, doc =
 *       the transaction;</li>
 *   <li>the audit record: pk {@code PLAY#<playId>}, sk {@code AUDIT#<at ISO ms>#<eventId>}, doc =
 *       {@link AuditEvent};</li>
 *   <li>whatever the caller adds (dispute records, conditions).</li>
 * </ul>
 * Amounts are minor units; positive = debit, negative = credit. Corrections never edit: a REVERSAL
 * ({@code <key>#REV}) cancels a posting line by line, and because its key is unique a posting is reversed at most
 * once.
 */
public final class Ledger {
    /** DynamoDB's limit on items in one transaction. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    static final TableName TABLE = TableName.LEDGER;
    /** Sort key of a play's open-dispute marker (pk {@code PLAY#<playId>}). */
    static final String OPEN_DISPUTE_SK = "DISPUTE_OPEN";
    private static final int MAX_ATTEMPTS = 10;

    private final TableStore store;
    private final Contention contention;

    /** A ledger on the given store, retrying transaction conflicts with {@link Contention#standard()}. */
    public Ledger(TableStore store) {
        this(store, Contention.standard());
    }

    /**
     * @param store      the tables
     * @param contention how a commit that conflicted with a concurrent transaction is retried (waits, jitter)
     */
    public Ledger(TableStore store, Contention contention) {
        this.store = store;
        this.contention = contention;
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
     * @param kind           owning transaction's kind (null in entries written before kinds existed)
     * @param ruleVersion    rule version of the owning transaction
     */
    public record PostedEntry(String account, long amountMinor, String currency, String memo, String transactionId,
                              String idempotencyKey, String playId, Instant postedAt, LedgerTransaction.Kind kind,
                              String ruleVersion) {
    }

    /** Thrown when a commit's condition (other than a duplicate idempotency key) failed, e.g. an open dispute. */
    public static final class ConflictException extends RuntimeException {
        /** @param message what conflicted */
        public ConflictException(String message) {
            super(message);
        }
    }

    /**
     * Posts a transaction atomically and at most once per idempotency key, audited as done by
     * {@code system:royalty-posting}.
     *
     * @return POSTED, or ALREADY_POSTED (with the stored transaction) when the key was posted before
     * @throws IllegalArgumentException when it has no entries, is unbalanced in any currency, has a blank
     *                                  key/id/account, an unknown currency, or too many lines for one transaction
     */
    public PostResult post(LedgerTransaction tx) {
        return post(tx, "system:royalty-posting", tx.description());
    }

    /**
     * Posts a transaction atomically and at most once per idempotency key, with its audit record.
     *
     * @param actor  who posts
     * @param reason why
     * @return POSTED or ALREADY_POSTED (see {@link #post(LedgerTransaction)})
     */
    public PostResult post(LedgerTransaction tx, String actor, String reason) {
        AuditEvent audit = AuditEvent.of(tx.playId(), tx.kind() == LedgerTransaction.Kind.POSTING ? "POSTED"
                : tx.kind().name(), actor, tx.postedAt(), reason, List.of(tx.idempotencyKey()), null);
        try {
            commit(List.of(tx), List.of(), audit);
            return new PostResult(PostStatus.POSTED, tx);
        } catch (DuplicateKeyException e) {
            return new PostResult(PostStatus.ALREADY_POSTED, transaction(tx.idempotencyKey()).orElse(tx));
        }
    }

    /** Thrown by {@link #commit} when one of the transactions' idempotency keys was already posted. */
    static final class DuplicateKeyException extends RuntimeException {
        final String idempotencyKey;

        DuplicateKeyException(String idempotencyKey) {
            super("already posted: " + idempotencyKey);
            this.idempotencyKey = idempotencyKey;
        }
    }

    /**
     * Writes ledger transactions, extra items and an audit record in one store transaction. A transaction that
     * conflicted with a concurrent one is retried (up to 10 attempts, waits from the {@link Contention}).
     *
     * @throws DuplicateKeyException         when a transaction's key exists (nothing written)
     * @throws ConflictException             when an extra item's condition failed (nothing written)
     * @throws IllegalArgumentException      for an invalid transaction or too many items
     * @throws TransactionCancelledException when it still conflicted after 10 attempts (nothing written)
     */
    void commit(List<LedgerTransaction> txs, List<Write> extra, AuditEvent audit) {
        Map<String, Long> deltas = new TreeMap<>(); // account \n currency -> sum over all transactions
        List<Write> writes = new ArrayList<>();
        for (LedgerTransaction tx : txs) {
            validate(tx);
            Item txnItem = Item.doc("TXN#" + tx.idempotencyKey(), "TXN", Json.write(tx))
                    .with("postedAt", sortable(tx.postedAt()))
                    .with("kind", tx.kind().name());
            writes.add(Write.put(TABLE, txnItem, Condition.itemAbsent()));
        }
        int txnItems = writes.size();
        for (LedgerTransaction tx : txs) {
            for (int i = 0; i < tx.entries().size(); i++) {
                LedgerEntry e = tx.entries().get(i);
                deltas.merge(e.account() + "\n" + e.currency(), e.amountMinor(), Long::sum);
                writes.add(Write.put(TABLE, Item.doc("ACCT#" + e.account(),
                        sortable(tx.postedAt()) + "#" + tx.transactionId() + "#" + i,
                        Json.write(new PostedEntry(e.account(), e.amountMinor(), e.currency(),
                        e.memo(), tx.transactionId(), tx.idempotencyKey(), tx.playId(), tx.postedAt(), tx.kind(),
                        tx.ruleVersion())))));
            }
            if (tx.playId() != null && !tx.playId().isBlank()) {
                writes.add(Write.put(TABLE, Item.doc("PLAY#" + tx.playId(), "TXN#" + tx.idempotencyKey(),
                        Json.write(tx))));
            }
        }
        for (Map.Entry<String, Long> d : deltas.entrySet()) {
            if (d.getValue() == 0L) {
                continue; // e.g. a hold and its release in one commit: nothing to add
            }
            String[] parts = d.getKey().split("\n", 2);
            writes.add(Write.update(TABLE, "ACCT#" + parts[0], "BALANCE#" + parts[1])
                    .add("amountMinor", d.getValue()).set("account", parts[0]).set("currency", parts[1]));
        }
        int extraFrom = writes.size();
        writes.addAll(extra);
        if (audit != null) {
            writes.add(Write.put(TABLE, Item.doc("PLAY#" + audit.playId(),
                    "AUDIT#" + sortable(audit.at()) + "#" + audit.eventId(), Json.write(audit))));
        }
        if (writes.size() > MAX_TRANSACTION_ITEMS) {
            throw new IllegalArgumentException("commit of " + txs.stream().map(LedgerTransaction::idempotencyKey)
                    .toList() + " needs " + writes.size() + " items, more than one DynamoDB transaction holds");
        }
        contention.call("ledger commit of " + txs.stream().map(LedgerTransaction::idempotencyKey).toList(),
                MAX_ATTEMPTS, () -> {
                    try {
                        store.transact(writes);
                        return null;
                    } catch (TransactionCancelledException e) {
                        for (int i = 0; i < e.reasons().size(); i++) {
                            if (e.conditionFailed(i)) {
                                if (i < txnItems) {
                                    throw new DuplicateKeyException(txs.get(i).idempotencyKey());
                                }
                                if (i >= extraFrom) {
                                    throw new ConflictException("a condition of this change failed (item "
                                            + (i - extraFrom) + " of " + extra.size()
                                            + "): the play's dispute state changed");
                                }
                            }
                        }
                        throw e;
                    }
                }, e -> e instanceof TransactionCancelledException t
                        && t.reasons().contains(TransactionCancelledException.Reason.CONFLICT));
    }

    /**
     * A condition that the play has no open dispute (for {@link #commit}'s extra items): deleting the absent
     * open-dispute marker only when it is absent, so it writes nothing and fails when a dispute is open.
     */
    static Write noOpenDispute(String playId) {
        return Write.delete(TABLE, "PLAY#" + playId, OPEN_DISPUTE_SK, Condition.itemAbsent());
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

    /**
     * The reversal of a transaction: every line negated, key {@code <key>#REV}, kind REVERSAL.
     *
     * @param original the transaction to cancel
     * @param at       posting instant of the reversal
     * @param why      description
     */
    public static LedgerTransaction reversalOf(LedgerTransaction original, Instant at, String why) {
        String key = original.idempotencyKey() + "#REV";
        List<LedgerEntry> lines = original.entries().stream().map(e -> new LedgerEntry(e.account(), -e.amountMinor(),
                e.currency(), "reversal of " + original.idempotencyKey() + ": " + e.memo())).toList();
        return new LedgerTransaction(transactionId(key), key, original.playId(),
                original.stationId(), original.ruleVersion(), at, "Reversal of " + original.idempotencyKey()
                + (why == null || why.isBlank() ? "" : ": " + why), lines, original.detectionIds(),
                original.chunkIds(), LedgerTransaction.Kind.REVERSAL, original.idempotencyKey());
    }

    /**
     * Reverses a posting (at most once: the reversal's key is unique). Refused while the play has an open
     * dispute (resolve it instead).
     *
     * @return POSTED, or ALREADY_POSTED with the earlier reversal
     * @throws IllegalArgumentException when there is no such posting or it is not a POSTING
     * @throws ConflictException        when the play has an open dispute
     */
    public PostResult reverse(String idempotencyKey, String actor, String reason, Instant at) {
        LedgerTransaction original = transaction(idempotencyKey).orElseThrow(() ->
                new IllegalArgumentException("no transaction " + idempotencyKey));
        if (original.kind() != LedgerTransaction.Kind.POSTING) {
            throw new IllegalArgumentException(idempotencyKey + " is a " + original.kind() + ", not a POSTING");
        }
        LedgerTransaction rev = reversalOf(original, at, reason);
        try {
            commit(List.of(rev), List.of(noOpenDispute(original.playId())),
                    AuditEvent.of(original.playId(), "REVERSED", actor, at, reason, List.of(rev.idempotencyKey()), null));
            return new PostResult(PostStatus.POSTED, rev);
        } catch (DuplicateKeyException e) {
            return new PostResult(PostStatus.ALREADY_POSTED, transaction(rev.idempotencyKey()).orElse(rev));
        }
    }

    /**
     * Replaces a play's active postings by a new one in one atomic change: each listed posting is reversed and the
     * replacement posted (re-rating under a new rule version). Refused while the play has an open dispute.
     *
     * @param replacement the new posting, or null to only reverse
     * @return the transactions written (reversals, then the replacement); empty when it had all been done before
     * @throws ConflictException when the play has an open dispute
     */
    public List<LedgerTransaction> replace(String playId, List<LedgerTransaction> toReverse,
                                           LedgerTransaction replacement, String actor, String reason, Instant at) {
        List<LedgerTransaction> txs = new ArrayList<>();
        for (LedgerTransaction old : toReverse) {
            txs.add(reversalOf(old, at, reason));
        }
        if (replacement != null) {
            txs.add(replacement);
        }
        if (txs.isEmpty()) {
            return List.of();
        }
        try {
            commit(txs, List.of(noOpenDispute(playId)), AuditEvent.of(playId, "RERATED", actor, at, reason,
                    txs.stream().map(LedgerTransaction::idempotencyKey).toList(), null));
            return txs;
        } catch (DuplicateKeyException e) {
            // a redelivered re-rate: keep whatever is missing (each key at most once)
            List<LedgerTransaction> remaining = txs.stream()
                    .filter(t -> transaction(t.idempotencyKey()).isEmpty()).toList();
            if (remaining.size() == txs.size()) {
                throw e;
            }
            List<LedgerTransaction> reversals = remaining.stream()
                    .filter(t -> t.kind() == LedgerTransaction.Kind.REVERSAL)
                    .map(t -> transaction(t.relatesTo()).orElseThrow()).toList();
            LedgerTransaction repl = remaining.stream().filter(t -> t.kind() == LedgerTransaction.Kind.POSTING)
                    .findFirst().orElse(null);
            return replace(playId, reversals, repl, actor, reason, at);
        }
    }

    /** The transaction posted under an idempotency key, or empty. */
    public Optional<LedgerTransaction> transaction(String idempotencyKey) {
        Item item = store.get(TABLE, "TXN#" + idempotencyKey, "TXN").orElse(null);
        return item == null || item.doc() == null ? Optional.empty()
                : Optional.of(Json.read(item.doc(), LedgerTransaction.class));
    }

    /** Every transaction of a play (postings, reversals, holds, releases), oldest first. */
    public List<LedgerTransaction> transactionsOfPlay(String playId) {
        return playPartition(playId, "TXN#").stream().map(i -> Json.read(i.doc(), LedgerTransaction.class))
                .sorted(Comparator.comparing(LedgerTransaction::postedAt).thenComparing(LedgerTransaction::idempotencyKey))
                .toList();
    }

    /** A play's POSTINGs that have not been reversed, oldest first. */
    public List<LedgerTransaction> activePostings(String playId) {
        return activePostings(transactionsOfPlay(playId));
    }

    /** The POSTINGs among {@code txs} with no REVERSAL among them. */
    public static List<LedgerTransaction> activePostings(List<LedgerTransaction> txs) {
        Set<String> reversed = new HashSet<>();
        txs.stream().filter(t -> t.kind() == LedgerTransaction.Kind.REVERSAL).forEach(t -> reversed.add(t.relatesTo()));
        return txs.stream().filter(t -> t.kind() == LedgerTransaction.Kind.POSTING
                && !reversed.contains(t.idempotencyKey())).toList();
    }

    /** The audit trail of a play, oldest first. */
    public List<AuditEvent> audit(String playId) {
        return playPartition(playId, "AUDIT#").stream().map(i -> Json.read(i.doc(), AuditEvent.class))
                .toList();
    }

    List<Item> playPartition(String playId, String skPrefix) {
        return store.queryAll(TABLE, "PLAY#" + playId, SkRange.beginsWith(skPrefix));
    }

    TableStore store() {
        return store;
    }

    /**
     * The newest transactions, newest first (by postedAt, then id), at most {@code limit}.
     * Scans the table: fine at this stage; a time-ordered index is the next step.
     */
    public List<LedgerTransaction> transactions(int limit) {
        return allTransactions().stream()
                .sorted(Comparator.comparing(LedgerTransaction::postedAt)
                        .thenComparing(LedgerTransaction::transactionId).reversed())
                .limit(Math.max(0, limit)).toList();
    }

    /** Every transaction, in no particular order (a scan; for checks and period recomputation). */
    public List<LedgerTransaction> allTransactions() {
        return store.scanAll(TABLE, Condition.eq(TableName.SK, "TXN")).stream()
                .map(i -> Json.read(i.doc(), LedgerTransaction.class)).toList();
    }

    /** Every account balance, sorted by account then currency. Scans the table (see {@link #transactions}). */
    public List<Balance> balances() {
        return store.scanAll(TABLE, Condition.beginsWith(TableName.SK, "BALANCE#")).stream()
                .map(i -> new Balance(i.str("account"), i.str("currency"), i.num("amountMinor", 0)))
                .sorted(Comparator.comparing(Balance::account).thenComparing(Balance::currency)).toList();
    }

    /** The posted lines of one account, oldest first. */
    public List<PostedEntry> entries(String account) {
        return entries(account, Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.999Z"));
    }

    /** The posted lines of one account posted in {@code [from, to)}, oldest first. */
    public List<PostedEntry> entries(String account, Instant from, Instant to) {
        return store.queryAll(TABLE, "ACCT#" + account, SkRange.between(sortable(from), sortable(to))).stream()
                .filter(i -> !i.sk().startsWith("BALANCE#"))
                .map(i -> Json.read(i.doc(), PostedEntry.class))
                .filter(e -> !e.postedAt().isBefore(from) && e.postedAt().isBefore(to)).toList();
    }

    /** Stable transaction id derived from an idempotency key: {@code t-<16 hex of SHA-256>}. */
    public static String transactionId(String idempotencyKey) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(idempotencyKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "t-" + java.util.HexFormat.of().formatHex(h).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
