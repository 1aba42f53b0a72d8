package io.spinledger.stage.capture;

import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Station;
import io.spinledger.domain.StreamHealth;
import io.spinledger.catalog.StationRepository;
import io.spinledger.catalog.StationRepository.CaptureLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which stations need a live capture segment now. Each station holds a lease (the end of the last
 * issued segment); when the lease is about to run out, the next segment is issued so that it starts
 * {@code segmentOverlapMs} before the current one ends: continuous capture with no gaps. Leases move with a
 * conditional write, so running the scheduler twice (or concurrently) issues each segment once. A lease whose
 * capture has stopped reporting health for {@code staleAfter} is treated as dead and replaced at once (e.g.
 * after a restart of the local runtime).
 */
public final class CaptureScheduler {
    private static final Logger log = LoggerFactory.getLogger(CaptureScheduler.class);
    private final StationRepository stations;
    private final Settings.Capture capture;
    private final Duration staleAfter;

    /**
     * A scheduler that treats a capture as dead after {@link #deadAfter(Settings.Capture)} without a health report.
     *
     * @param stations station store
     * @param capture  segment length and overlap, connect timeout and reconnect backoff
     */
    public CaptureScheduler(StationRepository stations, Settings.Capture capture) {
        this(stations, capture, deadAfter(capture));
    }

    /**
     * When a capture is dead: a running capture reports stream health at least once per reconnect wait (the
     * longest backoff plus three connect timeouts), so longer silence, plus 30 s of slack, means it died.
     *
     * @param capture the capture settings (milliseconds)
     * @return how long without a health report before an unexpired lease counts as dead
     */
    public static Duration deadAfter(Settings.Capture capture) {
        return Duration.ofMillis(capture.maxBackoffMs() + 3 * capture.connectTimeoutMs() + 30_000);
    }

    /**
     * @param stations   station store
     * @param capture    segment length and overlap
     * @param staleAfter how long without a health update before an unexpired lease counts as dead
     */
    public CaptureScheduler(StationRepository stations, Settings.Capture capture, Duration staleAfter) {
        this.stations = stations;
        this.capture = capture;
        this.staleAfter = staleAfter;
    }

    /**
     * Issues the capture requests due at {@code now}.
     *
     * @return the requests this call won (each to be sent to the capture queue)
     */
    public List<CaptureRequest> due(Instant now) {
        List<CaptureRequest> out = new ArrayList<>();
        for (Station s : stations.list()) {
            if (s.streamUrl() == null || s.streamUrl().isBlank()) {
                continue;
            }
            CaptureLease lease = stations.lease(s.stationId()).orElse(null);
            Instant start;
            if (lease == null || lease.leaseUntil().isBefore(now) || isStale(s.stationId(), lease, now)) {
                start = now;
            } else if (!now.isBefore(lease.leaseUntil().minusMillis(capture.segmentOverlapMs()))) {
                start = lease.leaseUntil().minusMillis(capture.segmentOverlapMs());
            } else {
                continue;
            }
            CaptureLease next = new CaptureLease(s.stationId(), start.plusMillis(capture.segmentMs()));
            if (stations.advanceLease(lease, next)) {
                String id = s.stationId() + "-" + start.toEpochMilli();
                out.add(new CaptureRequest(id, s.stationId(), CaptureRequest.Kind.LIVE, start, capture.segmentMs(), null));
                log.info("station {}: capture segment {} from {} for {} s", s.stationId(), id, start,
                        capture.segmentMs() / 1000);
            }
        }
        return out;
    }

    private boolean isStale(String stationId, CaptureLease lease, Instant now) {
        Instant segmentStart = lease.leaseUntil().minusMillis(capture.segmentMs());
        if (Duration.between(segmentStart, now).compareTo(staleAfter) < 0) {
            return false; // just issued: give it time to connect
        }
        StreamHealth h = stations.health(stationId);
        boolean stale = h.updatedAt() == null || Duration.between(h.updatedAt(), now).compareTo(staleAfter) > 0;
        if (stale) {
            log.warn("station {}: capture lease until {} has had no health report since {}; issuing a new segment",
                    stationId, lease.leaseUntil(), h.updatedAt());
        }
        return stale;
    }
}
