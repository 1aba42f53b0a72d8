package io.spinledger.domain;

import java.time.Instant;

/**
 * Health of one station's stream, as last seen by chunk-ingest.
 *
 * @param stationId         the station
 * @param status            UP (audio arriving), RECONNECTING, DOWN (retries exhausted for this segment), SILENT
 *                          (connected but only silence), IDLE (never captured)
 * @param lastAudioAt       last time non-silent audio arrived, may be null
 * @param lastError         last error message, may be null
 * @param lastErrorAt       when it happened, may be null
 * @param consecutiveErrors connect/read failures in a row
 * @param chunksCaptured    chunks stored so far (all segments)
 * @param updatedAt         when this record was written
 */
public record StreamHealth(String stationId, String status, Instant lastAudioAt, String lastError, Instant lastErrorAt,
                           int consecutiveErrors, long chunksCaptured, Instant updatedAt) {
    /** Health of a station that was never captured. */
    public static StreamHealth idle(String stationId) {
        return new StreamHealth(stationId, "IDLE", null, null, null, 0, 0, null);
    }
}
