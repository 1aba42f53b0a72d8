package io.spinledger.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One chunk matched to one recording.
 *
 * @param detectionId   stable id: chunk id + ":" + track id ({@code :carried} appended for a detection the match
 *                      stage's look-forward carried from the previous chunk)
 * @param chunkId       the matched chunk
 * @param stationId     the station
 * @param chunkStartedAt UTC start of the chunk
 * @param chunkDurationMs length of the chunk
 * @param trackId       catalog track id (for ACRCloud answers, {@code acr_<acrid>})
 * @param trackOffsetMs position in the track that corresponds to the chunk's first sample (may be negative
 *                      when the track starts inside the chunk)
 * @param matchStartMs  offset within the chunk, ms, where the track is audible from (the local match stage's
 *                      audible span; the aligned fingerprints' own span is in {@code evidence.aligned})
 * @param matchEndMs    offset within the chunk, ms, where it stops being audible
 * @param alignedCount  number of time-aligned fingerprints (0 for a chunk the track was followed into along
 *                      another chunk's placement: {@code evidence.lookBackFrom} or {@code evidence.carriedFrom})
 * @param confidence    confidence in [0, 1]
 * @param source        LOCAL (own index) or ACRCLOUD
 * @param evidence      source-specific evidence (e.g. ACRCloud acrid, score), may be empty; kept sorted by key,
 *                      so its JSON is the same in every process
 */
public record Detection(String detectionId, String chunkId, String stationId, Instant chunkStartedAt,
                        long chunkDurationMs, String trackId, long trackOffsetMs, long matchStartMs, long matchEndMs,
                        int alignedCount, double confidence, Source source, Map<String, String> evidence) {
    public Detection {
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(evidence));
    }

    /** Who identified the audio. */
    public enum Source { LOCAL, ACRCLOUD }

    /**
     * This detection with other evidence; every other field unchanged.
     *
     * @param newEvidence the evidence that replaces this detection's (null: none)
     */
    public Detection withEvidence(Map<String, String> newEvidence) {
        return new Detection(detectionId, chunkId, stationId, chunkStartedAt, chunkDurationMs, trackId, trackOffsetMs,
                matchStartMs, matchEndMs, alignedCount, confidence, source, newEvidence);
    }

    /** UTC instant where the match starts in the chunk. */
    public Instant matchStartedAt() {
        return chunkStartedAt.plusMillis(matchStartMs);
    }

    /** UTC instant of the last aligned fingerprint. */
    public Instant matchEndedAt() {
        return chunkStartedAt.plusMillis(matchEndMs);
    }
}
