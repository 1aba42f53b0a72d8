package io.spinledger.ledger;

import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.json.Json;
import io.spinledger.ports.Condition;
import io.spinledger.ports.Item;
import io.spinledger.ports.Write;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Disputes of a play's royalty. Opening one moves the credits of the play's active postings to held accounts
 * ({@code held:<account>}, HOLD transactions {@code <postingKey>#HOLD#<disputeId>}); resolving it either
 * releases them (RELEASE transactions {@code <holdKey>#RELEASE}: the money returns to its accounts) or reverses
 * the postings from the held accounts (REVERSAL {@code <postingKey>#REV}: the station's charge is cancelled).
 * Each step is one store transaction with its audit record; at most one dispute per play is open (marker
 * item {@code PLAY#<playId>} / {@code DISPUTE_OPEN}), and while it is open the play cannot be reversed or
 * re-rated. Dispute records: pk {@code PLAY#<playId>}, sk {@code DISPUTE#<disputeId>}.
 */
public final class Disputes {
    /** Prefix of the account that holds a disputed credit of {@code <account>}. */
    public static final String HELD_PREFIX = "held:";

    private final Ledger ledger;

    /** Disputes on a ledger. */
    public Disputes(Ledger ledger) {
        this.ledger = ledger;
    }

    /** State of a dispute. */
    public enum Status { OPEN, RELEASED, REVERSED }

    /** How a dispute is resolved. */
    public enum Outcome {
        /** The claim failed: held money goes back to its accounts. */
        RELEASE,
        /** The claim succeeded: the postings are reversed (the station is not charged). */
        REVERSE
    }

    /**
     * A dispute.
     *
     * @param disputeId    stable id ({@code dsp-<16 hex>})
     * @param playId       the play disputed
     * @param stationId    its station (from its postings; null when it had none)
     * @param reason       why it was opened
     * @param openedBy     who opened it
     * @param openedAt     when
     * @param status       OPEN, RELEASED or REVERSED
     * @param holdKeys     keys of the HOLD transactions written when it opened
     * @param heldMinor    minor units moved to held accounts
     * @param resolvedBy   who resolved it, or null
     * @param resolvedAt   when, or null
     * @param resolution   why it was resolved so, or null
     */
    public record Dispute(String disputeId, String playId, String stationId, String reason, String openedBy,
                          Instant openedAt, Status status, List<String> holdKeys, long heldMinor, String resolvedBy,
                          Instant resolvedAt, String resolution) {
        public Dispute {
            holdKeys = holdKeys == null ? List.of() : List.copyOf(holdKeys);
        }
    }

    /** Thrown when a dispute cannot change state (one already open, not open any more, unknown). */
    public static final class DisputeStateException extends RuntimeException {
        /** @param message what is wrong */
        public DisputeStateException(String message) {
            super(message);
        }
    }

    /**
     * Opens a dispute and holds the play's active postings.
     *
     * @param playId the play
     * @param reason why (required)
     * @param actor  who
     * @param at     when
     * @return the open dispute
     * @throws IllegalArgumentException  for a blank reason
     * @throws DisputeStateException     when a dispute of the play is already open
     */
    public Dispute open(String playId, String reason, String actor, Instant at) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a dispute needs a reason");
        }
        Optional<Dispute> current = openDispute(playId);
        if (current.isPresent()) {
            throw new DisputeStateException("play " + playId + " already has open dispute " + current.get().disputeId());
        }
        String disputeId = "dsp-" + hash(playId + "|" + at + "|" + actor + "|" + reason);
        List<LedgerTransaction> holds = new ArrayList<>();
        String stationId = null;
        for (LedgerTransaction p : ledger.activePostings(playId)) {
            stationId = p.stationId();
            List<LedgerEntry> lines = new ArrayList<>();
            for (LedgerEntry e : p.entries()) {
                if (e.amountMinor() < 0) {
                    lines.add(new LedgerEntry(e.account(), -e.amountMinor(), e.currency(), "held by dispute " + disputeId));
                    lines.add(new LedgerEntry(HELD_PREFIX + e.account(), e.amountMinor(), e.currency(),
                            "held by dispute " + disputeId + ": " + reason));
                }
            }
            String key = p.idempotencyKey() + "#HOLD#" + disputeId;
            holds.add(new LedgerTransaction(Ledger.transactionId(key), key, playId, p.stationId(), p.ruleVersion(), at,
                    "Dispute " + disputeId + " holds " + p.idempotencyKey() + ": " + reason, lines, p.detectionIds(),
                    p.chunkIds(), LedgerTransaction.Kind.HOLD, p.idempotencyKey()));
        }
        long held = holds.stream().mapToLong(LedgerTransaction::debitTotalMinor).sum();
        Dispute dispute = new Dispute(disputeId, playId, stationId, reason, actor, at, Status.OPEN,
                holds.stream().map(LedgerTransaction::idempotencyKey).toList(), held, null, null, null);
        Item marker = Item.of("PLAY#" + playId, Ledger.OPEN_DISPUTE_SK).with("disputeId", disputeId);
        List<Write> extra = List.of(
                Write.put(Ledger.TABLE, marker, Condition.itemAbsent()),
                Write.put(Ledger.TABLE, disputeItem(dispute), Condition.itemAbsent()));
        try {
            ledger.commit(holds, extra, AuditEvent.of(playId, "DISPUTE_OPENED", actor, at, reason,
                    dispute.holdKeys(), disputeId));
        } catch (Ledger.ConflictException | Ledger.DuplicateKeyException e) {
            throw new DisputeStateException("play " + playId + " changed while opening the dispute (" + e.getMessage()
                    + "); it may already have an open dispute");
        }
        return dispute;
    }

    /**
     * Resolves an open dispute: RELEASE returns the held money, REVERSE reverses the held postings. Repeating
     * the same resolution returns the resolved dispute unchanged.
     *
     * @throws DisputeStateException when there is no such dispute or it was resolved differently
     * @throws IllegalArgumentException for a blank reason or missing outcome
     */
    public Dispute resolve(String playId, String disputeId, Outcome outcome, String reason, String actor, Instant at) {
        if (outcome == null || reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("resolving a dispute needs an outcome and a reason");
        }
        Dispute d = dispute(playId, disputeId).orElseThrow(() ->
                new DisputeStateException("play " + playId + " has no dispute " + disputeId));
        Status target = outcome == Outcome.RELEASE ? Status.RELEASED : Status.REVERSED;
        if (d.status() != Status.OPEN) {
            if (d.status() == target) {
                return d;
            }
            throw new DisputeStateException("dispute " + disputeId + " was already resolved: " + d.status());
        }
        List<LedgerTransaction> txs = new ArrayList<>();
        for (String holdKey : d.holdKeys()) {
            LedgerTransaction hold = ledger.transaction(holdKey).orElseThrow(() ->
                    new IllegalStateException("hold " + holdKey + " of dispute " + disputeId + " is missing"));
            if (outcome == Outcome.RELEASE) {
                String key = holdKey + "#RELEASE";
                List<LedgerEntry> lines = hold.entries().stream().map(e -> new LedgerEntry(e.account(),
                        -e.amountMinor(), e.currency(), "released by dispute " + disputeId + ": " + reason)).toList();
                txs.add(new LedgerTransaction(Ledger.transactionId(key), key, playId, hold.stationId(),
                        hold.ruleVersion(), at, "Dispute " + disputeId + " released " + hold.relatesTo() + ": " + reason,
                        lines, hold.detectionIds(), hold.chunkIds(), LedgerTransaction.Kind.RELEASE, holdKey));
            } else {
                LedgerTransaction posting = ledger.transaction(hold.relatesTo()).orElseThrow();
                Map<String, Long> net = new TreeMap<>(); // account \n currency -> posting + hold
                for (LedgerEntry e : posting.entries()) {
                    net.merge(e.account() + "\n" + e.currency(), e.amountMinor(), Long::sum);
                }
                for (LedgerEntry e : hold.entries()) {
                    net.merge(e.account() + "\n" + e.currency(), e.amountMinor(), Long::sum);
                }
                List<LedgerEntry> lines = new ArrayList<>();
                net.forEach((k, v) -> {
                    if (v != 0) {
                        String[] p = k.split("\n", 2);
                        lines.add(new LedgerEntry(p[0], -v, p[1], "reversed by dispute " + disputeId + ": " + reason));
                    }
                });
                String key = posting.idempotencyKey() + "#REV";
                txs.add(new LedgerTransaction(Ledger.transactionId(key), key, playId, posting.stationId(),
                        posting.ruleVersion(), at, "Dispute " + disputeId + " upheld, reversal of "
                        + posting.idempotencyKey() + ": " + reason, lines, posting.detectionIds(), posting.chunkIds(),
                        LedgerTransaction.Kind.REVERSAL, posting.idempotencyKey()));
            }
        }
        Dispute resolved = new Dispute(d.disputeId(), d.playId(), d.stationId(), d.reason(), d.openedBy(),
                d.openedAt(), target, d.holdKeys(), d.heldMinor(), actor, at, reason);
        List<Write> extra = List.of(
                Write.delete(Ledger.TABLE, "PLAY#" + playId, Ledger.OPEN_DISPUTE_SK,
                        Condition.eq("disputeId", disputeId)),
                Write.put(Ledger.TABLE, disputeItem(resolved), Condition.eq("status", Status.OPEN.name())));
        try {
            ledger.commit(txs, extra, AuditEvent.of(playId, "DISPUTE_" + target.name(), actor, at, reason,
                    txs.stream().map(LedgerTransaction::idempotencyKey).toList(), disputeId));
        } catch (Ledger.ConflictException | Ledger.DuplicateKeyException e) {
            Dispute now = dispute(playId, disputeId).orElseThrow();
            if (now.status() == target) {
                return now; // a concurrent identical resolution won
            }
            throw new DisputeStateException("dispute " + disputeId + " changed while resolving: " + now.status());
        }
        return resolved;
    }

    /** A dispute by id. */
    public Optional<Dispute> dispute(String playId, String disputeId) {
        Item item = ledger.store().get(Ledger.TABLE, "PLAY#" + playId, "DISPUTE#" + disputeId).orElse(null);
        return item == null || item.doc() == null ? Optional.empty()
                : Optional.of(Json.read(item.doc(), Dispute.class));
    }

    /** Every dispute of a play, by id. */
    public List<Dispute> disputes(String playId) {
        return ledger.playPartition(playId, "DISPUTE#").stream()
                .map(i -> Json.read(i.doc(), Dispute.class)).toList();
    }

    /** The play's open dispute, if any. */
    public Optional<Dispute> openDispute(String playId) {
        return disputes(playId).stream().filter(d -> d.status() == Status.OPEN).findFirst();
    }

    private static Item disputeItem(Dispute d) {
        return Item.doc("PLAY#" + d.playId(), "DISPUTE#" + d.disputeId(), Json.write(d))
                .with("status", d.status().name());
    }

    private static String hash(String basis) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
