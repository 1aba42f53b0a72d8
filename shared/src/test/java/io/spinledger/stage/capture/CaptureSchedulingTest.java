package io.spinledger.stage.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.catalog.StationRepository;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Station;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.stage.SentMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capture scheduling on the in-memory table store. */
class CaptureSchedulingTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Settings.Capture CAPTURE = Settings.load(name -> null).capture();
    private static StationRepository stations;

    @BeforeAll
    static void start() {
        stations = new StationRepository(new InMemoryTableStore());
    }


    @Test
    void aCaptureIsDeadAfterTheLongestReconnectWaitWithoutAHealthReport() {
        // 60 s max backoff + 3 x 10 s connect timeout + 30 s slack
        assertThat(CaptureScheduler.deadAfter(CAPTURE)).isEqualTo(Duration.ofSeconds(120));
        assertThat(CaptureScheduler.deadAfter(new Settings.Capture(10_000, 2_000, 300_000, 5_000, 11_025, 1_000,
                5_000))).isEqualTo(Duration.ofSeconds(38));
    }

    @Test
    void eachSegmentIsIssuedOnceAndADeadCaptureIsReplacedAtOnce() {
        stations.create(new Station("cs-1", "Capture FM", "http://example.invalid/stream", "GH", "A", "GHS",
                "Africa/Accra", T0));
        stations.create(new Station("cs-no-stream", "No Stream FM", null, "GH", "A", "GHS", "Africa/Accra", T0));
        CaptureScheduling stage = new CaptureScheduling(new CaptureScheduler(stations, CAPTURE));
        SentMessages out = new SentMessages();

        List<CaptureRequest> first = stage.handle(T0, out);
        List<CaptureRequest> soonAfter = stage.handle(T0.plusSeconds(100), out); // alive: no health needed yet
        List<CaptureRequest> dead = stage.handle(T0.plusSeconds(121), out); // no health report for 121 s

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.stationId()).isEqualTo("cs-1");
            assertThat(r.segmentStart()).isEqualTo(T0);
            assertThat(r.segmentMs()).isEqualTo(CAPTURE.segmentMs());
        });
        assertThat(soonAfter).filteredOn(r -> r.stationId().equals("cs-1")).isEmpty();
        assertThat(dead).filteredOn(r -> r.stationId().equals("cs-1")).singleElement()
                .extracting(CaptureRequest::segmentStart).isEqualTo(T0.plusSeconds(121));
        assertThat(out.to(QueueName.CAPTURE, CaptureRequest.class)).filteredOn(r -> r.stationId().startsWith("cs-"))
                .containsExactly(first.get(0), dead.get(0));
        assertThat(out.all()).allMatch(s -> s.queue() == QueueName.CAPTURE);
    }
}
