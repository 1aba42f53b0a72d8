package io.spinledger.engine.fingerprint;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When a quarter or half of a query's votes end the vote early (see {@link Matcher#decisive}). */
class MatcherDecisiveTest {
    private static final FingerprintConfig.Matching TUNING = FingerprintConfig.Matching.defaults();

    private static Matcher.Window w(String track, int votes, long source) {
        return new Matcher.Window(track, 0, 255, votes, source);
    }

    @Test
    void aStrongWindowFarAboveEveryOtherTrackIsDecisive() {
        assertThat(Matcher.decisive(List.of(w("a", 150, 1), w("b", 40, 2), w("c", 12, 3)), TUNING)).isTrue();
    }

    @Test
    void tooFewVotesOrAnotherStrongTrackKeepsVoting() {
        assertThat(Matcher.decisive(List.of(w("a", TUNING.decisiveVotes() - 1, 1)), TUNING)).isFalse();
        // the end of another song in the same chunk: it must get all of its evidence
        assertThat(Matcher.decisive(List.of(w("a", 150, 1), w("b", 51, 2)), TUNING)).isFalse();
        assertThat(Matcher.decisive(List.of(), TUNING)).isFalse();
    }

    @Test
    void aSecondWindowOfTheSameTrackOrATwinOfTheSameBinIsNotAnotherTrack() {
        // the same track at another offset (a repeated chorus) does not count against it
        assertThat(Matcher.decisive(List.of(w("a", 150, 1), w("a", 140, 2)), TUNING)).isTrue();
        // a bin near the boundary of two tracks names both: one piece of evidence, not a rival
        assertThat(Matcher.decisive(List.of(w("a", 150, 7), w("b", 150, 7)), TUNING)).isTrue();
        assertThat(Matcher.decisive(List.of(w("a", 150, 7), w("b", 150, 8)), TUNING)).isFalse();
    }
}
