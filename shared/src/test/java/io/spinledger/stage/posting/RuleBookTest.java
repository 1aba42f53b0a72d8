package io.spinledger.stage.posting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.domain.Detection;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Station;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Worked examples of the bundled rules, checked to the minor unit. */
class RuleBookTest {
    private static final RuleBook BOOK = RuleBook.bundled();
    private static final RoyaltyCalculator CALC = new RoyaltyCalculator(BOOK);

    @Test
    void theVersionIsChosenByThePlaysStartInstant() {
        assertThat(BOOK.versions()).extracting(RateCard::ruleVersion)
                .containsExactly("gh-2026.1", "gh-2026.2", "gh-2027.1");
        assertThat(BOOK.forInstant(Instant.parse("2026-03-02T10:00:00Z")).ruleVersion()).isEqualTo("gh-2026.1");
        assertThat(BOOK.forInstant(Instant.parse("2026-06-30T23:59:59.999Z")).ruleVersion()).isEqualTo("gh-2026.1");
        assertThat(BOOK.forInstant(Instant.parse("2026-07-01T00:00:00Z")).ruleVersion()).isEqualTo("gh-2026.2");
        assertThat(BOOK.forInstant(Instant.parse("2031-01-01T00:00:00Z")).ruleVersion()).isEqualTo("gh-2027.1");
        RateCard first = BOOK.version("gh-2026.1").orElseThrow();
        assertThat(first.ratePerSecond()).isEqualTo(RateCard.ghanaDefault().ratePerSecond());
        assertThat(first.minPaidDurationMs()).isEqualTo(RateCard.ghanaDefault().minPaidDurationMs());
    }

