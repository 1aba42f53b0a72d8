package io.spinledger.domain;

import java.time.Instant;

/**
 * One unit of capture work for chunk-ingest: record a live segment of a station's stream, or cut an
 * uploaded air-check into chunks.
 *
 * @param requestId     stable id; redelivery of the same id is recognised
 * @param stationId     the station
 * @param kind          LIVE or AIRCHECK
 * @param segmentStart  LIVE: planned start of the segment; AIRCHECK: broadcast instant of the recording's first sample
 * @param segmentMs     LIVE: how long to record; AIRCHECK: ignored (0)
 * @param sourceKey     AIRCHECK: object key of the uploaded recording; LIVE: null
 */
public record CaptureRequest(String requestId, String stationId, Kind kind, Instant segmentStart, long segmentMs,
                             String sourceKey) {
    /** What is captured. */
    public enum Kind { LIVE, AIRCHECK }
}
