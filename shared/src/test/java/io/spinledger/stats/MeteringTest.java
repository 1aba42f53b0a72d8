package io.spinledger.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteringTest {
    private static long delta(Map<String, Long> before, String counter) {
        return Metering.snapshot().getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    @Test
    void anInvocationCountsItsTimeAndWhatItUses() {
        Map<String, Long> before = Metering.snapshot();
        String result = Metering.invoke("meteringTestFn", () -> {
            assertThat(Metering.currentFunction()).isEqualTo("meteringTestFn");
            Metering.addInScope("aws.s3.PutObject.meteringTest", 3);
            long until = System.nanoTime() + 20_000_000L;
            long spin = 0;
            while (System.nanoTime() < until) {
                spin++;
            }
            return spin > 0 ? "done" : "no time passed";
        });
        assertThat(result).isEqualTo("done");
        assertThat(Metering.currentFunction()).isNull();
        assertThat(delta(before, "function.meteringTestFn.invocations")).isEqualTo(1);
        assertThat(delta(before, "function.meteringTestFn.wallMs")).isGreaterThanOrEqualTo(20);
        assertThat(delta(before, "function.meteringTestFn.cpuMs")).isGreaterThanOrEqualTo(5);
        assertThat(delta(before, "aws.s3.PutObject.meteringTest")).isEqualTo(3);
        assertThat(delta(before, "function.meteringTestFn.aws.s3.PutObject.meteringTest")).isEqualTo(3);
    }

    @Test
    void aFailedInvocationStillCounts() {
        Map<String, Long> before = Metering.snapshot();
        assertThatThrownBy(() -> Metering.invoke("meteringTestFailing", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(delta(before, "function.meteringTestFailing.invocations")).isEqualTo(1);
        assertThat(delta(before, "function.meteringTestFailing.wallMs")).isGreaterThanOrEqualTo(1);
        assertThat(Metering.currentFunction()).isNull();
    }

    @Test
    void unmeteredWorkCountsNothingAndNothingIsAttributedOutsideAFunction() {
        Map<String, Long> before = Metering.snapshot();
        Metering.unmetered(() -> {
            Metering.add("meteringTest.hidden", 5);
            return null;
        });
        Metering.addInScope("meteringTest.outside", 2);
        assertThat(delta(before, "meteringTest.hidden")).isZero();
        assertThat(delta(before, "meteringTest.outside")).isEqualTo(2);
        assertThat(Metering.snapshot().keySet()).noneMatch(k -> k.startsWith("function.")
                && k.endsWith(".meteringTest.outside"));
    }
}
