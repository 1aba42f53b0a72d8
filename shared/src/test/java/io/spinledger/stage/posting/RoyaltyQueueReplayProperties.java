package io.spinledger.stage.posting;

import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.message;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.ledger.Statements;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Play assembly and posting against the test tables ({@link TestTables}), over random airings, shares, delivery orders and
 * duplicates (a bounded number of tries, each on fresh stations): the ledger balances, no play is paid twice,
 * statements equal the sum of postings, and replaying the whole mapped-detections queue changes nothing.
 */
class RoyaltyQueueReplayProperties {
    private static final Instant T0 = Instant.parse("2026-08-03T06:00:00Z");
    private static final String[][] SHARES = {{}, {"285", "100"}, {"285", "50", "052", "50"},
            {"348", "33.33", "349", "33.33", "052", "33.34"}, {"000", "100"}, {"285", "60"}};
    private static final AtomicInteger TRY = new AtomicInteger();
    private static TestTables env;
    private static Ledger ledger;
    private static RoyaltyPoster poster;

    @BeforeContainer
    static void start() {
        env = TestTables.start();
        ledger = env.ledger();
        PlayStore plays = env.playStore(new PlayAssembler(25_000, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS),
                30_000, 60_000, new ManualClock(T0));
        poster = new RoyaltyPoster(plays, ledger, new RoyaltyCalculator(RuleBook.bundled()));
    }

    @AfterContainer
    static void stop() {
        env.close();
    }

    @Property(tries = 6)
    void replayingTheRoyaltyQueueChangesNothing(@ForAll @LongRange(max = 1_000_000) long seed,
                                                @ForAll @IntRange(min = 1, max = 3) int songs) {
        String station = "prop-" + TRY.incrementAndGet();
        Random rnd = new Random(seed);
        List<DetectionMessage> queue = new ArrayList<>();
        long offsetS = rnd.nextInt(3_600);
        for (int i = 0; i < songs; i++) {
            long songMs = 10_000 + rnd.nextInt(200_000);
            String[] shares = SHARES[rnd.nextInt(SHARES.length)];
            airing(station, "trk_" + i, T0, plus(T0, offsetS), songMs)
                    .forEach(d -> queue.add(message(d, "Song " + i(d.trackId()), shares)));
            offsetS += songMs / 1000 + 60 + rnd.nextInt(600);
        }
        List<DetectionMessage> delivery = new ArrayList<>(queue);
        for (int i = 0; i < queue.size() / 3; i++) { // at-least-once: some messages twice
            delivery.add(queue.get(rnd.nextInt(queue.size())));
        }
        Collections.shuffle(delivery, rnd);
        Station st = new Station(station, station, null, "GH", List.of("A", "B", "C", "ONLINE", "COMMUNITY")
                .get(rnd.nextInt(5)), "GHS", "Africa/Accra", T0);

        delivery.forEach(poster::accept);
        poster.closeAndPost(plus(T0, 6 * 3_600), id -> st);
        Map<String, Long> balances = balancesOf(station);
        List<LedgerTransaction> txs = txsOf(station);

        List<DetectionMessage> replay = new ArrayList<>(queue);
        Collections.shuffle(replay, rnd);
        replay.forEach(poster::accept);
        RoyaltyPoster.Report again = poster.closeAndPost(plus(T0, 12 * 3_600), id -> st);

        assertThat(again.posted()).isEmpty();
        assertThat(txsOf(station)).containsExactlyInAnyOrderElementsOf(txs);
        assertThat(balancesOf(station)).isEqualTo(balances);
        assertThat(txs).allMatch(LedgerTransaction::isBalanced);
        assertThat(txs.stream().collect(Collectors.groupingBy(LedgerTransaction::playId, Collectors.counting())))
                .allSatisfy((play, n) -> assertThat(n).as("postings of " + play).isEqualTo(1L));
        assertThat(ledger.balances().stream().mapToLong(Ledger.Balance::amountMinor).sum()).isZero();
        long charged = txs.stream().mapToLong(LedgerTransaction::debitTotalMinor).sum();
        Statements.Statement statement = new Statements(ledger).statement("station:" + station, T0, plus(T0, 86_400));
        assertThat(statement.lines().stream().mapToLong(Statements.Line::amountMinor).sum()).isEqualTo(charged);
        assertThat(balances.getOrDefault("station:" + station, 0L)).isEqualTo(charged);
    }

    private static int i(String trackId) {
        return Integer.parseInt(trackId.substring(4));
    }

    private static List<LedgerTransaction> txsOf(String station) {
        return ledger.allTransactions().stream().filter(t -> station.equals(t.stationId())).toList();
    }

    private static Map<String, Long> balancesOf(String station) {
        return ledger.balances().stream().filter(b -> b.account().equals("station:" + station))
                .collect(Collectors.toMap(Ledger.Balance::account, Ledger.Balance::amountMinor));
    }
}
