package io.spinledger.stage.posting;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.Detection;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.ledger.Statements;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Pure properties of rating, splitting, allocation, conversion and statements over random plays and rules. */
class RoyaltyProperties {
    private static final RuleBook BOOK = RuleBook.bundled();
    private static final List<String> CLASSES = List.of("A", "B", "C", "ONLINE", "COMMUNITY");
    private static final List<String> CODES = List.of("285", "052", "010", "021", "000", "", "348");

    @Property(tries = 500)
    void allocationLosesNoMinorUnit(@ForAll @LongRange(max = 10_000_000) long total,
                                    @ForAll("weights") Map<String, BigDecimal> weights) {
        Map<String, Long> parts = Allocation.largestRemainder(total, weights);
        assertThat(parts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
        assertThat(parts.values()).allMatch(v -> v > 0);
        BigDecimal sum = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        parts.forEach((k, v) -> { // each part is its exact share rounded down or up, never further off
            BigDecimal exact = BigDecimal.valueOf(total).multiply(weights.get(k))
                    .divide(sum, 6, java.math.RoundingMode.HALF_EVEN);
            assertThat(BigDecimal.valueOf(v).subtract(exact).abs()).isLessThan(BigDecimal.ONE);
        });
    }

    @Property(tries = 500)
    void everyPostingBalancesAndItsSplitLosesNothing(@ForAll("plays") Play play, @ForAll("classes") String cls,
                                                     @ForAll("zones") String zone) {
        Station station = new Station("s", "S", null, "GH", cls, "GHS", zone, Instant.EPOCH);
        RoyaltyCalculator calc = new RoyaltyCalculator(BOOK);
        RoyaltyCalculator.Rating rating = calc.rate(play, station);
        var tx = calc.calculate(play, station, Instant.EPOCH);
        assertThat(tx.isPresent()).isEqualTo(rating.paid());
        tx.ifPresent(t -> {
            assertThat(t.isBalanced()).isTrue();
            assertThat(t.entries().get(0).amountMinor()).isEqualTo(rating.amountMinor());
            assertThat(t.entries().stream().skip(1)).allMatch(e -> e.amountMinor() < 0);
            assertThat(t.idempotencyKey()).isEqualTo(play.playId() + "#" + BOOK.forInstant(play.startedAt()).ruleVersion());
            // the same play rates to the same transaction every time (recomputing a period reproduces it)
            assertThat(calc.calculate(play, station, Instant.EPOCH)).contains(t);
        });
    }

    @Property(tries = 300)
    void splitsUnderEveryVersionAddUpToTheAmount(@ForAll @LongRange(max = 5_000_000) long amount,
                                                 @ForAll("mappings") ProMapping mapping,
                                                 @ForAll("recordings") Recording recording,
                                                 @ForAll @IntRange(min = 0, max = 2) int version) {
        RateCard card = BOOK.versions().get(version);
        List<RoyaltyCalculator.SplitLine> lines = RoyaltyCalculator.splitLines(amount, mapping, recording, card, "p");
        assertThat(lines.stream().mapToLong(RoyaltyCalculator.SplitLine::amountMinor).sum()).isEqualTo(amount);
        assertThat(lines).allMatch(l -> l.amountMinor() > 0);
    }

    @Property(tries = 200)
    void blanketDistributionsAddUpToTheFee(@ForAll @LongRange(max = 50_000_000) long fee,
                                           @ForAll @IntRange(min = 0, max = 100) int equalPercent,
                                           @ForAll("playLists") List<Play> plays) {
        BlanketDistribution.Result r = BlanketDistribution.hybrid(fee, BigDecimal.valueOf(equalPercent),
                List.of("member:a", "member:b", "member:c"), plays, BOOK);
        assertThat(r.equalPartMinor() + r.airplayPartMinor()).isEqualTo(fee);
        assertThat(r.byAccount().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(fee);
    }

    @Property(tries = 200)
    void convertedPartsAddUpToTheConvertedTotal(@ForAll("amountMaps") Map<String, Long> parts) {
        FxTable fx = FxTable.bundled();
        LocalDate on = LocalDate.parse("2026-09-30");
        long total = parts.values().stream().mapToLong(Long::longValue).sum();
        assertThat(fx.convertAll(parts, "GHS", "USD", on).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(fx.convertMinor(total, "GHS", "USD", on));
    }

    @Property(tries = 200)
    void aStatementEqualsTheSumOfItsPostings(@ForAll("playLists") List<Play> plays,
                                             @ForAll @IntRange(min = 0, max = 48) int fromHour,
                                             @ForAll @IntRange(min = 1, max = 48) int hours) {
        RoyaltyCalculator calc = new RoyaltyCalculator(BOOK);
        Station station = new Station("s", "S", null, "GH", "A", "GHS", "Africa/Accra", Instant.EPOCH);
        List<Ledger.PostedEntry> entries = new ArrayList<>();
        for (Play p : plays) {
            calc.calculate(p, station, p.endedAt()).ifPresent(tx -> {
                for (LedgerEntry e : tx.entries()) {
                    entries.add(new Ledger.PostedEntry(e.account(), e.amountMinor(), e.currency(), e.memo(),
                            tx.transactionId(), tx.idempotencyKey(), tx.playId(), tx.postedAt(), tx.kind(),
                            tx.ruleVersion()));
                }
            });
        }
        Instant from = T0.plusSeconds(3_600L * fromHour);
        Instant to = from.plusSeconds(3_600L * hours);
        for (String party : List.of("station:s", "society:285", "fees:285", "suspense")) {
            Statements.Statement st = Statements.build(party, List.of(party, "held:" + party), from, to, entries);
            long before = entries.stream().filter(e -> e.account().equals(party) && e.postedAt().isBefore(from))
                    .mapToLong(Ledger.PostedEntry::amountMinor).sum();
            long inPeriod = entries.stream().filter(e -> e.account().equals(party) && !e.postedAt().isBefore(from)
                    && e.postedAt().isBefore(to)).mapToLong(Ledger.PostedEntry::amountMinor).sum();
            long lines = st.lines().stream().mapToLong(Statements.Line::amountMinor).sum();
            assertThat(lines).isEqualTo(inPeriod);
            st.totals().forEach(t -> {
                assertThat(t.openingMinor()).isEqualTo(before);
                assertThat(t.closingMinor()).isEqualTo(before + inPeriod);
                assertThat(t.debitsMinor() + t.creditsMinor()).isEqualTo(inPeriod);
            });
        }
    }

    private static final Instant T0 = Instant.parse("2026-06-30T12:00:00Z");

    @Provide
    Arbitrary<Map<String, BigDecimal>> weights() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(4),
                        Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000")).ofScale(3))
                .ofMinSize(1).ofMaxSize(8)
                .filter(m -> m.values().stream().anyMatch(w -> w.signum() > 0));
    }

    @Provide
    Arbitrary<String> classes() {
        return Arbitraries.of(CLASSES);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("Africa/Accra", "Europe/London", "America/New_York", "Asia/Tokyo");
    }

    @Provide
    Arbitrary<ProMapping> mappings() {
        Arbitrary<SocietyShare> share = Combinators.combine(Arbitraries.of(CODES),
                        Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100")).ofScale(2))
                .as((code, pct) -> new SocietyShare(code, "S" + code, pct, "writer", "composer", "DECLARED", 1.0));
        Arbitrary<ProMapping> random = share.list().ofMaxSize(5).map(l -> new ProMapping(l, false));
        Arbitrary<ProMapping> complete = Arbitraries.of(CODES).list().ofMinSize(1).ofMaxSize(4).map(codes -> {
            List<SocietyShare> shares = new ArrayList<>();
            BigDecimal each = new BigDecimal("100").divide(BigDecimal.valueOf(codes.size()), 2, java.math.RoundingMode.DOWN);
            BigDecimal rest = new BigDecimal("100").subtract(each.multiply(BigDecimal.valueOf(codes.size())));
            for (int i = 0; i < codes.size(); i++) {
                shares.add(new SocietyShare(codes.get(i), "S", i == 0 ? each.add(rest) : each, "w" + i, "composer",
                        "DECLARED", 1.0));
            }
            return new ProMapping(shares, false);
        });
        return Arbitraries.oneOf(random, complete, Arbitraries.just(null));
    }

    @Provide
    Arbitrary<Recording> recordings() {
        return Combinators.combine(Arbitraries.of("Label One", "", "Label Two"),
                        Arbitraries.of("Ama", "Kofi", "Esi", "").list().ofMaxSize(4))
                .as((label, artists) -> new Recording("GHA012600001", "T", artists, null, label, null, null,
                        List.of(), Map.of()));
    }

    @Provide
    Arbitrary<Play> plays() {
        return Combinators.combine(Arbitraries.longs().between(0, 3L * 366 * 24 * 3600),
                        Arbitraries.longs().between(0, 900_000), Arbitraries.doubles().between(0, 1),
                        mappings(), recordings(), Arbitraries.integers().between(0, 1_000_000))
                .as((offsetS, durationMs, conf, mapping, rec, n) -> {
                    Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(offsetS);
                    return new Play("p-" + n, "s", "trk", "T", rec.artists(), null, start, start.plusMillis(durationMs),
                            durationMs, conf, Detection.Source.LOCAL, true, Play.Status.CLOSED, List.of("d"),
                            List.of("c"), rec, mapping, start);
                });
    }

    @Provide
    Arbitrary<List<Play>> playLists() {
        return Combinators.combine(Arbitraries.longs().between(0, 48L * 3600), Arbitraries.longs().between(0, 400_000),
                        mappings()).as((offsetS, durationMs, mapping) -> {
                    Instant start = T0.plusSeconds(offsetS);
                    return new Play("p-" + offsetS + "-" + durationMs, "s", "trk", "T", List.of(), null, start,
                            start.plusMillis(durationMs), durationMs, 0.9, Detection.Source.LOCAL, true,
                            Play.Status.CLOSED, List.of("d"), List.of("c"), null, mapping, start);
                }).list().ofMaxSize(20).uniqueElements(Play::playId);
    }

    @Provide
    Arbitrary<Map<String, Long>> amountMaps() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofLength(3), Arbitraries.longs().between(0, 1_000_000))
                .ofMinSize(1).ofMaxSize(10).map(TreeMap::new);
    }
}
