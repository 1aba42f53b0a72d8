package io.spinledger.catalog;

import io.spinledger.config.TableName;
import io.spinledger.domain.Track;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.TableStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The catalog of reference tracks in DynamoDB (table {@link TableName#TRACKS}). */
public final class TrackRepository {
    private static final String SK = "TRACK";
    private final DocumentTable table;

    /** @param store the tables */
    public TrackRepository(TableStore store) {
        this.table = new DocumentTable(store, TableName.TRACKS);
    }

    /** Stores (or replaces) a track. */
    public void put(Track track) {
        table.put(track.trackId(), SK, track);
    }

    /** One track by id. */
    public Optional<Track> get(String trackId) {
        return table.get(trackId, SK, Track.class);
    }

    /** All tracks, ordered by registration time. */
    public List<Track> list() {
        return table.scanBySortKey(SK, Track.class).stream()
                .sorted(Comparator.comparing(Track::registeredAt).thenComparing(Track::trackId)).toList();
    }

    /** Removes a track from the catalog. */
    public void delete(String trackId) {
        table.delete(trackId, SK);
    }
}
