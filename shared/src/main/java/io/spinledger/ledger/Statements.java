package io.spinledger.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statements derived from postings, never stored: a party's opening balance, every line posted in the period
 * and the closing balance, per currency. The party's accounts are the account itself and its held account
 * ({@code held:<account>}, money under dispute). Amounts are minor units with the ledger's sign (positive =
 * debit: what a station owes; negative = credit: what a rights holder is owed).
 */
public final class Statements {
    private final Ledger ledger;

    /** Statements over a ledger. */
    public Statements(Ledger ledger) {
        this.ledger = ledger;
    }

    /**
     * One line of a statement.
     *
     * @param postedAt       posting instant (UTC)
     * @param account        the account (the party's own or its held account)
     * @param transactionId  ledger transaction id
     * @param idempotencyKey ledger transaction key ({@code playId#ruleVersion}, {@code ...#REV}, ...)
     * @param kind           POSTING, REVERSAL, HOLD or RELEASE
     * @param playId         the play that earned it
     * @param ruleVersion    the rule version behind it
     * @param amountMinor    minor units, positive = debit
     * @param currency       ISO 4217
     * @param memo           what it is for
     */
    public record Line(Instant postedAt, String account, String transactionId, String idempotencyKey, String kind,
                       String playId, String ruleVersion, long amountMinor, String currency, String memo) {
    }

    /**
     * Totals of one currency.
     *
     * @param currency     ISO 4217
     * @param openingMinor balance before {@code from}
     * @param debitsMinor  sum of positive lines in the period
     * @param creditsMinor sum of negative lines in the period (negative or 0)
     * @param closingMinor opening + debits + credits
     */
    public record Total(String currency, long openingMinor, long debitsMinor, long creditsMinor, long closingMinor) {
    }

    /**
     * A statement.
     *
     * @param party    the account asked for (e.g. {@code society:285}, {@code station:joy-fm})
     * @param accounts the accounts included (the party's and its held account)
     * @param from     period start (inclusive)
     * @param to       period end (exclusive)
     * @param totals   per currency, sorted by code
     * @param lines    lines posted in the period, oldest first
     */
    public record Statement(String party, List<String> accounts, Instant from, Instant to, List<Total> totals,
                            List<Line> lines) {
        public Statement {
            accounts = List.copyOf(accounts);
            totals = List.copyOf(totals);
            lines = List.copyOf(lines);
        }
    }

    /**
     * The statement of a party for {@code [from, to)}, read from its accounts' postings.
     *
     * @throws IllegalArgumentException when from is not before to or the party is blank
     */
    public Statement statement(String party, Instant from, Instant to) {
        if (party == null || party.isBlank()) {
            throw new IllegalArgumentException("party is required");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        List<String> accounts = List.of(party, Disputes.HELD_PREFIX + party);
        List<Ledger.PostedEntry> entries = new ArrayList<>();
        for (String a : accounts) {
            entries.addAll(ledger.entries(a, Instant.EPOCH, to));
        }
        return build(party, accounts, from, to, entries);
    }

    /**
     * Builds a statement from posted entries (pure): entries before {@code from} make the opening balance,
     * entries in {@code [from, to)} are the lines, later ones are ignored.
     */
    public static Statement build(String party, List<String> accounts, Instant from, Instant to,
                                  List<Ledger.PostedEntry> entries) {
        Map<String, long[]> sums = new TreeMap<>(); // currency -> opening, debits, credits
        List<Line> lines = new ArrayList<>();
        for (Ledger.PostedEntry e : entries) {
            if (!accounts.contains(e.account()) || !e.postedAt().isBefore(to)) {
                continue;
            }
            long[] s = sums.computeIfAbsent(e.currency(), c -> new long[3]);
            if (e.postedAt().isBefore(from)) {
                s[0] += e.amountMinor();
                continue;
            }
            if (e.amountMinor() >= 0) {
                s[1] += e.amountMinor();
            } else {
                s[2] += e.amountMinor();
            }
            lines.add(new Line(e.postedAt(), e.account(), e.transactionId(), e.idempotencyKey(),
                    e.kind() == null ? "POSTING" : e.kind().name(), e.playId(), e.ruleVersion(), e.amountMinor(),
                    e.currency(), e.memo()));
        }
        lines.sort(Comparator.comparing(Line::postedAt).thenComparing(Line::transactionId)
                .thenComparing(Line::account));
        List<Total> totals = new ArrayList<>();
        sums.forEach((c, s) -> totals.add(new Total(c, s[0], s[1], s[2], s[0] + s[1] + s[2])));
        return new Statement(party, accounts, from, to, totals, lines);
    }

    /** Columns of {@link #csv}, in order (documented in docs/statements-and-exports.md). */
    public static final List<String> CSV_COLUMNS = List.of("postedAt", "account", "transactionId",
            "idempotencyKey", "kind", "playId", "ruleVersion", "amountMinor", "currency", "memo");

    /** The statement's lines as RFC 4180 CSV (header row, CRLF line ends). */
    public static String csv(Statement st) {
        StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (Line l : st.lines()) {
            io.spinledger.report.Csv.row(sb, List.of(l.postedAt(), l.account(), l.transactionId(), l.idempotencyKey(), l.kind(),
                    l.playId(), l.ruleVersion(), l.amountMinor(), l.currency(), l.memo()));
        }
        return sb.toString();
    }
}
