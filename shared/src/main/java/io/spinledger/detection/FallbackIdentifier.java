package io.spinledger.detection;

import io.spinledger.acrcloud.AcrCloudClient;
import io.spinledger.acrcloud.AcrResult;
import io.spinledger.config.TableName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Recording;
import io.spinledger.storage.DocumentTable;
import io.spinledger.storage.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The acrcloud-fallback stage's domain logic: a chunk the local index did not recognise goes to ACRCloud
 * (when configured); a match becomes a detection with source ACRCLOUD and ACRCloud's answer as evidence;
 * anything else is recorded as "unidentified" (table {@link TableName#CACHE}, pk {@code unidentified#<station>},
 * kept 90 days) so operators can see what aired that nobody could name.
 */
public final class FallbackIdentifier {
    private static final Duration KEEP_UNIDENTIFIED = Duration.ofDays(90);
    private final AcrCloudClient acr;
    private final ObjectStore objects;
    private final DocumentTable cache;
    private final Clock clock;

    /**
     * @param acr     ACRCloud client (may be inactive: then every chunk is recorded unidentified)
     * @param objects media bucket (chunks)
     * @param dynamo  DynamoDB (for unidentified records)
     * @param clock   time source
     */
    public FallbackIdentifier(AcrCloudClient acr, ObjectStore objects, DynamoDbClient dynamo, Clock clock) {
        this.acr = acr;
        this.objects = objects;
        this.cache = new DocumentTable(dynamo, TableName.CACHE);
        this.clock = clock;
    }

    /**
     * A chunk nobody identified.
     *
     * @param chunkId   the chunk
     * @param stationId the station
     * @param startedAt chunk start
     * @param reason    why: NOT_CONFIGURED, NO_RESULT, ERROR code/message
     * @param at        when recorded
     */
    public record Unidentified(String chunkId, String stationId, Instant startedAt, String reason, Instant at) {
    }

    /**
     * Identifies one chunk.
     *
     * @return the detection message to pass on, or empty when the chunk stays unidentified
     * @throws io.spinledger.external.TransientExternalException on timeouts and retryable ACRCloud codes
     *         (the message is retried)
     * @throws IllegalStateException when the chunk's audio is missing
     */
    public Optional<DetectionMessage> identify(Chunk chunk) {
        if (!acr.active()) {
            record(chunk, "NOT_CONFIGURED");
            return Optional.empty();
        }
        byte[] wav = objects.get(chunk.objectKey()).orElseThrow(() ->
                new IllegalStateException("chunk " + chunk.chunkId() + " has no object at " + chunk.objectKey()));
        AcrResult result = acr.identifyWav(wav);
        Optional<AcrResult.AcrMatch> best = result.best();
        if (best.isEmpty()) {
            record(chunk, result.outcome() + " " + result.statusCode() + " " + result.statusMsg());
            return Optional.empty();
        }
        AcrResult.AcrMatch m = best.get();
        Map<String, String> evidence = new HashMap<>();
        evidence.put("acrid", m.acrid());
        evidence.put("score", String.valueOf(m.score()));
        evidence.put("playOffsetMs", String.valueOf(m.playOffsetMs()));
        if (m.isrc() != null) {
            evidence.put("isrc", m.isrc());
        }
        long sampleBegin = m.sampleBeginOffsetMs() == null ? 0 : Math.max(0, m.sampleBeginOffsetMs());
        long sampleEnd = m.sampleEndOffsetMs() != null && m.sampleEndOffsetMs() > sampleBegin
                ? Math.min(chunk.durationMs(), m.sampleEndOffsetMs()) : chunk.durationMs();
        // play_offset_ms is the position in the song where the submitted sample ends
        long trackOffset = m.playOffsetMs() == null ? 0 : m.playOffsetMs() - sampleEnd;
        Detection d = new Detection(chunk.chunkId() + ":acr_" + m.acrid(), chunk.chunkId(), chunk.stationId(),
                chunk.startedAt(), chunk.durationMs(), "acr_" + m.acrid(), trackOffset, sampleBegin, sampleEnd, 0,
                Math.min(1.0, m.score() / 100.0), Detection.Source.ACRCLOUD, evidence);
        Map<String, String> provenance = new HashMap<>();
        provenance.put("title", "ACRCLOUD");
        provenance.put("artists", "ACRCLOUD");
        if (m.isrc() != null) {
            provenance.put("isrc", "ACRCLOUD");
        }
        Recording r = new Recording(m.isrc(), m.title(), m.artists(), m.album(), m.label(), null, null, List.of(),
                provenance);
        return Optional.of(new DetectionMessage(d, r, null));
    }

    /** Unidentified chunks of a station, oldest first. */
    public List<Unidentified> unidentified(String stationId, Instant from, Instant to) {
        return cache.query("unidentified#" + stationId, from.toString(), to.toString(), Unidentified.class);
    }

    private void record(Chunk chunk, String reason) {
        Instant now = clock.instant();
        cache.put("unidentified#" + chunk.stationId(), chunk.startedAt() + "#" + chunk.chunkId(),
                new Unidentified(chunk.chunkId(), chunk.stationId(), chunk.startedAt(), reason, now),
                now.plus(KEEP_UNIDENTIFIED).getEpochSecond());
    }
}
