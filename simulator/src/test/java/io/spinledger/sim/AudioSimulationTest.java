package io.spinledger.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The slow mode: one seed's broadcast rendered to real audio (Wesnoth recordings, espeak-ng talk), cut by the
 * capture chunker and matched by the real match stage, then the rest of the pipeline with faults.
 */
@Timeout(120)
class AudioSimulationTest {

    @Test
    void oneAudioSeedRunsCleanAndPostsPlays() {
        Profile standard = Profile.standard();
        // one station, three minutes, every infrastructure fault of the standard profile
        Profile shortRun = new Profile(1, 1, 3, 3, standard.missRate(), standard.maxMissRun(),
                standard.wrongOffsetRate(), standard.wrongOffsetRun(), standard.falseRate(), standard.duplicateRate(),
                standard.crashRate(), standard.acrFailureRate(), standard.acrGarbageRate(), standard.acrDailyBudget(),
                standard.acrPerMinute());
        Simulation.Outcome o = new Simulation(3, shortRun, true).run();
        assertThat(o.violations()).isEmpty();
        assertThat(o.stats().stations()).isEqualTo(1);
        assertThat(o.stats().chunks()).isEqualTo(22); // 10 s windows every 8 s over 180 s: starts 0, 8, .., 168 s
        assertThat(o.stats().posted()).as("plays posted: %s", o.stats()).isPositive();
    }
}
