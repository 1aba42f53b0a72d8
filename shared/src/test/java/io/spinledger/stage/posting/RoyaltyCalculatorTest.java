package io.spinledger.stage.posting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.domain.Detection;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Station;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoyaltyCalculatorTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Station CLASS_A = new Station("joy-fm", "Joy FM", null, "GH", "A", "GHS", "Africa/Accra", T0);
    private final RoyaltyCalculator calculator = new RoyaltyCalculator(RateCard.ghanaDefault());

    @Test
    void twoHundredSecondsOnAClassAStationIsThreeCediOrThreeHundredPesewas() {
        assertThat(calculator.amountMinor(200_000, "A")).isEqualTo(300); // 200 s x 0.015 GHS = 3.00 GHS
        assertThat(calculator.amountMinor(200_000, "community")).isEqualTo(100); // 200 x 0.005 = 1.00
        assertThat(calculator.amountMinor(31_000, "C")).isEqualTo(25); // 31 x 0.008 = 0.248 -> 0.25
    }

    @Test
    void theDefaultSettingsDescribeTheGhanaRateCard() {
        assertThat(RateCard.from(io.spinledger.config.Settings.load(name -> null).royalty()))
                .isEqualTo(RateCard.ghanaDefault());
    }

    @Test
    void roundsHalfEvenToTheMinorUnit() {
        assertThat(calculator.amountMinor(25_000, "COMMUNITY")).isEqualTo(12); // 0.125 -> 0.12
        assertThat(calculator.amountMinor(27_000, "COMMUNITY")).isEqualTo(14); // 0.135 -> 0.14
    }

    @Test
    void aThreeWaySplitOfAnOddAmountLosesNoPesewa() {
        ProMapping mapping = mapping("348", "33.33", "349", "33.33", "052", "33.34");

        Map<String, Long> parts = RoyaltyCalculator.split(301, mapping);

        // exact 100.3233 / 100.3233 / 100.3534: floors 300, the last pesewa to the largest remainder
        assertThat(parts).containsExactlyInAnyOrderEntriesOf(Map.of(
                "society:348", 100L, "society:349", 100L, "society:052", 101L));
        for (long amount = 0; amount < 1_000; amount++) {
            assertThat(RoyaltyCalculator.split(amount, mapping).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(amount);
        }
    }

    @Test
    void noMappingAnUnmappedSocietyOrAnIncompleteMappingGoesToSuspense() {
        assertThat(RoyaltyCalculator.split(300, null)).containsExactlyEntriesOf(Map.of("suspense", 300L));
        assertThat(RoyaltyCalculator.split(300, new ProMapping(List.of(), true)))
                .containsExactlyEntriesOf(Map.of("suspense", 300L));
        assertThat(RoyaltyCalculator.split(300, mapping("348", "50", "", "50")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("society:348", 150L, "suspense", 150L));
        assertThat(RoyaltyCalculator.split(300, mapping("348", "75")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("society:348", 225L, "suspense", 75L));
        assertThat(RoyaltyCalculator.split(300, mapping("348", "75", "349", "75")))
                .containsExactlyEntriesOf(Map.of("suspense", 300L));
    }

    @Test
    void aPaidPlayBecomesABalancedTransactionLinkedToItsEvidence() {
        Play play = play("p-0000000000001-aaaaaaaaaaaa", 200_000, mapping("348", "33.33", "349", "33.33", "052", "33.34"));

        LedgerTransaction tx = calculator.calculate(play, CLASS_A, T0).orElseThrow();

        assertThat(tx.isBalanced()).isTrue();
        assertThat(tx.idempotencyKey()).isEqualTo(play.playId() + "#gh-2026.1");
        assertThat(tx.transactionId()).isEqualTo(RoyaltyCalculator.transactionId(tx.idempotencyKey()));
        assertThat(tx.playId()).isEqualTo(play.playId());
        assertThat(tx.detectionIds()).containsExactly("d1", "d2");
        assertThat(tx.chunkIds()).containsExactly("c1", "c2");
        assertThat(tx.entries()).extracting(LedgerEntry::account, LedgerEntry::amountMinor, LedgerEntry::currency)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("station:joy-fm", 300L, "GHS"),
                        org.assertj.core.groups.Tuple.tuple("society:052", -100L, "GHS"),
                        org.assertj.core.groups.Tuple.tuple("society:348", -100L, "GHS"),
                        org.assertj.core.groups.Tuple.tuple("society:349", -100L, "GHS"));
    }

    @Test
    void aTwentySecondPlayIsNotPaid() {
        assertThat(calculator.calculate(play("p-0000000000001-bbbbbbbbbbbb", 20_000, null), CLASS_A, T0)).isEmpty();
        assertThat(calculator.calculate(play("p-0000000000001-bbbbbbbbbbbb", 30_000, null), CLASS_A, T0))
                .get().extracting(t -> t.entries().get(0).amountMinor()).isEqualTo(45L);
    }

    @Test
    void refusesUnknownClassesAndForeignCurrencies() {
        Play play = play("p-0000000000001-cccccccccccc", 60_000, null);
        Station noClass = new Station("x", "X", null, "GH", "Z", "GHS", "Africa/Accra", T0);
        Station dollars = new Station("y", "Y", null, "US", "A", "USD", "America/New_York", T0);
        assertThatThrownBy(() -> calculator.calculate(play, noClass, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("station class Z");
        assertThatThrownBy(() -> calculator.calculate(play, dollars, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USD");
    }

    static ProMapping mapping(String... codeAndPercent) {
        List<SocietyShare> shares = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < codeAndPercent.length; i += 2) {
            shares.add(new SocietyShare(codeAndPercent[i], null, new BigDecimal(codeAndPercent[i + 1]), null,
                    "composer", "DECLARED", 1.0));
        }
        return new ProMapping(shares, false);
    }

    private static Play play(String playId, long durationMs, ProMapping mapping) {
        return new Play(playId, "joy-fm", "trk_a", "Song", List.of("Artist"), null, T0, T0.plusMillis(durationMs),
                durationMs, 0.9, Detection.Source.LOCAL, true, Play.Status.CLOSED, List.of("d1", "d2"),
                List.of("c1", "c2"), null, mapping, T0);
    }
}
