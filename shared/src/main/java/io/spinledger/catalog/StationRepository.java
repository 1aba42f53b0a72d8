package io.spinledger.catalog;

import io.spinledger.config.TableName;
import io.spinledger.domain.Station;
import io.spinledger.domain.StreamHealth;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.TableStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Stations, their stream health and capture assignment, in DynamoDB (table
 * {@link TableName#STATIONS}: pk stationId, sk STATION / HEALTH / ASSIGNED), and the capture workers'
 * heartbeats (pk {@value #WORKERS}, sk the worker id: one partition, read with one query).
 */
public final class StationRepository {
    private static final String STATION = "STATION";
    private static final String HEALTH = "HEALTH";
    private static final String ASSIGNED = "ASSIGNED";
    /** Partition key of the capture workers' heartbeats. */
    public static final String WORKERS = "#capture-workers";
    private final DocumentTable table;
    private final TableStore store;

    /** @param store the tables */
    public StationRepository(TableStore store) {
        this.store = store;
        this.table = new DocumentTable(store, TableName.STATIONS);
    }

    /**
     * Registers a station.
     *
     * @return false when a station with that id already exists (nothing is changed)
     */
    public boolean create(Station station) {
        boolean created = table.putIfAbsent(station.stationId(), STATION, station);
        if (created && station.streamUrl() != null && !station.streamUrl().isBlank()) {
            // tells the capture workers at their next tick (they read this partition every second), so a new
            // station is captured within about a second rather than at the next scan of the station table
            table.put(WORKERS, NEW_STATION + station.stationId(), io.spinledger.json.Json.write(station.stationId()));
        }
        return created;
    }

    /** Sort-key prefix of a new station's marker in the workers' partition (after every worker id). */
    private static final String NEW_STATION = "~new#";

    /** Stations registered with a stream that no capture worker has taken up yet (their markers), by id. */
    public List<String> newStations() {
        return table.query(WORKERS, NEW_STATION, NEW_STATION + "\uffff", String.class);
    }

    /** Removes a new station's marker (a worker has seen it). */
    public void clearNewStation(String stationId) {
        table.delete(WORKERS, NEW_STATION + stationId);
    }

    /** One station by id. */
    public Optional<Station> get(String stationId) {
        return table.get(stationId, STATION, Station.class);
    }

    /** All stations, by id. */
    public List<Station> list() {
        return table.scanBySortKey(STATION, Station.class).stream()
                .sorted(Comparator.comparing(Station::stationId)).toList();
    }

    /** The station's stream health ({@link StreamHealth#idle} when never captured). */
    public StreamHealth health(String stationId) {
        return table.get(stationId, HEALTH, StreamHealth.class).orElse(StreamHealth.idle(stationId));
    }

    /** Records the station's stream health. */
    public void putHealth(StreamHealth health) {
        table.put(health.stationId(), HEALTH, health);
    }

    /**
     * Which capture worker holds a station's stream.
     *
     * @param stationId the station
     * @param workerId  the worker that holds it
     * @param since     when it took the station
     */
    public record CaptureAssignment(String stationId, String workerId, Instant since) {
    }

    /** The station's capture assignment, if a worker ever took it (and has not released it). */
    public Optional<CaptureAssignment> assignment(String stationId) {
        return table.get(stationId, ASSIGNED, CaptureAssignment.class);
    }

    /**
     * Gives the station to {@code next.workerId()} only if its assignment is still {@code expected} (optimistic
     * concurrency: of two workers claiming one station, one wins).
     *
     * @param expected the assignment read before, or null when there was none
     * @param next     the new assignment
     * @return true when this caller won
     */
    public boolean assign(CaptureAssignment expected, CaptureAssignment next) {
        String expectedJson = expected == null ? null : io.spinledger.json.Json.write(expected);
        return table.replaceIf(next.stationId(), ASSIGNED, next, expectedJson);
    }

    /**
     * Releases a station a worker holds (when it stops capturing it), so another worker may take it at once.
     *
     * @param held the assignment the worker holds; nothing happens when the station has moved on meanwhile
     */
    public void release(CaptureAssignment held) {
        try {
            store().write(io.spinledger.ports.Write.delete(TableName.STATIONS, held.stationId(), ASSIGNED,
                    io.spinledger.ports.Condition.eq(TableName.DOC, io.spinledger.json.Json.write(held))));
        } catch (io.spinledger.ports.ConditionFailedException moved) {
            // another worker took it meanwhile: nothing to release
        }
    }

    /**
     * A capture worker's heartbeat.
     *
     * @param workerId   the worker
     * @param aliveUntil until when it promises to renew this record; past it, the worker counts as dead and its
     *                   stations may be taken
     * @param capacity   how many streams it may hold
     * @param stations   the stations it holds, sorted
     * @param offered    of those, the ones it is above its fair share by and offers to other workers
     */
    public record CaptureWorkerState(String workerId, Instant aliveUntil, int capacity, List<String> stations,
                                     List<String> offered) {
        /** Null lists read as empty. */
        public CaptureWorkerState {
            stations = stations == null ? List.of() : List.copyOf(stations);
            offered = offered == null ? List.of() : List.copyOf(offered);
        }
    }

    /** Writes a worker's heartbeat. */
    public void putWorker(CaptureWorkerState state) {
        table.put(WORKERS, state.workerId(), state);
    }

    /** Removes a worker's heartbeat (it stopped cleanly). */
    public void deleteWorker(String workerId) {
        table.delete(WORKERS, workerId);
    }

    /** Every worker's last heartbeat (dead ones included until they are removed), by worker id. */
    public List<CaptureWorkerState> workers() {
        return table.query(WORKERS, "", "~", CaptureWorkerState.class);
    }

    private TableStore store() {
        return store;
    }
}
