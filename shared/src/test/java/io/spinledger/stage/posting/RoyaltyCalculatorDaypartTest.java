package io.spinledger.stage.posting;

import static io.spinledger.stage.posting.RuleBookTest.lines;
import static io.spinledger.stage.posting.RuleBookTest.mapping;
import static io.spinledger.stage.posting.RuleBookTest.play;
import static io.spinledger.stage.posting.RuleBookTest.station;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.json.Json;
import io.spinledger.stage.posting.RateCard.DaypartRating;
import io.spinledger.stage.posting.RateCard.DaypartSpan;
import io.spinledger.stage.posting.RoyaltyCalculator.DaypartPart;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under a {@link DaypartRating#PRO_RATA} card (bundled {@code gh-2027.1}, in force from 2027-01-01, and test cards)
 * a play that crosses a daypart boundary is rated pro rata by its seconds in each daypart (station's time zone),
 * the per-play tariff once, rounded once at the end; under a {@link DaypartRating#START} card (every version up to
 * {@code gh-2026.2}, already used for postings) the whole play is rated at the daypart of its start, exactly as
 * before pro rata rating existed. Amounts worked by hand in the comments.
 */
class RoyaltyCalculatorDaypartTest {
    private static final RoyaltyCalculator BUNDLED = new RoyaltyCalculator(RuleBook.bundled());

    /** A card whose prime time runs straight into off-peak at 22:00 (the bundled cards go PRIME -> REGULAR). */
    private static final RateCard LATE_NIGHT = lateNight("test-late.1", DaypartRating.PRO_RATA);

    private static RateCard lateNight(String version, DaypartRating rating) {
        return new RateCard(version, "GHS", Map.of("A", new BigDecimal("0.015")), 30_000, null, null,
                Map.of("A", new BigDecimal("0.10")),
                List.of(new RateCard.Daypart("PRIME", LocalTime.of(18, 0), LocalTime.of(22, 0)),
                        new RateCard.Daypart("OFF_PEAK", LocalTime.of(22, 0), LocalTime.MIDNIGHT),
                        new RateCard.Daypart("OFF_PEAK", LocalTime.MIDNIGHT, LocalTime.of(6, 0))),
                Map.of("A", Map.of("PRIME", new BigDecimal("1.5"), "OFF_PEAK", new BigDecimal("0.7"))), rating,
                null, null, null, 5, "prime 18-22 then off-peak 22-06, 0.10 GHS per play");
    }

    @Test
    void aPlayCrossingFromPrimeIntoOffPeakIsPaidForItsSecondsInEach() {
        // 21:59:18 Accra + 180 s: PRIME 42 s, OFF_PEAK 138 s.
        // 42 x 0.015 x 1.5 = 0.945; 138 x 0.015 x 0.7 = 1.449; + 0.10 per play (once) = 2.494 GHS -> 249 pesewas
        // (rated at the start's daypart it was 180 x 0.015 x 1.5 + 0.10 = 4.15; a tariff per part would be 259)
        Play play = play("p-late", "2026-08-03T21:59:18Z", 180_000, 0.9, mapping("285", "100"), null);
        RoyaltyCalculator calc = new RoyaltyCalculator(LATE_NIGHT);

        RoyaltyCalculator.Rating rating = calc.rate(play, station("A", "Africa/Accra"));
        LedgerTransaction tx = calc.calculate(play, station("A", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        assertThat(rating.amountMinor()).isEqualTo(249);
        assertThat(rating.daypart()).isEqualTo("PRIME"); // the start's
        assertThat(rating.daypartSplit()).containsExactly(new DaypartPart("PRIME", 42_000, new BigDecimal("1.5")),
                new DaypartPart("OFF_PEAK", 138_000, new BigDecimal("0.7")));
        assertThat(tx.idempotencyKey()).isEqualTo("p-late#test-late.1");
        assertThat(lines(tx)).containsExactlyInAnyOrderEntriesOf(Map.of("station:s", 249L, "society:285", -249L));
        String why = "180.000 s split by daypart: (PRIME 42.000 s x 1.5 + OFF_PEAK 138.000 s x 0.7) x 0.015 GHS/s"
                + " + 0.10 per play = 249 minor units, class A, rules test-late.1";
        assertThat(rating.explanation()).isEqualTo(why);
        assertThat(tx.entries().get(0).memo()).isEqualTo("airplay p-late (Song), " + why);
        assertThat(tx.description()).isEqualTo("Royalty for airplay p-late (Song), " + why);

        // the same card rating by the start: 180 x 0.015 x 1.5 + 0.10 = 4.15 GHS = 415, no split
        RoyaltyCalculator.Rating byStart = new RoyaltyCalculator(lateNight("test-late.0", DaypartRating.START))
                .rate(play, station("A", "Africa/Accra"));
        assertThat(byStart.amountMinor()).isEqualTo(415);
        assertThat(byStart.daypartSplit()).isEmpty();
        assertThat(byStart.explanation()).isEqualTo("180.000 s x 0.015 GHS/s x 1.5 (PRIME) + 0.10 per play"
                + " = 415 minor units, class A, rules test-late.0");
    }

    @Test
    void theBundledOffPeakToPrimeBoundaryAtSixSplitsThePlayFrom2027() {
        // 05:58:45 Accra + 200 s, class B (gh-2027.1, a feature performance): OFF_PEAK 75 s x 0.012 x 0.8 = 0.72;
        // PRIME 125 s x 0.012 x 1.3 = 1.95; 2.67 GHS = 267 (by the start alone, as gh-2026.2 rates it, 192)
        RoyaltyCalculator.Rating rating = BUNDLED.rate(play("p-dawn", "2027-08-03T05:58:45Z", 200_000, 0.9, null, null),
                station("B", "Africa/Accra"));

        assertThat(rating.ruleVersion()).isEqualTo("gh-2027.1");
        assertThat(rating.amountMinor()).isEqualTo(267);
        assertThat(rating.explanation()).startsWith(
                "200.000 s split by daypart: (OFF_PEAK 75.000 s x 0.8 + PRIME 125.000 s x 1.3) x 0.012 GHS/s = 267");
    }

    @Test
    void aPlayCrossingMidnightIsSplitAndRoundedOnceAtTheEnd() {
        // 23:59:29.375 Accra + 61.875 s, class C (gh-2027.1; >= 60 s, a feature performance): REGULAR 30.625 s x
        // 0.008 x 1.0 = 0.245; OFF_PEAK (the next day, 00:00-06:00) 31.250 s x 0.008 x 0.9 = 0.225; 0.470 GHS -> 47
        // pesewas. Rounding each part HALF_EVEN first would give 0.24 + 0.22 = 46: the sum is rounded once.
        Play play = play("p-midnight", "2027-08-03T23:59:29.375Z", 61_875, 0.9, mapping("285", "100"), null);

        RoyaltyCalculator.Rating rating = BUNDLED.rate(play, station("C", "Africa/Accra"));
        LedgerTransaction tx = BUNDLED.calculate(play, station("C", "Africa/Accra"), Instant.EPOCH).orElseThrow();

        assertThat(rating.daypartSplit()).containsExactly(new DaypartPart("REGULAR", 30_625, new BigDecimal("1.0")),
                new DaypartPart("OFF_PEAK", 31_250, new BigDecimal("0.9")));
        assertThat(rating.amountMinor()).isEqualTo(47);
        assertThat(tx.idempotencyKey()).isEqualTo("p-midnight#gh-2027.1");
        // half neighbouring rights, no recording known: 23.5 to suspense; half GHAMRO's: fee 2.35, society 21.15;
        // the leftover unit to the largest remainder (0.5, suspense)
        assertThat(lines(tx)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "station:s", 47L, "suspense", -24L, "fees:285", -2L, "society:285", -21L));
        assertThat(tx.entries().get(0).memo()).contains("(REGULAR 30.625 s x 1.0 + OFF_PEAK 31.250 s x 0.9)");
    }

    @Test
    void aPlayCrossingADaylightSavingChangeCountsTheSecondsActuallyAired() {
        // America/Santiago springs forward at local midnight on 2027-09-05 (-04:00 -> -03:00: 00:00-01:00 does not
        // exist). 03:58Z = 23:58 local + 240 s ends 04:02Z = 01:02 local: REGULAR 120 s, OFF_PEAK 120 s (not 62 min).
        // gh-2027.1, class A: 120 x 0.015 x 1.0 = 1.80; 120 x 0.015 x 0.7 = 1.26; 3.06 GHS = 306 pesewas.
        Station santiago = station("A", "America/Santiago");
        RoyaltyCalculator.Rating spring = BUNDLED.rate(
                play("p-spring", "2027-09-05T03:58:00Z", 240_000, 0.9, null, null), santiago);

        assertThat(spring.daypartSplit()).extracting(DaypartPart::daypart, DaypartPart::durationMs)
                .containsExactly(tuple("REGULAR", 120_000L), tuple("OFF_PEAK", 120_000L));
        assertThat(spring.ruleVersion()).isEqualTo("gh-2027.1");
        assertThat(spring.amountMinor()).isEqualTo(306);

        // It falls back at local midnight on 2027-04-04 (-03:00 -> -04:00: 23:00-24:00 is aired twice). 02:58Z =
        // 23:58 local + 240 s ends 03:02Z = 23:02 local: the play never reaches 00:00, so all of it is REGULAR.
        // gh-2027.1, class A, a feature performance: 240 x 0.015 = 3.60 GHS = 360 pesewas.
        RoyaltyCalculator.Rating fall = BUNDLED.rate(play("p-fall", "2027-04-04T02:58:00Z", 240_000, 0.9, null, null),
                santiago);

        assertThat(fall.daypartSplit()).isEmpty();
        assertThat(fall.daypart()).isEqualTo("REGULAR");
        assertThat(fall.amountMinor()).isEqualTo(360);
        assertThat(RuleBook.bundled().version("gh-2027.1").orElseThrow()
                .daypartSplit(Instant.parse("2027-04-04T02:58:00Z"), 240_000, "America/Santiago"))
                .containsExactly(new DaypartSpan("REGULAR", 240_000));
    }

    @Test
    void aPlayInsideOneDaypartIsRatedTheSameByBothMethods() {
        // 07:00 Accra + 200 s is all PRIME. gh-2027.1 (PRO_RATA), class A, a feature performance:
        // 200 x 0.015 x 1.5 = 450, the same line as the start rule gives; so does the play ending exactly at 06:00
        Station accra = station("A", "Africa/Accra");
        RoyaltyCalculator.Rating inside = BUNDLED.rate(
                play("p-inside", "2027-08-03T07:00:00Z", 200_000, 0.9, null, null), accra);
        RoyaltyCalculator.Rating edge = BUNDLED.rate(play("p-edge", "2027-08-03T05:56:40Z", 200_000, 0.9, null, null),
                accra);

        assertThat(inside.daypartSplit()).isEmpty();
        assertThat(inside.explanation()).isEqualTo(
                "200.000 s x 0.015 GHS/s x 1.5 (PRIME) = 450 minor units, class A, rules gh-2027.1");
        assertThat(edge.daypartSplit()).isEmpty();
        assertThat(edge.explanation()).isEqualTo(
                "200.000 s x 0.015 GHS/s x 0.7 (OFF_PEAK) = 210 minor units, class A, rules gh-2027.1");
    }

    @Test
    void aCrossingPlayUnderAVersionAlreadyUsedForPostingsIsRatedByItsStartExactlyAsBefore() {
        // gh-2026.2 is in force since 2026-07-01 (START): a crossing play is the whole play at its start's daypart,
        // no split. The expected JSON is what the calculator produced before pro rata rating (commit ed75903),
        // byte for byte. 05:58:45 Accra + 200 s, class B: 200 x 0.012 x 0.8 (OFF_PEAK) = 1.92 GHS = 192
        // (gh-2027.1 pays 267 for the same airing, see above).
        Play dawn = play("p-dawn", "2026-08-03T05:58:45Z", 200_000, 0.9, mapping("285", "100"), null);
        Station accraB = station("B", "Africa/Accra");

        assertThat(RuleBook.bundled().version("gh-2026.2").orElseThrow().daypartRating())
                .isEqualTo(DaypartRating.START);
        assertThat(Json.write(BUNDLED.rate(dawn, accraB))).isEqualTo("{\"ruleVersion\":\"gh-2026.2\","
                + "\"currency\":\"GHS\",\"stationClass\":\"B\",\"daypart\":\"OFF_PEAK\",\"durationMs\":200000,"
                + "\"ratePerSecond\":0.012,\"multiplier\":0.8,\"perPlay\":0,\"featurePerformance\":true,\"factor\":1,"
                + "\"amountMinor\":192,\"paid\":true,\"explanation\":\"200.000 s x 0.012 GHS/s x 0.8 (OFF_PEAK) = 192"
                + " minor units, class B, rules gh-2026.2\"}");
        assertThat(Json.write(BUNDLED.calculate(dawn, accraB, Instant.EPOCH).orElseThrow())).isEqualTo(
                "{\"transactionId\":\"t-3691d22f579af6ec\",\"idempotencyKey\":\"p-dawn#gh-2026.2\",\"playId\":\"p-dawn\","
                + "\"stationId\":\"s\",\"ruleVersion\":\"gh-2026.2\",\"postedAt\":\"1970-01-01T00:00:00Z\","
                + "\"description\":\"Royalty for airplay p-dawn (Song), 200.000 s x 0.012 GHS/s x 0.8 (OFF_PEAK) = 192"
                + " minor units, class B, rules gh-2026.2\",\"entries\":[{\"account\":\"station:s\",\"amountMinor\":192,"
                + "\"currency\":\"GHS\",\"memo\":\"airplay p-dawn (Song), 200.000 s x 0.012 GHS/s x 0.8 (OFF_PEAK) = 192"
                + " minor units, class B, rules gh-2026.2\"},{\"account\":\"fees:285\",\"amountMinor\":-19,"
                + "\"currency\":\"GHS\",\"memo\":\"local admin fee 10% on p-dawn\"},{\"account\":\"society:285\","
                + "\"amountMinor\":-173,\"currency\":\"GHS\",\"memo\":\"share 100% of p-dawn\"}],"
                + "\"detectionIds\":[\"d-p-dawn\"],\"chunkIds\":[\"c-p-dawn\"],\"kind\":\"POSTING\",\"balanced\":true}");

        // 23:59:29.375 Accra + 61.875 s, class C: all REGULAR, 61.875 x 0.008 = 0.495 -> 0.50 (HALF_EVEN) = 50
        // (pro rata it would be 47); transaction byte for byte as before
        Play midnight = play("p-midnight", "2026-08-03T23:59:29.375Z", 61_875, 0.9, mapping("285", "100"), null);
        assertThat(Json.write(BUNDLED.calculate(midnight, station("C", "Africa/Accra"), Instant.EPOCH).orElseThrow()))
                .isEqualTo("{\"transactionId\":\"t-d7293e5f3838c25c\",\"idempotencyKey\":\"p-midnight#gh-2026.2\","
                + "\"playId\":\"p-midnight\",\"stationId\":\"s\",\"ruleVersion\":\"gh-2026.2\","
                + "\"postedAt\":\"1970-01-01T00:00:00Z\",\"description\":\"Royalty for airplay p-midnight (Song),"
                + " 61.875 s x 0.008 GHS/s x 1.0 (REGULAR) = 50 minor units, class C, rules gh-2026.2\","
                + "\"entries\":[{\"account\":\"station:s\",\"amountMinor\":50,\"currency\":\"GHS\","
                + "\"memo\":\"airplay p-midnight (Song), 61.875 s x 0.008 GHS/s x 1.0 (REGULAR) = 50 minor units,"
                + " class C, rules gh-2026.2\"},{\"account\":\"fees:285\",\"amountMinor\":-5,\"currency\":\"GHS\","
                + "\"memo\":\"local admin fee 10% on p-midnight\"},{\"account\":\"society:285\",\"amountMinor\":-45,"
                + "\"currency\":\"GHS\",\"memo\":\"share 100% of p-midnight\"}],\"detectionIds\":[\"d-p-midnight\"],"
                + "\"chunkIds\":[\"c-p-midnight\"],\"kind\":\"POSTING\",\"balanced\":true}");

        // across Santiago's spring-forward on 2026-09-06 (23:58 local + 240 s), class A: REGULAR at the start,
        // 240 x 0.015 = 3.60 GHS = 360 (pro rata 306); and 19:58 Accra + 200 s, ONLINE: PRIME 200 x 0.010 x 1.1 = 220
        assertThat(Json.write(BUNDLED.rate(play("p-spring", "2026-09-06T03:58:00Z", 240_000, 0.9, null, null),
                station("A", "America/Santiago")))).isEqualTo("{\"ruleVersion\":\"gh-2026.2\",\"currency\":\"GHS\","
                + "\"stationClass\":\"A\",\"daypart\":\"REGULAR\",\"durationMs\":240000,\"ratePerSecond\":0.015,"
                + "\"multiplier\":1.0,\"perPlay\":0,\"featurePerformance\":true,\"factor\":1,\"amountMinor\":360,"
                + "\"paid\":true,\"explanation\":\"240.000 s x 0.015 GHS/s x 1.0 (REGULAR) = 360 minor units, class A,"
                + " rules gh-2026.2\"}");
        assertThat(Json.write(BUNDLED.rate(play("p-prime-end", "2026-08-03T19:58:00Z", 200_000, 0.9, null, null),
                station("ONLINE", "Africa/Accra")))).isEqualTo("{\"ruleVersion\":\"gh-2026.2\",\"currency\":\"GHS\","
                + "\"stationClass\":\"ONLINE\",\"daypart\":\"PRIME\",\"durationMs\":200000,\"ratePerSecond\":0.010,"
                + "\"multiplier\":1.1,\"perPlay\":0,\"featurePerformance\":true,\"factor\":1,\"amountMinor\":220,"
                + "\"paid\":true,\"explanation\":\"200.000 s x 0.010 GHS/s x 1.1 (PRIME) = 220 minor units,"
                + " class ONLINE, rules gh-2026.2\"}");
    }

    @Test
    void aPlayInsideOneDaypartIsPostedExactlyAsBefore() {
        // 07:00 Accra + 200 s is all PRIME: 200 x 0.015 x 1.5 = 4.50 GHS = 450, as before pro rata rating. The
        // expected JSON is what the calculator produced before this change, byte for byte.
        Play play = play("p-inside", "2026-08-03T07:00:00Z", 200_000, 0.9, mapping("285", "100"), null);
        Station accra = station("A", "Africa/Accra");

        LedgerTransaction tx = BUNDLED.calculate(play, accra, Instant.EPOCH).orElseThrow();

        assertThat(Json.write(tx)).isEqualTo("{\"transactionId\":\"t-a783e74b6cd9ca0b\","
                + "\"idempotencyKey\":\"p-inside#gh-2026.2\",\"playId\":\"p-inside\",\"stationId\":\"s\","
                + "\"ruleVersion\":\"gh-2026.2\",\"postedAt\":\"1970-01-01T00:00:00Z\",\"description\":\"Royalty for"
                + " airplay p-inside (Song), 200.000 s x 0.015 GHS/s x 1.5 (PRIME) = 450 minor units, class A, rules"
                + " gh-2026.2\",\"entries\":[{\"account\":\"station:s\",\"amountMinor\":450,\"currency\":\"GHS\","
                + "\"memo\":\"airplay p-inside (Song), 200.000 s x 0.015 GHS/s x 1.5 (PRIME) = 450 minor units, class"
                + " A, rules gh-2026.2\"},{\"account\":\"fees:285\",\"amountMinor\":-45,\"currency\":\"GHS\","
                + "\"memo\":\"local admin fee 10% on p-inside\"},{\"account\":\"society:285\",\"amountMinor\":-405,"
                + "\"currency\":\"GHS\",\"memo\":\"share 100% of p-inside\"}],\"detectionIds\":[\"d-p-inside\"],"
                + "\"chunkIds\":[\"c-p-inside\"],\"kind\":\"POSTING\",\"balanced\":true}");
        assertThat(Json.write(BUNDLED.rate(play, accra))).isEqualTo("{\"ruleVersion\":\"gh-2026.2\","
                + "\"currency\":\"GHS\",\"stationClass\":\"A\",\"daypart\":\"PRIME\",\"durationMs\":200000,"
                + "\"ratePerSecond\":0.015,\"multiplier\":1.5,\"perPlay\":0,\"featurePerformance\":true,\"factor\":1,"
                + "\"amountMinor\":450,\"paid\":true,\"explanation\":\"200.000 s x 0.015 GHS/s x 1.5 (PRIME) = 450"
                + " minor units, class A, rules gh-2026.2\"}");

        // ending exactly at a boundary is still inside (a window's end is exclusive): 05:56:40 + 200 s = 06:00:00,
        // all OFF_PEAK, 200 x 0.015 x 0.7 = 2.10 GHS = 210
        RoyaltyCalculator.Rating edge = BUNDLED.rate(play("p-edge", "2026-08-03T05:56:40Z", 200_000, 0.9, null, null),
                accra);
        assertThat(edge.daypartSplit()).isEmpty();
        assertThat(edge.amountMinor()).isEqualTo(210);
        assertThat(edge.explanation()).startsWith("200.000 s x 0.015 GHS/s x 0.7 (OFF_PEAK) = 210 minor units");
    }
}
