package io.spinledger.stage.posting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.Detection;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The bundled versions already used for postings ({@code gh-2026.1}, {@code gh-2026.2}: {@link
 * RateCard.DaypartRating#START}) rate every play, crossing a daypart boundary or not, exactly as the calculator did
 * before pro rata rating: the whole play at the multiplier of its start's daypart. The oracle is that earlier
 * formula, written out again; the rating is compared as JSON, byte for byte. Starts cluster around daypart
 * bounds, midnights and daylight-saving changes in 2026, and around the cut-over to {@code gh-2027.1}.
 */
class RoyaltyStartDaypartProperties {
    private static final RuleBook BOOK = RuleBook.bundled();
    private static final RoyaltyCalculator CALC = new RoyaltyCalculator(BOOK);
    private static final Instant CUT_OVER = Instant.parse("2027-01-01T00:00:00Z");
    private static final List<String> ZONES = List.of("Africa/Accra", "Europe/London", "America/New_York",
            "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata");
    private static final List<String> CLASSES = List.of("A", "B", "C", "ONLINE", "COMMUNITY");

    @Property(tries = 1000)
    void versionsUsedForPostingsRateTheWholePlayAtItsStartsDaypart(@ForAll("starts") Instant start,
                                                                   @ForAll @LongRange(max = 1_800_000) long durationMs,
                                                                   @ForAll("zones") String zone,
                                                                   @ForAll("classes") String cls) {
        Station station = new Station("s", "S", null, "GH", cls, "GHS", zone, Instant.EPOCH);
        Play play = new Play("p", "s", "trk", "Song", List.of(), null, start, start.plusMillis(durationMs), durationMs,
                0.9, Detection.Source.LOCAL, true, Play.Status.CLOSED, List.of("d"), List.of("c"), null, null, start);

        RoyaltyCalculator.Rating rating = CALC.rate(play, station);

        RateCard card = BOOK.forInstant(start);
        assertThat(card.ruleVersion()).isIn("gh-2026.1", "gh-2026.2");
        assertThat(card.daypartRating()).isEqualTo(RateCard.DaypartRating.START);
        assertThat(Json.write(rating)).isEqualTo(Json.write(startRule(card, play, station)));
    }

    /** The rating before pro rata rating existed (commit ed75903), for a card without a feature test. */
    private static RoyaltyCalculator.Rating startRule(RateCard card, Play play, Station station) {
        String cls = station.stationClass();
        BigDecimal rate = card.rateFor(cls);
        String daypart = card.daypartAt(play.startedAt(), station.timezone());
        BigDecimal multiplier = card.multiplierFor(cls, daypart);
        BigDecimal perPlay = card.perPlayFor(cls);
        BigDecimal seconds = BigDecimal.valueOf(Math.max(0, play.durationMs()), 3);
        BigDecimal major = seconds.multiply(rate).multiply(multiplier).add(perPlay).multiply(BigDecimal.ONE);
        long amount = major.setScale(card.minorDigits(), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        boolean paid = play.durationMs() >= card.minPaidDurationMs() && amount > 0;
        String explanation = seconds.toPlainString() + " s x " + rate.toPlainString() + " " + card.currency()
                + "/s x " + multiplier.toPlainString() + " (" + daypart + ")"
                + (perPlay.signum() == 0 ? "" : " + " + perPlay.toPlainString() + " per play")
                + " = " + amount + " minor units, class " + cls + ", rules " + card.ruleVersion()
                + (play.durationMs() < card.minPaidDurationMs() ? " (under the minimum " + card.minPaidDurationMs()
                + " ms: not paid)" : "");
        return new RoyaltyCalculator.Rating(card.ruleVersion(), card.currency(), cls, daypart, play.durationMs(), rate,
                multiplier, List.of(), perPlay, true, BigDecimal.ONE, amount, paid, explanation);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<String> classes() {
        return Arbitraries.of(CLASSES);
    }

    /**
     * Millisecond instants in 2026 within 40 minutes before (a play of up to 30 min then crosses) a zone's daypart
     * bound (00:00, 06:00, 10:00, 16:00, 20:00 local) on a few days, an offset change, or the cut-over to
     * {@code gh-2027.1} (a play starting before it is rated by gh-2026.2 even where it runs into 2027).
     */
    @Provide
    Arbitrary<Instant> starts() {
        List<Instant> anchors = new ArrayList<>();
        anchors.add(CUT_OVER);
        anchors.add(Instant.parse("2026-07-01T00:00:00Z")); // gh-2026.1 -> gh-2026.2
        for (String zone : ZONES) {
            ZoneId id = ZoneId.of(zone);
            var rules = id.getRules();
            for (var change = rules.nextTransition(Instant.parse("2026-01-01T00:00:00Z")); change != null
                    && change.getInstant().isBefore(CUT_OVER); change = rules.nextTransition(change.getInstant())) {
                anchors.add(change.getInstant());
            }
            for (String day : List.of("2026-03-02", "2026-08-03", "2026-12-31")) {
                for (int hour : List.of(0, 6, 10, 16, 20)) {
                    anchors.add(LocalDate.parse(day).atTime(LocalTime.of(hour, 0)).atZone(id).toInstant());
                }
            }
        }
        return Arbitraries.of(anchors)
                .flatMap(a -> Arbitraries.longs().between(-2_400_000, 0).map(a::plusMillis))
                .filter(t -> t.isBefore(CUT_OVER) && !t.isBefore(Instant.parse("2026-01-01T00:00:00Z")));
    }
}
