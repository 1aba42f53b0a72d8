package io.spinledger.stage.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.catalog.StationRepository;
import io.spinledger.catalog.StationRepository.CaptureAssignment;
import io.spinledger.catalog.StationRepository.CaptureWorkerState;
import io.spinledger.domain.Station;
import io.spinledger.ports.InMemoryTableStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stations no capture worker holds are reported, in the report and in their stream health, once. */
class CaptureWatchdogTest {
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void aStationBeyondTheFleetsCapacityIsReportedUnmonitoredWithTheReason() {
        StationRepository repo = new StationRepository(new InMemoryTableStore());
        for (String id : List.of("a-fm", "b-fm", "c-fm")) {
            repo.create(new Station(id, id, "http://stream.invalid/" + id, "GH", "A", "GHS", "UTC", T0));
        }
        repo.create(new Station("upload-only", "u", null, "GH", "A", "GHS", "UTC", T0));
        repo.putWorker(new CaptureWorkerState("w1", T0.plusSeconds(100), 2, List.of("a-fm", "b-fm"), List.of()));
        repo.assign(null, new CaptureAssignment("a-fm", "w1", T0));
        repo.assign(null, new CaptureAssignment("b-fm", "w1", T0));
        CaptureWatchdog watchdog = new CaptureWatchdog(repo, Duration.ofSeconds(30));

        assertThat(watchdog.check(T0.plusSeconds(10)).unmonitored()).as("within the grace period").isEmpty();
        CaptureWatchdog.Report r = watchdog.check(T0.plusSeconds(60));
        assertThat(r.unmonitored()).containsExactly("c-fm");
        assertThat(r.monitored()).isEqualTo(2);
        assertThat(r.liveWorkers()).isEqualTo(1);
        var health = repo.health("c-fm");
        assertThat(health.status()).isEqualTo(CaptureWatchdog.UNMONITORED);
        assertThat(health.lastError()).contains("1 live", "2 streams in all", "2 in use");
        assertThat(repo.health("a-fm").status()).isEqualTo("IDLE");
    }

    @Test
    void aDeadWorkersStationsAreReportedOnceTheGraceAfterItsHeartbeatIsOver() {
        StationRepository repo = new StationRepository(new InMemoryTableStore());
        repo.create(new Station("a-fm", "a", "http://stream.invalid/a", "GH", "A", "GHS", "UTC", T0));
        repo.putWorker(new CaptureWorkerState("w1", T0.plusSeconds(3), 5, List.of("a-fm"), List.of()));
        repo.assign(null, new CaptureAssignment("a-fm", "w1", T0));
        CaptureWatchdog watchdog = new CaptureWatchdog(repo, Duration.ofSeconds(30));

        assertThat(watchdog.check(T0.plusSeconds(20)).unmonitored()).isEmpty();
        assertThat(watchdog.check(T0.plusSeconds(40)).unmonitored()).containsExactly("a-fm");
        assertThat(repo.health("a-fm").lastError()).isEqualTo("no capture worker is running");
    }
}
