package io.spinledger.domain;

import java.time.Instant;
import java.util.List;

/**
 * A balanced double-entry transaction. Append-only: corrections are new (reversing) transactions.
 *
 * @param transactionId  stable id
 * @param idempotencyKey play id + "#" + rule version: posted at most once
 * @param playId         the play that earned it
 * @param stationId      the station charged
 * @param ruleVersion    the rate card version applied
 * @param postedAt       when it was posted
 * @param description    human-readable summary
 * @param entries        lines, summing to zero per currency
 * @param detectionIds   the detections behind the play (evidence)
 * @param chunkIds       the chunks behind the play (evidence)
 */
public record LedgerTransaction(String transactionId, String idempotencyKey, String playId, String stationId,
                                String ruleVersion, Instant postedAt, String description, List<LedgerEntry> entries,
                                List<String> detectionIds, List<String> chunkIds) {
    public LedgerTransaction {
        entries = List.copyOf(entries);
        detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
    }

    /** True when the entries add up to zero in every currency. */
    public boolean isBalanced() {
        return entries.stream().collect(java.util.stream.Collectors.groupingBy(LedgerEntry::currency,
                java.util.stream.Collectors.summingLong(LedgerEntry::amountMinor))).values().stream()
                .allMatch(sum -> sum == 0L);
    }
}
