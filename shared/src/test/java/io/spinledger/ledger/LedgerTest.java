package io.spinledger.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.testing.TestTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static TestTables env;
    private static Ledger ledger;

    @BeforeAll
    static void start() {
        env = TestTables.start();
        ledger = env.ledger();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void aPostingBalancesToZeroAndIsReadableByItsKey() {
        LedgerTransaction tx = tx("k-balance", T0, "station:s1", 300, "society:348", -200, "suspense", -100);

        assertThat(ledger.post(tx).status()).isEqualTo(Ledger.PostStatus.POSTED);

        assertThat(ledger.transaction("k-balance")).contains(tx);
        assertThat(ledger.transaction("k-missing")).isEmpty();
        assertThat(ledger.balances().stream().mapToLong(Ledger.Balance::amountMinor).sum()).isZero();
        assertThat(ledger.entries("station:s1")).singleElement()
                .satisfies(e -> assertThat(e.amountMinor()).isEqualTo(300));
    }

    @Test
    void postingTheSameKeyTwiceAddsNothing() {
        LedgerTransaction tx = tx("k-twice", T0, "station:s2", 450, "society:052", -450);
        ledger.post(tx);
        List<Ledger.Balance> before = ledger.balances();

        Ledger.PostResult again = ledger.post(tx("k-twice", T0.plusSeconds(60), "station:s2", 450, "society:052", -450));

        assertThat(again.status()).isEqualTo(Ledger.PostStatus.ALREADY_POSTED);
        assertThat(again.transaction()).isEqualTo(tx);
        assertThat(ledger.balances()).isEqualTo(before);
        assertThat(ledger.entries("station:s2")).hasSize(1);
    }

    @Test
    void balancesEqualTheSumOfTheEntries() {
        ledger.post(tx("k-sum-1", T0, "station:s3", 100, "society:777", -60, "suspense", -40));
        ledger.post(tx("k-sum-2", T0.plusSeconds(1), "station:s3", 33, "society:777", -33));
        // two lines on one account in one transaction: one balance update
        ledger.post(tx("k-sum-3", T0.plusSeconds(2), "station:s3", 10, "society:777", -5, "society:777", -5));

        Map<String, Long> balances = ledger.balances().stream()
                .collect(Collectors.toMap(Ledger.Balance::account, Ledger.Balance::amountMinor));
        for (var b : ledger.balances()) {
            assertThat(ledger.entries(b.account()).stream().mapToLong(Ledger.PostedEntry::amountMinor).sum())
                    .as(b.account()).isEqualTo(b.amountMinor());
        }
        assertThat(balances).containsEntry("station:s3", 143L).containsEntry("society:777", -103L);
        assertThat(ledger.balances().stream().mapToLong(Ledger.Balance::amountMinor).sum()).isZero();
    }

    @Test
    void unbalancedOrEmptyTransactionsAreRefused() {
        assertThatThrownBy(() -> ledger.post(tx("k-bad", T0, "station:s4", 100, "society:348", -99)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not balanced");
        assertThatThrownBy(() -> ledger.post(tx("k-empty", T0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no entries");
        assertThat(ledger.transaction("k-bad")).isEmpty();
        assertThat(ledger.entries("station:s4")).isEmpty();
    }

    @Test
    void transactionsListsNewestFirst() {
        ledger.post(tx("k-new-1", T0.plusSeconds(3_600), "station:s5", 1, "suspense", -1));
        ledger.post(tx("k-new-2", T0.plusSeconds(7_200), "station:s5", 2, "suspense", -2));

        assertThat(ledger.transactions(2)).extracting(LedgerTransaction::idempotencyKey)
                .containsExactly("k-new-2", "k-new-1");
    }

    private static LedgerTransaction tx(String key, Instant at, Object... accountAndAmount) {
        List<LedgerEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < accountAndAmount.length; i += 2) {
            entries.add(new LedgerEntry((String) accountAndAmount[i], ((Number) accountAndAmount[i + 1]).longValue(),
                    "GHS", "test line " + i / 2));
        }
        return new LedgerTransaction("t-" + key, key, "p-" + key, "s", "gh-2026.1", at, "test " + key, entries,
                List.of("d1"), List.of("c1"));
    }
}
