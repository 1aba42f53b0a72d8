package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EffectGuardTest {
    private final InMemoryTableStore tables = new InMemoryTableStore();
    private final EffectGuard guard = new EffectGuard(tables,
            Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC), Duration.ofDays(1));

    @Test
    void theFirstClaimRunsTheEffectAndLaterOnesGetItsResult() {
        assertThat(guard.claim("acrcloud", "c1")).isInstanceOf(EffectGuard.Claimed.class);
        guard.complete("acrcloud", "c1", "{\"answer\":42}");
        assertThat(guard.claim("acrcloud", "c1")).isEqualTo(new EffectGuard.Done("{\"answer\":42}"));
        assertThat(guard.claim("acrcloud", "c2")).isInstanceOf(EffectGuard.Claimed.class);
        assertThat(guard.claim("other", "c1")).isInstanceOf(EffectGuard.Claimed.class);
    }

    @Test
    void aClaimWithoutResultIsInFlightAndAReleasedOneIsFreeAgain() {
        guard.claim("acrcloud", "c1");
        assertThat(guard.claim("acrcloud", "c1"))
                .isEqualTo(new EffectGuard.InFlight(Instant.parse("2026-11-20T10:00:00Z")));
        guard.release("acrcloud", "c1");
        assertThat(guard.claim("acrcloud", "c1")).isInstanceOf(EffectGuard.Claimed.class);
    }

    @Test
    void aResultIsRecordedOnceAndNeverReleased() {
        guard.claim("acrcloud", "c1");
        guard.complete("acrcloud", "c1", "{}");
        assertThatThrownBy(() -> guard.complete("acrcloud", "c1", "{\"other\":1}"))
                .isInstanceOf(ConditionFailedException.class);
        assertThatThrownBy(() -> guard.release("acrcloud", "c1")).isInstanceOf(ConditionFailedException.class);
        assertThat(guard.claim("acrcloud", "c1")).isEqualTo(new EffectGuard.Done("{}"));
    }
}
