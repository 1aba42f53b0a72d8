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
 * Stations, their stream health and their capture lease, in DynamoDB (table {@link TableName#STATIONS}:
 * pk stationId, sk STATION / HEALTH / CAPTURE).
 */
public final class StationRepository {
    private static final String STATION = "STATION";
    private static final String HEALTH = "HEALTH";
    private static final String CAPTURE = "CAPTURE";
    private final DocumentTable table;

    /** @param store the tables */
    public StationRepository(TableStore store) {
        this.table = new DocumentTable(store, TableName.STATIONS);
    }

    /**
     * Registers a station.
     *
     * @return false when a station with that id already exists (nothing is changed)
     */
    public boolean create(Station station) {
        return table.putIfAbsent(station.stationId(), STATION, station);
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
     * The live-capture lease: until when a capture request already covers the station.
     *
     * @param stationId  the station
     * @param leaseUntil end of the last issued segment
     */
    public record CaptureLease(String stationId, Instant leaseUntil) {
    }

    /** The current capture lease, if any. */
    public Optional<CaptureLease> lease(String stationId) {
        return table.get(stationId, CAPTURE, CaptureLease.class);
    }

    /**
     * Moves the lease forward only if it is still what the caller read (so two schedulers never both issue
     * the same segment).
     *
     * @param expected the lease read before, or null when there was none
     * @return true when this caller won
     */
    public boolean advanceLease(CaptureLease expected, CaptureLease next) {
        String expectedJson = expected == null ? null : table.getJson(next.stationId(), CAPTURE).orElse(null);
        if (expected != null && expectedJson == null) {
            return false;
        }
        if (expected != null && !io.spinledger.json.Json.read(expectedJson, CaptureLease.class).equals(expected)) {
            return false;
        }
        return table.replaceIf(next.stationId(), CAPTURE, next, expectedJson);
    }
}
