package io.spinledger.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulationTest {

    @Test
    void aSeedReplaysExactly() {
        Simulation.Outcome a = new Simulation(42, Profile.standard()).run();
        Simulation.Outcome b = new Simulation(42, Profile.standard()).run();
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        assertThat(b.stats()).isEqualTo(a.stats());
        assertThat(b.violations()).isEqualTo(a.violations());
        assertThat(new Simulation(43, Profile.standard()).run().fingerprint()).isNotEqualTo(a.fingerprint());
    }

    @Test
    void faultsAreInjectedAndPlaysStillGetPaid() {
        int crashes = 0;
        int posted = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Simulation.Outcome o = new Simulation(seed, Profile.standard()).run();
            assertThat(o.violations()).as("seed %d", seed).isEmpty();
            crashes += o.stats().crashes();
            posted += o.stats().posted();
        }
        assertThat(crashes).as("crashes injected over 20 seeds").isGreaterThan(50);
        assertThat(posted).as("plays posted over 20 seeds").isGreaterThan(40);
    }

    @Test
    void aCalmRunPaysEveryLongAiringOnce() {
        for (long seed = 1; seed <= 10; seed++) {
            Simulation sim = new Simulation(seed, Profile.calm());
            Simulation.Outcome o = sim.run();
            assertThat(o.violations()).as("seed %d", seed).isEmpty();
            assertThat(o.stats().crashes()).isZero();
            assertThat(o.stats().posted()).as("seed %d posts", seed).isPositive();
        }
    }

    @Test
    void theCommandEndsWithTheSeedAndViolationCount() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine(new SimulateCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--seeds", "12", "--first", "100");
        String text = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).isZero();
        assertThat(text.lines().reduce((x, y) -> y).orElse("")).isEqualTo("12 seeds, 0 violations");
        assertThat(new CommandLine(new SimulateCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute("--profile", "nonsense")).isNotZero();
    }
}