    @Test
    void onlyVersionsNotYetInForceRateProRataByDaypart() {
        // gh-2026.1 and gh-2026.2 were in force (and posted under) by 2026-12-03: their files say nothing, which
        // means START, the meaning they were posted with. gh-2027.1, from 2027-01-01, is the first PRO_RATA.
        Instant cutOverDecided = Instant.parse("2026-12-03T00:00:00Z");
        for (RateCard card : BOOK.versions()) {
            boolean usedForPostings = card.effectiveFrom() == null || card.effectiveFrom().isBefore(cutOverDecided);
            assertThat(card.daypartRating()).as(card.ruleVersion())
                    .isEqualTo(usedForPostings ? RateCard.DaypartRating.START : RateCard.DaypartRating.PRO_RATA);
        }
        assertThat(BOOK.version("gh-2027.1").orElseThrow().effectiveFrom()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(RateCard.ghanaDefault().daypartRating()).isEqualTo(RateCard.DaypartRating.START);
    }

    @Test
    void aCardReadsItsDaypartRatingAsDataStartWhenAbsent() {
        String card = "{\"ruleVersion\":\"x-1\",\"currency\":\"GHS\",\"ratePerSecond\":{\"A\":\"0.015\"},"
                + "\"minPaidDurationMs\":30000%s}";
        assertThat(read(card.formatted("")).daypartRating()).isEqualTo(RateCard.DaypartRating.START);
        assertThat(read(card.formatted(",\"daypartRating\":null")).daypartRating())
                .isEqualTo(RateCard.DaypartRating.START);
        assertThat(read(card.formatted(",\"daypartRating\":\"START\"")).daypartRating())
                .isEqualTo(RateCard.DaypartRating.START);
        assertThat(read(card.formatted(",\"daypartRating\":\"PRO_RATA\"")).daypartRating())
                .isEqualTo(RateCard.DaypartRating.PRO_RATA);
        assertThatThrownBy(() -> read(card.formatted(",\"daypartRating\":\"BY_END\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid rate card")
                .hasMessageContaining("PRO_RATA");
    }

    private static RateCard read(String json) {
        return RateCard.read(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void overlappingPeriodsAreRefused() {
        RateCard a = BOOK.version("gh-2026.2").orElseThrow();
        RateCard b = new RateCard("x-1", "GHS", Map.of("A", BigDecimal.ONE), 0, Instant.parse("2026-12-01T00:00:00Z"),
                null, Map.of(), List.of(), Map.of(), null, null, null, 5, "overlaps gh-2026.2");
        assertThatThrownBy(() -> RuleBook.of(List.of(a, b))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapping");
    }

    @Test
    void classAPrimeTime200SecondsIs450PesewasAndGhamroKeepsTenPercent() {
        // 07:00 in Accra (UTC+0) is prime: 200 s x 0.015 GHS/s x 1.5 = 4.50 GHS = 450 pesewas
        Play play = play("p-prime", "2026-08-03T07:00:00Z", 200_000, 0.9, mapping("285", "100"), null);

        LedgerTransaction tx = CALC.calculate(play, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        assertThat(tx.ruleVersion()).isEqualTo("gh-2026.2");
        assertThat(tx.idempotencyKey()).isEqualTo("p-prime#gh-2026.2");
        assertThat(lines(tx)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "station:s", 450L, "fees:285", -45L, "society:285", -405L)); // local fee 10 %
        assertThat(CALC.rate(play, station("A", "Africa/Accra")).daypart()).isEqualTo("PRIME");
    }

    @Test
    void aForeignShareReachesItsSocietyThroughTheReciprocalAgreementAfterFifteenPercent() {
        Play play = play("p-mixed", "2026-08-03T07:00:00Z", 200_000, 0.9, mapping("052", "50", "285", "50"), null);

        LedgerTransaction tx = CALC.calculate(play, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        // PRS 225 x 0.85 = 191.25; GHAMRO 225 x 0.90 = 202.5; fees 33.75 + 22.5 = 56.25 -> 191 + 56 + 202 = 449,
        // the last pesewa to the largest remainder (0.5, society:285)
        assertThat(lines(tx)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "station:s", 450L, "society:052", -191L, "fees:285", -56L, "society:285", -203L));
    }

    @Test
    void daypartsAreTheStationsLocalTime() {
        // regular 10:00 Accra: 200 x 0.015 = 3.00; off-peak 02:00: 200 x 0.015 x 0.7 = 2.10
        assertThat(amount("2026-08-03T10:00:00Z", 200_000, "A", "Africa/Accra")).isEqualTo(300);
        assertThat(amount("2026-08-03T02:00:00Z", 200_000, "A", "Africa/Accra")).isEqualTo(210);
        assertThat(amount("2026-08-03T16:00:00Z", 200_000, "A", "Africa/Accra")).isEqualTo(450);
        assertThat(amount("2026-08-03T20:00:00Z", 200_000, "A", "Africa/Accra")).isEqualTo(300);
        // 05:30 UTC is 06:30 in London (BST): prime there, off-peak in Accra. Class B: 100 x 0.012 x 1.3 = 1.56
        assertThat(amount("2026-08-03T05:30:00Z", 100_000, "B", "Europe/London")).isEqualTo(156);
        assertThat(amount("2026-08-03T05:30:00Z", 100_000, "B", "Africa/Accra")).isEqualTo(96); // x 0.8
        // community is flat: 200 x 0.005 = 1.00 at any hour
        assertThat(amount("2026-08-03T07:00:00Z", 200_000, "COMMUNITY", "Africa/Accra")).isEqualTo(100);
    }

    @Test
    void neighbouringRightsAndTheFeatureTestFrom2027() {
        Recording rec = new Recording("GHA012700001", "Song", List.of("Ama", "Kofi"), "Album", "Label One", null, null,
                List.of(), Map.of());
        // regular 11:00, 200 s, class A: 300; half neighbouring (label 75, performers 37.5 + 37.5), half performing
        // (GHAMRO 150: fee 15, society 135)
        Play play = play("p-nr", "2027-02-01T11:00:00Z", 200_000, 0.9, mapping("285", "100"), rec);

        LedgerTransaction tx = CALC.calculate(play, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        assertThat(tx.ruleVersion()).isEqualTo("gh-2027.1");
        assertThat(lines(tx)).containsExactlyInAnyOrderEntriesOf(Map.of("station:s", 300L, "label:Label One", -75L,
                "performer:Ama", -38L, "performer:Kofi", -37L, "fees:285", -15L, "society:285", -135L));
        // 45 s is paid (>= 30 s) but is no feature performance (< 60 s): 45 x 0.015 = 0.675 x 0.5 = 0.3375 -> 34
        Play shortPlay = play("p-short", "2027-02-01T11:00:00Z", 45_000, 0.9, mapping("285", "100"), rec);
        assertThat(CALC.rate(shortPlay, station("A", "Africa/Accra")).amountMinor()).isEqualTo(34);
        // talked over (low confidence proxy, or said so explicitly): half
        Play talkedOver = play("p-talk", "2027-02-01T11:00:00Z", 200_000, 0.3, null, rec);
        assertThat(CALC.rate(talkedOver, station("A", "Africa/Accra")).amountMinor()).isEqualTo(150);
        assertThat(CALC.rate(play, station("A", "Africa/Accra"), false).amountMinor()).isEqualTo(150);
        // no label, no artists, no mapping: everything waits in suspense
        Play unknown = play("p-unknown", "2027-02-01T11:00:00Z", 200_000, 0.9, null, null);
        assertThat(lines(CALC.calculate(unknown, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("station:s", 300L, "suspense", -300L));
    }

    @Test
    void playsUnderTheMinimumAreNotPaid() {
        assertThat(CALC.calculate(play("p-jingle", "2026-08-03T07:00:00Z", 29_999, 0.9, null, null),
                station("A", "Africa/Accra"), Instant.EPOCH)).isEmpty();
    }

    @Test
    void conversionsGoThroughTheDatedTableAndKeepEveryUnit() {
        FxTable fx = FxTable.bundled();
        // 4.50 GHS at 0.0625 USD/GHS (from 2026-07-01) = 0.28125 -> 0.28 USD
        assertThat(fx.convertMinor(450, "GHS", "USD", LocalDate.parse("2026-08-01"))).isEqualTo(28);
        assertThat(fx.convertMinor(450, "GHS", "USD", LocalDate.parse("2026-03-01"))).isEqualTo(29); // 0.0650
        Map<String, Long> parts = fx.convertAll(Map.of("a", 405L, "b", 45L), "GHS", "USD", LocalDate.parse("2026-08-01"));
        assertThat(parts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(28);
        assertThatThrownBy(() -> fx.convertMinor(1, "USD", "GHS", LocalDate.parse("2025-12-31")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no USD->GHS rate");
    }

    @Test
    void aHybridBlanketLicenceSharesSixtyPercentEquallyAndFortyByAirplay() {
        List<Play> plays = List.of(
                play("p-1", "2026-03-02T10:00:00Z", 200_000, 0.9, mapping("285", "100"), null),
                play("p-2", "2026-03-02T11:00:00Z", 100_000, 0.9, null, null),
                play("p-3", "2026-03-02T12:00:00Z", 20_000, 0.9, mapping("285", "100"), null)); // too short

        BlanketDistribution.Result r = BlanketDistribution.hybrid(100_000, new BigDecimal("60"),
                List.of("member:a", "member:b", "member:c"), plays, BOOK);

        assertThat(r.equalPartMinor()).isEqualTo(60_000);
        assertThat(r.airplayPartMinor()).isEqualTo(40_000);
        // 40 000 x 200/300 = 26 666.67 and 13 333.33: the leftover unit to the larger remainder
        assertThat(r.byPlay()).containsExactlyInAnyOrderEntriesOf(Map.of("p-1", 26_667L, "p-2", 13_333L));
        assertThat(r.byAccount()).containsExactlyInAnyOrderEntriesOf(Map.of("member:a", 20_000L,
                "member:b", 20_000L, "member:c", 20_000L, "society:285", 26_667L, "suspense", 13_333L));
        BlanketDistribution.Result pro = BlanketDistribution.proRata(99_999, plays, BOOK);
        assertThat(pro.byAccount().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(99_999);
    }

    static long amount(String start, long durationMs, String cls, String tz) {
        return CALC.rate(play("p-x", start, durationMs, 0.9, null, null), station(cls, tz)).amountMinor();
    }

    static Map<String, Long> lines(LedgerTransaction tx) {
        assertThat(tx.isBalanced()).isTrue();
        return tx.entries().stream().collect(Collectors.groupingBy(LedgerEntry::account,
                Collectors.summingLong(LedgerEntry::amountMinor)));
    }

    static Station station(String cls, String tz) {
        return new Station("s", "S", null, "GH", cls, "GHS", tz, Instant.EPOCH);
    }

    static ProMapping mapping(String... codeAndPercent) {
        return RoyaltyCalculatorTest.mapping(codeAndPercent);
    }

    static Play play(String id, String start, long durationMs, double confidence, ProMapping mapping, Recording rec) {
        Instant t = Instant.parse(start);
        return new Play(id, "s", "trk", "Song", rec == null ? List.of() : rec.artists(), null, t,
                t.plusMillis(durationMs), durationMs, confidence, Detection.Source.LOCAL, true, Play.Status.CLOSED,
                List.of("d-" + id), List.of("c-" + id), rec, mapping, t);
    }
}
