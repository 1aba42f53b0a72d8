package io.spinledger.domain;

/**
 * One line of a ledger transaction. Positive amounts are debits, negative are credits; the entries of a
 * transaction add up to zero.
 *
 * @param account     account id, e.g. {@code station:radio-1}, {@code society:010}
 * @param amountMinor amount in minor units of {@code currency} (e.g. pesewas)
 * @param currency    ISO 4217 code
 * @param memo        what the line is for
 */
public record LedgerEntry(String account, long amountMinor, String currency, String memo) {
}
