package io.spinledger.cli.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The capacity bench's pieces that run without a runtime: /proc CPU reading and a step's verdict. */
class CapacityBenchTest {
    @Test
    void readsItsOwnCpuFromProc() {
        long pid = ProcessHandle.current().pid();
        long before = ProcCpu.self(pid).orElseThrow();
        double x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += Math.sqrt(i);
        }
        assertThat(x).isPositive();
        assertThat(ProcCpu.self(pid).orElseThrow()).isGreaterThanOrEqualTo(before);
        assertThat(ProcCpu.fields(pid)).hasSize(4);
        assertThat(ProcCpu.self(Long.MAX_VALUE / 2)).isEmpty();
        assertThat(ProcCpu.children(pid)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aStepHoldsOnlyWithLowLatencyNoMissesNoUnmonitoredStationAndADrainedBacklog() {
        CapacityReport.Step ok = step(8, 12.0, 0, 0, false, true);
        assertThat(ok.held()).isTrue();
        assertThat(step(8, 16.0, 0, 0, false, true).why()).contains("p95 16.0 s");
        assertThat(step(8, Double.NaN, 0, 0, false, true).held()).as("no latency measured").isFalse();
        assertThat(step(24, 10.0, 9, 8, false, true).why()).contains("9 of 40 airings").contains("8 stations");
        assertThat(step(24, 10.0, 0, 0, true, true).why()).contains("backlog grew");
        assertThat(step(24, 10.0, 0, 0, false, false).why()).contains("not drained");
    }

    @Test
    void anAiringIsListedByAPlayStartingWithItOrByOneAlreadyReachingIntoIt() {
        PlayScoring.Airing first = new PlayScoring.Airing(1, "battle", 30_000, 120_000, true, "");
        PlayScoring.Airing again = new PlayScoring.Airing(2, "battle", 120_000, 210_000, true, "");
        PlayScoring.ListedPlay early = new PlayScoring.ListedPlay("p", "battle", 31_000, 100_000, 69_000, "PROVISIONAL");
        PlayScoring.ListedPlay both = new PlayScoring.ListedPlay("p", "battle", 31_000, 140_000, 109_000, "PROVISIONAL");
        PlayScoring.ListedPlay other = new PlayScoring.ListedPlay("q", "elves", 121_000, 140_000, 19_000, "OPEN");
        assertThat(CapacityBenchCommand.lists(early, first)).isTrue();
        assertThat(CapacityBenchCommand.lists(early, again)).isFalse();
        assertThat(CapacityBenchCommand.lists(both, again)).as("one play over a back-to-back replay").isTrue();
        assertThat(CapacityBenchCommand.lists(other, again)).isFalse();
    }

    private static CapacityReport.Step step(int n, double p95, int misses, int unmonitored, boolean grew,
                                            boolean settled) {
        CapacityReport.Step s = new CapacityReport.Step(n);
        s.airings = 40;
        s.p95 = p95;
        s.misses = misses;
        s.unmonitored = unmonitored;
        s.grew = grew;
        s.settled = settled;
        s.decide(15, 0);
        return s;
    }
}
