package io.spinledger.stage.posting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link RateCard#daypartSplit} against a slow oracle: the daypart of every second of the play, by
 * {@link RateCard#daypartAt}. Starts are whole seconds and the bundled windows whole hours, so each second lies in
 * one daypart; starts cluster around daylight-saving changes and midnights of zones with and without DST.
 */
class RateCardDaypartSplitProperties {
    private static final RateCard CARD = RuleBook.bundled().version("gh-2026.2").orElseThrow();
    private static final List<String> ZONES = List.of("Africa/Accra", "Europe/London", "America/New_York",
            "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata");

    @Property(tries = 300)
    void theSplitIsTheDaypartOfEverySecond(@ForAll("starts") Instant start,
                                           @ForAll @LongRange(max = 8 * 3600) long seconds,
                                           @ForAll("zones") String zone) {
        Map<String, Long> oracle = new LinkedHashMap<>();
        for (long s = 0; s < seconds; s++) {
            oracle.merge(CARD.daypartAt(start.plusSeconds(s), zone), 1000L, Long::sum);
        }
        if (oracle.isEmpty()) {
            oracle.put(CARD.daypartAt(start, zone), 0L);
        }
        List<RateCard.DaypartSpan> expected = new ArrayList<>();
        oracle.forEach((part, ms) -> expected.add(new RateCard.DaypartSpan(part, ms)));

        assertThat(CARD.daypartSplit(start, seconds * 1000, zone)).containsExactlyElementsOf(expected);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }

    /** Whole-second instants within two hours of a zone's offset change or local midnight in 2026-2027. */
    @Provide
    Arbitrary<Instant> starts() {
        List<Instant> anchors = new ArrayList<>();
        for (String zone : ZONES) {
            var rules = ZoneId.of(zone).getRules();
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            for (var change = rules.nextTransition(t); change != null
                    && change.getInstant().isBefore(Instant.parse("2028-01-01T00:00:00Z"));
                 change = rules.nextTransition(change.getInstant())) {
                anchors.add(change.getInstant());
            }
            anchors.add(java.time.LocalDate.parse("2026-08-03").atStartOfDay(ZoneId.of(zone)).toInstant());
        }
        return Arbitraries.of(anchors).flatMap(a -> Arbitraries.longs().between(-7200, 7200).map(a::plusSeconds));
    }
}
