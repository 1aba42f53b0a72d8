package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ContentionTest {
    private static final TransactionCancelledException CONFLICT = new TransactionCancelledException(
            List.of(TransactionCancelledException.Reason.NONE, TransactionCancelledException.Reason.CONFLICT));
    private static final TransactionCancelledException NOT_RETRYABLE = new TransactionCancelledException(
            List.of(TransactionCancelledException.Reason.NONE));

    @Test
    void retriesARetryableCancellationUntilTheActionSucceeds() {
        List<Long> waits = new ArrayList<>();
        Contention c = new Contention(2, 50, d -> waits.add(d.toMillis()), new SplittableRandom(7));
        AtomicInteger runs = new AtomicInteger();

        String out = c.call("test", 10, () -> {
            if (runs.incrementAndGet() < 4) {
                throw CONFLICT;
            }
            return "done";
        });

        assertThat(out).isEqualTo("done");
        assertThat(runs).hasValue(4);
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isBetween(1L, 2L);
        assertThat(waits.get(1)).isBetween(1L, 4L);
        assertThat(waits.get(2)).isBetween(1L, 8L);
    }

    @Test
    void waitsGrowExponentiallyUpToTheCap() {
        Contention c = new Contention(2, 50, ms -> { }, new SplittableRandom(1));
        for (int attempt = 1; attempt <= 40; attempt++) {
            long bound = Math.min(50, 2L << Math.min(attempt - 1, 30));
            for (int i = 0; i < 50; i++) {
                assertThat(c.waitMs(attempt)).isBetween(1L, bound);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        List<Long> a = new ArrayList<>();
        List<Long> b = new ArrayList<>();
        runAlwaysConflicting(new Contention(2, 50, d -> a.add(d.toMillis()), new SplittableRandom(42)));
        runAlwaysConflicting(new Contention(2, 50, d -> b.add(d.toMillis()), new SplittableRandom(42)));

        assertThat(a).hasSize(7).isEqualTo(b);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailure() {
        AtomicInteger runs = new AtomicInteger();
        Contention c = Contention.noWaits();

        assertThatThrownBy(() -> c.call("test", 5, () -> {
            runs.incrementAndGet();
            throw CONFLICT;
        })).isSameAs(CONFLICT);
        assertThat(runs).hasValue(5);
    }

    @Test
    void aFailureThatIsNotRetryablePassesAtOnce() {
        AtomicInteger runs = new AtomicInteger();
        Contention c = Contention.noWaits();

        assertThatThrownBy(() -> c.call("test", 5, () -> {
            runs.incrementAndGet();
            throw NOT_RETRYABLE;
        })).isSameAs(NOT_RETRYABLE);
        assertThatThrownBy(() -> c.call("test", 5, () -> {
            runs.incrementAndGet();
            throw new IllegalArgumentException("bad input");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aCallerPredicateChoosesWhatIsRetried() {
        AtomicInteger runs = new AtomicInteger();
        Contention c = Contention.noWaits();

        int out = c.call("test", 5, () -> {
            if (runs.incrementAndGet() < 3) {
                throw new IllegalStateException("raced");
            }
            return runs.get();
        }, e -> e instanceof IllegalStateException);

        assertThat(out).isEqualTo(3);
    }

    @Test
    void noWaitsNeitherSleepsNorDraws() {
        RandomGenerator failing = new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("drew a random number");
            }
        };
        Contention c = new Contention(0, 0, ms -> {
            throw new AssertionError("slept");
        }, failing);

        runAlwaysConflicting(c);
    }

    @Test
    void anInterruptedWaitStopsTheRetries() {
        Contention c = new Contention(2, 50, ms -> {
            throw new InterruptedException();
        }, new SplittableRandom(3));

        assertThatThrownBy(() -> c.call("test", 5, () -> {
            throw CONFLICT;
        })).isInstanceOf(IllegalStateException.class).hasMessage("interrupted");
        assertThat(Thread.interrupted()).isTrue();
    }

    private static void runAlwaysConflicting(Contention c) {
        assertThatThrownBy(() -> c.call("test", 8, () -> {
            throw CONFLICT;
        })).isSameAs(CONFLICT);
    }
}
