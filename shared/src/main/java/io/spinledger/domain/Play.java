package io.spinledger.domain;

import java.time.Instant;
import java.util.List;

/**
 * One airing of a recording on a station: consecutive detections of one track merged.
 *
 * @param playId          stable id ({@code p-<startEpochMs>-<hash>}), sorts by start time
 * @param stationId       the station
 * @param trackId         the recording
 * @param title           title at detection time
 * @param artists         artists
 * @param isrc            ISRC or null
 * @param startedAt       UTC start (first aligned fingerprint of the first detection)
 * @param endedAt         UTC end (last aligned fingerprint of the last detection)
 * @param durationMs      end minus start
 * @param confidence      highest detection confidence
 * @param source          LOCAL or ACRCLOUD
 * @param royaltyEligible whether it is long enough to be paid (known once closed)
 * @param status          OPEN (may still grow), CLOSED (final, not paid), POSTED (final, posted to the ledger)
 * @param detectionIds    the detections it was built from
 * @param chunkIds        the chunks those came from
 * @param recording       enrichment of the latest detection, may be null
 * @param proMapping      society shares, may be null
 * @param updatedAt       processing time of the last change (drives closing)
 */
public record Play(String playId, String stationId, String trackId, String title, List<String> artists, String isrc,
                   Instant startedAt, Instant endedAt, long durationMs, double confidence, Detection.Source source,
                   boolean royaltyEligible, Status status, List<String> detectionIds, List<String> chunkIds,
                   Recording recording, ProMapping proMapping, Instant updatedAt) {
    public Play {
        artists = artists == null ? List.of() : List.copyOf(artists);
        detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
    }

    /** Lifecycle of a play. */
    public enum Status { OPEN, CLOSED, POSTED }
}
