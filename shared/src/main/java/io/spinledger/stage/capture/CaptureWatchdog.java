package io.spinledger.stage.capture;

import io.spinledger.catalog.StationRepository;
import io.spinledger.catalog.StationRepository.CaptureAssignment;
import io.spinledger.catalog.StationRepository.CaptureWorkerState;
import io.spinledger.domain.Station;
import io.spinledger.domain.StreamHealth;
import io.spinledger.stats.Metering;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture stage's watchdog (scheduled): finds stations with a stream that no live {@link CaptureWorker}
 * holds (no worker running, every worker at capacity, or a worker that died and was not replaced) and says so:
 * the station's stream health becomes {@value #UNMONITORED} with the reason (written once, when it changes), a
 * WARN line names it, and the count is returned for the alarm ({@code UnmonitoredStations}). A station gets a
 * grace period after it is registered, and after its worker's heartbeat ran out, for a worker to take it.
 */
public final class CaptureWatchdog {
    /** Stream health status of a station that no capture worker holds. */
    public static final String UNMONITORED = "UNMONITORED";
    private static final Logger log = LoggerFactory.getLogger(CaptureWatchdog.class);
    private final StationRepository stations;
    private final Duration grace;

    /**
     * @param stations stations, assignments, heartbeats and stream health
     * @param grace    how long a station may be unheld before it is reported (after registration, or after its
     *                 worker's heartbeat ran out)
     */
    public CaptureWatchdog(StationRepository stations, Duration grace) {
        this.stations = stations;
        this.grace = grace;
    }

    /**
     * What one check found.
     *
     * @param monitored   stations with a stream that a live worker holds
     * @param unmonitored stations with a stream that none holds (past the grace period), by id
     * @param liveWorkers workers whose heartbeat is current
     * @param capacity    the live workers' streams in all
     */
    public record Report(int monitored, List<String> unmonitored, int liveWorkers, int capacity) {
    }

    /**
     * Checks every station with a stream at {@code now}.
     *
     * @return the report; unheld stations' health is updated as a side effect
     */
    public Report check(Instant now) {
        List<CaptureWorkerState> live = stations.workers().stream()
                .filter(w -> w.aliveUntil().isAfter(now)).toList();
        Map<String, CaptureWorkerState> liveById = live.stream()
                .collect(Collectors.toMap(CaptureWorkerState::workerId, Function.identity()));
        Map<String, CaptureWorkerState> all = stations.workers().stream()
                .collect(Collectors.toMap(CaptureWorkerState::workerId, Function.identity(), (a, b) -> a));
        int capacity = live.stream().mapToInt(CaptureWorkerState::capacity).sum();
        int monitored = 0;
        List<String> unheld = new ArrayList<>();
        for (Station s : stations.list()) {
            if (s.streamUrl() == null || s.streamUrl().isBlank()) {
                continue;
            }
            CaptureAssignment a = stations.assignment(s.stationId()).orElse(null);
            CaptureWorkerState holder = a == null ? null : liveById.get(a.workerId());
            if (holder != null && holder.stations().contains(s.stationId())) {
                monitored++;
                continue;
            }
            Instant unheldSince = s.createdAt() == null ? Instant.EPOCH : s.createdAt();
            if (a != null) {
                CaptureWorkerState last = all.get(a.workerId());
                unheldSince = last == null ? a.since() : last.aliveUntil();
                if (liveById.containsKey(a.workerId())) {
                    unheldSince = now; // just claimed, not yet in its heartbeat
                }
            }
            if (Duration.between(unheldSince, now).compareTo(grace) < 0) {
                monitored++;
                continue;
            }
            unheld.add(s.stationId());
            String why = live.isEmpty() ? "no capture worker is running"
                    : "no capture worker holds it (" + live.size() + " live, " + capacity + " streams in all, "
                    + live.stream().mapToInt(w -> w.stations().size()).sum() + " in use)";
            StreamHealth h = stations.health(s.stationId());
            if (!UNMONITORED.equals(h.status()) || !why.equals(h.lastError())) {
                log.warn("station {}: not monitored: {}", s.stationId(), why);
                stations.putHealth(new StreamHealth(s.stationId(), UNMONITORED, h.lastAudioAt(), why, now,
                        h.consecutiveErrors(), h.chunksCaptured(), now));
            }
        }
        Metering.add("capture.unmonitoredChecks", unheld.size());
        return new Report(monitored, List.copyOf(unheld), live.size(), capacity);
    }
}
