package io.spinledger.stage.posting;

import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.message;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.ports.ManualClock;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.testing.TestTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RoyaltyPosterTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Function<String, Station> CLASS_A_STATIONS =
            id -> new Station(id, id, null, "GH", "A", "GHS", "Africa/Accra", T0);
    private static TestTables env;
    private static Ledger ledger;
    private static PlayStore plays;
    private static RoyaltyPoster poster;

    @BeforeAll
    static void start() {
        env = TestTables.start();
        RateCard card = RateCard.ghanaDefault();
        ledger = env.ledger();
        plays = env.playStore(new PlayAssembler(25_000, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS),
                card.minPaidDurationMs(), 60_000, new ManualClock(T0));
        poster = new RoyaltyPoster(plays, ledger, new RoyaltyCalculator(card));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** A 200 s song split three ways, then a 150 s song nobody has claimed yet. */
    private static List<DetectionMessage> twoPlays(String stationId) {
        List<DetectionMessage> out = new ArrayList<>();
        airing(stationId, "trk_highlife", T0, plus(T0, 5), 200_000)
                .forEach(d -> out.add(message(d, "Highlife", "348", "33.33", "349", "33.33", "052", "33.34")));
        airing(stationId, "trk_unclaimed", T0, plus(T0, 300), 150_000).forEach(d -> out.add(message(d, "Unclaimed")));
        return out;
    }

    @Test
    void shuffledAndDuplicatedDeliveryPostsExactlyTheSameTwoTransactions() {
        twoPlays("e2e-ordered").forEach(poster::accept);
        List<DetectionMessage> messy = new ArrayList<>(twoPlays("e2e-shuffled"));
        messy.addAll(messy.subList(0, messy.size() / 2));
        Collections.shuffle(messy, new Random(2026));
        messy.forEach(poster::accept);

        List<Play> ordered = plays.queryPlays("e2e-ordered", T0, plus(T0, 3_600));
        List<Play> shuffled = plays.queryPlays("e2e-shuffled", T0, plus(T0, 3_600));
        assertThat(ordered).hasSize(2);
        assertThat(shuffled).extracting(Play::startedAt, Play::endedAt, Play::detectionIds)
                .containsExactlyElementsOf(ordered.stream().map(p -> org.assertj.core.groups.Tuple.tuple(
                        p.startedAt(), p.endedAt(),
                        p.detectionIds().stream().map(id -> id.replace("e2e-ordered", "e2e-shuffled")).toList()))
                        .toList());

        RoyaltyPoster.Report first = poster.closeAndPost(plus(T0, 3_600), CLASS_A_STATIONS);
        RoyaltyPoster.Report second = poster.closeAndPost(plus(T0, 7_200), CLASS_A_STATIONS);
        messy.forEach(poster::accept); // redelivery after posting changes nothing

        assertThat(first.failed()).isEmpty();
        assertThat(second.posted()).isEmpty();
        assertThat(second.closedPlayIds()).isEmpty();
        for (String station : List.of("e2e-ordered", "e2e-shuffled")) {
            List<LedgerTransaction> txs = ledger.transactions(1_000).stream()
                    .filter(t -> t.stationId().equals(station)).toList();
            assertThat(txs).as(station).hasSize(2).allMatch(LedgerTransaction::isBalanced);
            // 200 s x 0.015 = 300 pesewas split 100/100/100; 150 s x 0.015 = 225 to suspense
            Map<String, Long> amounts = txs.stream().flatMap(t -> t.entries().stream())
                    .collect(Collectors.groupingBy(LedgerEntry::account, Collectors.summingLong(LedgerEntry::amountMinor)));
            assertThat(amounts).containsExactlyInAnyOrderEntriesOf(Map.of("station:" + station, 525L,
                    "society:348", -100L, "society:349", -100L, "society:052", -100L, "suspense", -225L));
            assertThat(plays.queryPlays(station, T0, plus(T0, 3_600))).hasSize(2)
                    .allMatch(p -> p.status() == Play.Status.POSTED);
            assertThat(plays.progress(station).rederiveFrom()).isNull(); // the redelivery changed nothing
        }
        Map<String, Long> balances = ledger.balances().stream()
                .collect(Collectors.toMap(Ledger.Balance::account, Ledger.Balance::amountMinor));
        assertThat(balances.get("station:e2e-ordered")).isEqualTo(525L).isEqualTo(balances.get("station:e2e-shuffled"));
        assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isZero();
    }

    @Test
    void aCrashBetweenPostingAndMarkingIsRepairedWithoutPostingTwice() {
        airing("e2e-crash", "trk_a", T0, plus(T0, 5), 100_000).forEach(d -> poster.accept(message(d, "A", "348", "100")));
        Play closed = plays.closeDuePlays(plus(T0, 3_600)).stream()
                .filter(p -> p.stationId().equals("e2e-crash")).findFirst().orElseThrow();
        LedgerTransaction tx = new RoyaltyCalculator(RateCard.ghanaDefault())
                .calculate(closed, CLASS_A_STATIONS.apply("e2e-crash"), plus(T0, 3_600)).orElseThrow();
        ledger.post(tx); // ... and the process dies before marking the play

        RoyaltyPoster.Report retry = poster.closeAndPost(plus(T0, 3_700), CLASS_A_STATIONS);

        assertThat(retry.alreadyPostedKeys()).containsExactly(tx.idempotencyKey());
        assertThat(retry.posted()).noneMatch(t -> t.stationId().equals("e2e-crash"));
        assertThat(plays.get("e2e-crash", closed.playId())).get().extracting(Play::status).isEqualTo(Play.Status.POSTED);
        assertThat(ledger.transactions(1_000).stream().filter(t -> t.stationId().equals("e2e-crash"))).hasSize(1);
        assertThat(ledger.entries("station:e2e-crash")).singleElement()
                .satisfies(e -> assertThat(e.amountMinor()).isEqualTo(150)); // 100 s x 0.015
    }

    @Test
    void aTwentySecondPlayIsRecordedButNotPaid() {
        airing("e2e-short", "trk_jingle", T0, plus(T0, 5), 20_000).forEach(d -> poster.accept(message(d, "Jingle")));

        RoyaltyPoster.Report report = poster.closeAndPost(plus(T0, 3_600), CLASS_A_STATIONS);

        Play play = plays.queryPlays("e2e-short", T0, plus(T0, 3_600)).get(0);
        assertThat(report.notPaidPlayIds()).contains(play.playId());
        assertThat(play.status()).isEqualTo(Play.Status.CLOSED);
        assertThat(play.royaltyEligible()).isFalse();
        assertThat(play.durationMs()).isEqualTo(20_000);
        assertThat(ledger.entries("station:e2e-short")).isEmpty();
    }
}
