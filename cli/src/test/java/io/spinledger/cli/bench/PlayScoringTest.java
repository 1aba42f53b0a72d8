package io.spinledger.cli.bench;

import io.spinledger.cli.bench.PlayScoring.Airing;
import io.spinledger.cli.bench.PlayScoring.ListedPlay;
import io.spinledger.cli.bench.PlayScoring.Score;
import io.spinledger.cli.bench.PlayScoring.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How listed plays are matched to what aired, and what the bench reports from that. */
class PlayScoringTest {
    private static final long MIN_PAID_MS = 30_000;
    private static final long TOLERANCE_MS = 2_000;

    private static Airing airing(int id, String track, long startS, long endS) {
        return new Airing(id, track, startS * 1000, endS * 1000, true, "");
    }

    private static ListedPlay play(String id, String track, double startS, double endS, String status) {
        long start = Math.round(startS * 1000);
        long end = Math.round(endS * 1000);
        return new ListedPlay(id, track, start, end, end - start, status);
    }

    @Test
    void aPerfectLogIsMatchedOneToOneWithItsErrors() {
        List<Airing> truth = List.of(airing(0, "battle", 10, 70), airing(1, "knolls", 80, 150));
        Score s = PlayScoring.score(truth, List.of(play("p2", "knolls", 81, 149, "POSTED"),
                play("p1", "battle", 10.5, 68, "POSTED")), MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.plays()).extracting(r -> r.play().playId()).containsExactly("p1", "p2");
        assertThat(s.plays()).extracting(PlayScoring.PlayResult::verdict).containsOnly(Verdict.MATCHED);
        assertThat(s.plays().get(0).startErrorMs()).isEqualTo(500);
        assertThat(s.plays().get(0).endErrorMs()).isEqualTo(-2_000);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.startError().n()).isEqualTo(2);
        assertThat(s.startError().medianS()).isEqualTo(0.5);
        assertThat(s.startError().p90S()).isEqualTo(1.0);
        assertThat(s.endError().medianS()).isEqualTo(1.0);
        // battle paid 57.5 s for 60 s: off by 2.5 s; knolls 68 s for 70 s: within 2 s
        assertThat(s.airings()).extracting(PlayScoring.AiringResult::paidRight).containsExactly(false, true);
        assertThat(s.paidRight()).isEqualTo(1);
        assertThat(s.notFinal()).isZero();
    }

    @Test
    void aSplitAiringHasOneMatchAndFragmentsThatCountAgainstPrecision() {
        List<Airing> truth = List.of(airing(0, "loyalists", 0, 100));
        Score s = PlayScoring.score(truth, List.of(play("a", "loyalists", 0, 30, "POSTED"),
                play("b", "loyalists", 32, 95, "POSTED"), play("c", "loyalists", 96, 100, "CLOSED")),
                MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.plays()).extracting(PlayScoring.PlayResult::verdict)
                .containsExactly(Verdict.FRAGMENT, Verdict.MATCHED, Verdict.FRAGMENT);
        assertThat(s.matched()).isEqualTo(1);
        assertThat(s.fragments()).isEqualTo(2);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.precision()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(s.plays().get(1).startErrorMs()).isEqualTo(32_000);
        // the two posted parts pay 93 s for a 100 s airing
        assertThat(s.airings().get(0).paidMs()).isEqualTo(93_000);
        assertThat(s.airings().get(0).paidRight()).isFalse();
    }

    @Test
    void aSecondPlayOnOneAiringIsADuplicateAndPaysTwice() {
        List<Airing> truth = List.of(airing(0, "wanderer", 0, 60));
        Score s = PlayScoring.score(truth, List.of(play("x", "wanderer", 0, 60, "POSTED"),
                play("y", "wanderer", 1, 59, "POSTED")), MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.plays()).extracting(PlayScoring.PlayResult::verdict)
                .containsExactly(Verdict.MATCHED, Verdict.DUPLICATE);
        assertThat(s.precision()).isEqualTo(0.5);
        assertThat(s.airings().get(0).playId()).isEqualTo("x");
        assertThat(s.airings().get(0).paidMs()).isEqualTo(118_000);
        assertThat(s.paidRight()).isZero();
    }

    @Test
    void playsOverOtherTracksTalkOrUnregisteredMusicAreFalseAndPaidForNothing() {
        List<Airing> truth = List.of(airing(0, "battle", 0, 60),
                new Airing(1, "secret_song", 70_000, 130_000, false, ""));
        Score s = PlayScoring.score(truth, List.of(play("p", "battle", 0, 60, "POSTED"),
                play("q", "knolls", 75, 125, "POSTED"), play("r", "battle", 200, 240, "OPEN")),
                MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.plays()).extracting(PlayScoring.PlayResult::verdict)
                .containsExactly(Verdict.MATCHED, Verdict.FALSE, Verdict.FALSE);
        assertThat(s.plays().get(1).note()).isEqualTo("over #1 secret_song (unregistered)");
        assertThat(s.plays().get(2).note()).isEqualTo("over talk/jingles");
        assertThat(s.truthAirings()).as("unregistered airings are not in recall").isEqualTo(1);
        assertThat(s.precision()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(s.paidForNothingMs()).isEqualTo(50_000);
        assertThat(s.notFinal()).isEqualTo(1);
    }

    @Test
    void oneAiringGoesToThePlayThatCoversMostOfItWhateverTheListOrder() {
        List<Airing> truth = List.of(airing(0, "frantic", 0, 100));
        List<ListedPlay> plays = List.of(play("small", "frantic", 0, 55, "CLOSED"),
                play("big", "frantic", 20, 100, "CLOSED"));
        Score s = PlayScoring.score(truth, plays, MIN_PAID_MS, TOLERANCE_MS);
        Score reversed = PlayScoring.score(truth, plays.reversed(), MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.airings().get(0).playId()).isEqualTo("big");
        assertThat(reversed.airings().get(0).playId()).isEqualTo("big");
        assertThat(s.plays()).extracting(PlayScoring.PlayResult::verdict)
                .containsExactly(Verdict.DUPLICATE, Verdict.MATCHED);
    }

    @Test
    void oneListedPlayOverTwoBackToBackAiringsFindsOnlyOneAndIsSaidToMergeThem() {
        List<Airing> truth = List.of(airing(0, "revelation", 0, 78), airing(1, "revelation", 78, 150));
        Score s = PlayScoring.score(truth, List.of(play("m", "revelation", 0.4, 149.5, "POSTED")),
                MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.found()).as("a play claims one airing").isEqualTo(1);
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.matched()).isEqualTo(1);
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.plays().get(0).airingIds()).containsExactly(0);
        assertThat(s.plays().get(0).note()).isEqualTo("also over #1 (airings merged)");
        assertThat(s.plays().get(0).endErrorMs()).isEqualTo(71_500);
        // 149.1 s shared by overlap: 77.6 s and 71.5 s; the second airing got seconds but no play of its own
        assertThat(s.airings()).extracting(PlayScoring.AiringResult::paidMs).containsExactly(77_600L, 71_500L);
        assertThat(s.airings()).extracting(PlayScoring.AiringResult::paidRight).containsExactly(true, false);
        assertThat(s.paidRight()).isEqualTo(1);
    }

    @Test
    void aShortAiringIsExpectedUnpaidAndALessThanHalfOverlapFindsNothing() {
        List<Airing> truth = List.of(airing(0, "sad", 0, 25), airing(1, "underground", 30, 130));
        Score s = PlayScoring.score(truth, List.of(play("s", "sad", 1, 24, "CLOSED"),
                play("u", "underground", 100, 130, "POSTED")), MIN_PAID_MS, TOLERANCE_MS);

        assertThat(s.airings().get(0).expectedPaidMs()).isZero();
        assertThat(s.airings().get(0).paidRight()).isTrue();
        assertThat(s.airings().get(1).found()).isFalse();
        assertThat(s.plays().get(1).verdict()).isEqualTo(Verdict.FRAGMENT);
        assertThat(s.recall()).isEqualTo(0.5);
        assertThat(s.startError().n()).isEqualTo(1);
    }

    @Test
    void anEmptyLogHasNoPrecisionAndNoErrors() {
        Score s = PlayScoring.score(List.of(airing(0, "battle", 0, 60)), List.of(), MIN_PAID_MS, TOLERANCE_MS);
        assertThat(s.recall()).isZero();
        assertThat(s.precision()).isNaN();
        assertThat(s.startError().medianS()).isNaN();
        assertThat(s.paidRight()).isZero();
    }

    @Test
    void quantilesAreNearestRank() {
        List<Double> v = List.of(5.0, 1.0, 4.0, 2.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(PlayScoring.quantile(v, 0.5)).isEqualTo(5.0);
        assertThat(PlayScoring.quantile(v, 0.9)).isEqualTo(9.0);
        assertThat(PlayScoring.quantile(List.of(3.0), 0.9)).isEqualTo(3.0);
    }
}
