package io.spinledger.domain;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A balanced double-entry transaction. Append-only: corrections are new (reversing) transactions.
 *
 * @param transactionId  stable id
 * @param idempotencyKey posted at most once: {@code <playId>#<ruleVersion>} for a posting,
 *                       {@code <key>#REV} for its reversal, {@code <key>#HOLD#<disputeId>} for a dispute hold and
 *                       {@code <holdKey>#RELEASE} for its release
 * @param playId         the play that earned it
 * @param stationId      the station charged
 * @param ruleVersion    the rate card version applied
 * @param postedAt       when it was posted
 * @param description    human-readable summary
 * @param entries        lines, summing to zero per currency
 * @param detectionIds   the detections behind the play (evidence)
 * @param chunkIds       the chunks behind the play (evidence)
 * @param kind           what it is (null in documents written before kinds existed = POSTING)
 * @param relatesTo      for REVERSAL, HOLD and RELEASE: the idempotency key of the transaction it acts on
 */
public record LedgerTransaction(String transactionId, String idempotencyKey, String playId, String stationId,
                                String ruleVersion, Instant postedAt, String description, List<LedgerEntry> entries,
                                List<String> detectionIds, List<String> chunkIds, Kind kind, String relatesTo) {
    /** What a transaction does. */
    public enum Kind {
        /** A play's royalty under one rule version: debit the station, credit the rights holders. */
        POSTING,
        /** Cancels a posting exactly (re-rating, an upheld dispute). */
        REVERSAL,
        /** Moves a disputed posting's credits to {@code held:<account>}. */
        HOLD,
        /** Moves held credits back to their accounts (dispute rejected). */
        RELEASE
    }

    public LedgerTransaction {
        entries = List.copyOf(entries);
        detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
        kind = kind == null ? Kind.POSTING : kind;
    }

    /** A POSTING (the shape before kinds existed). */
    public LedgerTransaction(String transactionId, String idempotencyKey, String playId, String stationId,
                             String ruleVersion, Instant postedAt, String description, List<LedgerEntry> entries,
                             List<String> detectionIds, List<String> chunkIds) {
        this(transactionId, idempotencyKey, playId, stationId, ruleVersion, postedAt, description, entries,
                detectionIds, chunkIds, Kind.POSTING, null);
    }

    /** True when the entries add up to zero in every currency. */
    public boolean isBalanced() {
        return entries.stream().collect(Collectors.groupingBy(LedgerEntry::currency,
                Collectors.summingLong(LedgerEntry::amountMinor))).values().stream().allMatch(sum -> sum == 0L);
    }

    /** Sum of the positive (debit) lines, minor units (per transaction; all lines share one currency here). */
    public long debitTotalMinor() {
        return entries.stream().mapToLong(LedgerEntry::amountMinor).filter(a -> a > 0).sum();
    }
}
