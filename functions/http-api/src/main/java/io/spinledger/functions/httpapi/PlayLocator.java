package io.spinledger.functions.httpapi;

import io.spinledger.catalog.StationRepository;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.stage.plays.PlayStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds a play by id alone: plays are stored per station, so the station comes from {@code ?stationId=}, from
 * the play's postings, or from the start instant in the id ({@code p-<13-digit epoch ms>-<hash>}) looked up
 * at every station.
 */
final class PlayLocator {
    private final PlayStore plays;
    private final StationRepository stations;
    private final Ledger ledger;

    PlayLocator(PlayStore plays, StationRepository stations, Ledger ledger) {
        this.plays = plays;
        this.stations = stations;
        this.ledger = ledger;
    }

    /** The play, or 404. */
    Play find(String playId, Optional<String> stationId) {
        if (playId == null || !playId.matches("p-\\d{13}-[0-9a-zA-Z]+")) {
            throw ApiException.notFound("no play " + playId);
        }
        if (stationId.isPresent()) {
            return plays.get(stationId.get(), playId).orElseThrow(() ->
                    ApiException.notFound("no play " + playId + " at station " + stationId.get()));
        }
        List<LedgerTransaction> txs = ledger.transactionsOfPlay(playId);
        if (!txs.isEmpty()) {
            Optional<Play> p = plays.get(txs.get(0).stationId(), playId);
            if (p.isPresent()) {
                return p.get();
            }
        }
        Instant start = Instant.ofEpochMilli(Long.parseLong(playId.substring(2, 15)));
        for (Station s : stations.list()) {
            Optional<Play> p = plays.queryPlays(s.stationId(), start, start.plusMillis(1)).stream()
                    .filter(x -> x.playId().equals(playId)).findFirst();
            if (p.isPresent()) {
                return p.get();
            }
        }
        throw ApiException.notFound("no play " + playId);
    }
}
