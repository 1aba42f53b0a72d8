package io.spinledger.domain;

import java.time.Instant;

/**
 * A captured window of a station's audio, stored in object storage as 16-bit mono WAV.
 *
 * @param chunkId      stable id, derived from station and start instant
 * @param stationId    the station
 * @param startedAt    UTC instant of the chunk's first sample
 * @param durationMs   length of the audio
 * @param objectKey    where the WAV is stored in the media bucket
 * @param sampleRateHz sample rate of the stored audio
 * @param requestId    the capture request that produced it
 */
public record Chunk(String chunkId, String stationId, Instant startedAt, long durationMs, String objectKey,
                   int sampleRateHz, String requestId) {
    /** The id of a station's chunk that starts at an instant: {@code <stationId>-<start epoch ms>}. */
    public static String idOf(String stationId, Instant startedAt) {
        return stationId + "-" + startedAt.toEpochMilli();
    }
}
