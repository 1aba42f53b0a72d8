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
 * @param updatedAt       processing time of the last change
 * @param alternatives    other recordings that claimed these seconds and lost to this play on evidence (may be
 *                        empty), strongest first
 */
public record Play(String playId, String stationId, String trackId, String title, List<String> artists, String isrc,
                   Instant startedAt, Instant endedAt, long durationMs, double confidence, Detection.Source source,
                   boolean royaltyEligible, Status status, List<String> detectionIds, List<String> chunkIds,
                   Recording recording, ProMapping proMapping, Instant updatedAt,
                   List<Alternative> alternatives) {
    public Play {
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        artists = artists == null ? List.of() : List.copyOf(artists);
        detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        chunkIds = chunkIds == null ? List.of() : List.copyOf(chunkIds);
    }

    /**
     * A play without alternatives.
     */
    public Play(String playId, String stationId, String trackId, String title, List<String> artists, String isrc,
                Instant startedAt, Instant endedAt, long durationMs, double confidence, Detection.Source source,
                boolean royaltyEligible, Status status, List<String> detectionIds, List<String> chunkIds,
                Recording recording, ProMapping proMapping, Instant updatedAt) {
        this(playId, stationId, trackId, title, artists, isrc, startedAt, endedAt, durationMs, confidence, source,
                royaltyEligible, status, detectionIds, chunkIds, recording, proMapping, updatedAt, List.of());
    }

    /** Whether the play may still change (its station's watermark has not passed it yet): status OPEN. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean provisional() {
        return status == Status.OPEN;
    }

    /**
     * Lifecycle of a play. OPEN: provisional, derived from the detections so far and shown as such; CLOSED: final
     * (the station's watermark passed its end plus the gap), being posted or not paid; POSTED: final and posted to
     * the ledger; SUPERSEDED: a final play that a late change replaced (its postings are reversed; kept for audit).
     */
    public enum Status { OPEN, CLOSED, POSTED, SUPERSEDED }

    /**
     * Another recording that claimed seconds of a play and lost to it on evidence (kept as the play's evidence).
     *
     * @param trackId      the losing track
     * @param startedAt    its earliest match start
     * @param endedAt      its latest match end
     * @param confidence   its highest detection confidence
     * @param strength     its evidence: confidence times matched seconds, summed over its detections
     * @param detectionIds its detections, sorted
     */
    public record Alternative(String trackId, Instant startedAt, Instant endedAt, double confidence, double strength,
                              List<String> detectionIds) {
        public Alternative {
            detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        }
    }
}
