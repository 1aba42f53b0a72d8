package io.spinledger.stage.fallback;

import io.spinledger.engine.audio.Pcm;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.json.Json;
import io.spinledger.stats.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.spinledger.external.acrcloud.AcrResult;
import io.spinledger.config.TableName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Recording;
import io.spinledger.ports.AudioIdentifier;
import io.spinledger.ports.EffectGuard;
import io.spinledger.ports.Item;
import io.spinledger.ports.Write;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.ObjectStore;
import io.spinledger.stage.match.LearnedReferences;
import io.spinledger.stats.Metering;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The acrcloud-fallback stage's domain logic: a chunk the local index did not recognise goes to ACRCloud only when
 * it pays: the {@link MusicGate} must hear music (talk, jingles and silence cost nothing), and the shared
 * {@link AcrBudget} must allow a call (per minute, per day, per station). The call goes through the
 * {@link AcrCloudGuard} (circuit breaker, retries) with the sample trimmed to the recommended length. A match
 * becomes a detection with source ACRCLOUD and ACRCloud's answer as evidence, and the audio is learned as a
 * partial reference ({@link LearnedReferences}) so the next airing matches locally. Anything else is recorded as
 * "unidentified" (table {@link TableName#CACHE}, pk {@code unidentified#<station>}, kept 90 days) with the reason,
 * so operators can see what aired that nobody named and why.
 */
public final class FallbackIdentifier {
    private static final Logger log = LoggerFactory.getLogger(FallbackIdentifier.class);
    private static final Duration KEEP_UNIDENTIFIED = Duration.ofDays(90);
    /** Effect-guard scope of ACRCloud calls, keyed by chunk id. */
    static final String ACR_SCOPE = "acrcloud";
    /** Scope of the per-chunk count of transient refusals and failures (per-minute limit, timeouts, 5xx). */
    static final String TRIES_SCOPE = "acrcloud-tries";
    /**
     * Transient refusals or failures after which a chunk is recorded unidentified instead of retried: below the
     * queue's receive limit (5), so an outage or a sustained overload never dead-letters a chunk.
     */
    static final int TRANSIENT_TRIES = 3;
    private final AudioIdentifier acr;
    private final EffectGuard once;
    private final TableStore store;
    private final MusicGate gate;
    private final AcrBudget budget;
    private final LearnedReferences learned;
    private final Counters counters;
    private final ObjectStore objects;
    private final DocumentTable cache;
    private final Clock clock;

    /**
     * @param acr      guarded ACRCloud client (may be inactive: then every chunk is recorded unidentified)
     * @param gate     music gate, or null to send every chunk
     * @param budget   shared call budgets
     * @param learned  learned references, or null not to learn
     * @param counters operational counters
     * @param objects  media bucket (chunks)
     * @param store    the tables (for unidentified records)
     * @param clock    time source
     */
    public FallbackIdentifier(AudioIdentifier acr, MusicGate gate, AcrBudget budget, LearnedReferences learned,
                              Counters counters, ObjectStore objects, TableStore store, Clock clock) {
        this.acr = acr;
        this.gate = gate;
        this.budget = budget;
        this.learned = learned;
        this.counters = counters;
        this.objects = objects;
        this.cache = new DocumentTable(store, TableName.CACHE);
        this.once = new EffectGuard(store, clock, KEEP_UNIDENTIFIED);
        this.store = store;
        this.clock = clock;
    }

    /**
     * A chunk nobody identified.
     *
     * @param chunkId   the chunk
     * @param stationId the station
     * @param startedAt chunk start
     * @param reason    why: GATED SPEECH/SILENCE (with the gate's features), BUDGET (which), ACRCLOUD_INACTIVE,
     *                  NO_RESULT, ERROR code/message
     * @param at        when recorded
     */
    public record Unidentified(String chunkId, String stationId, Instant startedAt, String reason, Instant at) {
    }

    /**
     * Identifies one chunk.
     *
     * @return the detection message to pass on, or empty when the chunk stays unidentified
     * @throws io.spinledger.external.TransientExternalException on timeouts, retryable ACRCloud codes after the
     *         retries, an open circuit, or the shared per-minute limit (the message is retried later)
     * @throws IllegalStateException when the chunk's audio is missing
     */
    public Optional<DetectionMessage> identify(Chunk chunk) {
        if (!acr.active()) {
            Metering.increment("acrcloud.notConfigured");
            record(chunk, "ACRCLOUD_INACTIVE (no credentials, or rejected by ACRCloud)");
            return Optional.empty();
        }
        byte[] wav = objects.get(chunk.objectKey()).orElseThrow(() ->
                new IllegalStateException("chunk " + chunk.chunkId() + " has no object at " + chunk.objectKey()));
        Pcm pcm = null;
        try {
            pcm = io.spinledger.engine.audio.Wav.read(wav);
        } catch (RuntimeException e) {
            log.warn("chunk {} is not readable audio, sent to ACRCloud ungated: {}", chunk.chunkId(), e.getMessage());
        }
        if (gate != null && pcm != null) {
            MusicGate.Verdict v = gate.classify(pcm);
            if (v.kind() != MusicGate.Kind.MUSIC) {
                counters.incrementOnce(Counters.GATED_PREFIX + v.kind(), chunk.chunkId());
                record(chunk, "GATED " + v.describe());
                return Optional.empty();
            }
        }
        AcrResult result;
        EffectGuard.Claim claim = once.claim(ACR_SCOPE, chunk.chunkId());
        switch (claim) {
            case EffectGuard.Done done -> result = Json.read(done.resultJson(), AcrResult.class);
            case EffectGuard.InFlight inFlight -> {
                record(chunk, "ACRCLOUD_INTERRUPTED: a call for this chunk started at " + inFlight.since()
                        + " and its answer was lost; not repeated, so the chunk is not paid for twice");
                return Optional.empty();
            }
            case EffectGuard.Claimed claimed -> {
                Optional<AcrResult> answered = callOnce(chunk, wav);
                if (answered.isEmpty()) {
                    return Optional.empty();
                }
                result = answered.get();
            }
        }
        Optional<AcrResult.AcrMatch> best = result.best();
        if (best.isEmpty()) {
            record(chunk, result.outcome() + " " + result.statusCode() + " " + result.statusMsg());
            return Optional.empty();
        }
        counters.incrementOnce(Counters.ACR_MATCHES, chunk.chunkId()); // once per chunk: a redelivery reuses the answer
        AcrResult.AcrMatch m = best.get();
        Map<String, String> evidence = new HashMap<>();
        evidence.put("acrid", m.acrid());
        evidence.put("score", String.valueOf(m.score()));
        evidence.put("statusCode", String.valueOf(result.statusCode()));
        putIf(evidence, "playOffsetMs", m.playOffsetMs());
        putIf(evidence, "sampleBeginOffsetMs", m.sampleBeginOffsetMs());
        putIf(evidence, "sampleEndOffsetMs", m.sampleEndOffsetMs());
        putIf(evidence, "durationMs", m.durationMs());
        putIf(evidence, "isrc", m.isrc());
        putIf(evidence, "iswc", m.iswc());
        putIf(evidence, "title", m.title());
        if (!m.artists().isEmpty()) {
            evidence.put("artists", String.join("; ", m.artists()));
        }
        putIf(evidence, "album", m.album());
        putIf(evidence, "label", m.label());
        long sampleBegin = m.sampleBeginOffsetMs() == null ? 0 : Math.max(0, m.sampleBeginOffsetMs());
        long sampleEnd = m.sampleEndOffsetMs() != null && m.sampleEndOffsetMs() > sampleBegin
                ? Math.min(chunk.durationMs(), m.sampleEndOffsetMs()) : chunk.durationMs();
        // play_offset_ms is the position in the song where the submitted sample ends
        long trackOffset = m.playOffsetMs() == null ? 0 : m.playOffsetMs() - sampleEnd;
        String trackId = LearnedReferences.trackIdOf(m.acrid());
        Detection d = new Detection(chunk.chunkId() + ":" + trackId, chunk.chunkId(), chunk.stationId(),
                chunk.startedAt(), chunk.durationMs(), trackId, trackOffset, sampleBegin, sampleEnd, 0,
                Math.min(1.0, m.score() / 100.0), Detection.Source.ACRCLOUD, evidence);
        counters.incrementOnce(Counters.DETECTIONS_PREFIX + Detection.Source.ACRCLOUD, d.detectionId());
        if (learned != null && pcm != null) {
            try {
                learned.learn(m, pcm, trackOffset);
            } catch (RuntimeException e) {
                log.warn("could not learn {} from chunk {}: {}", trackId, chunk.chunkId(), e.toString());
            }
        }
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

    /**
     * Takes the budget and calls ACRCloud for a claimed chunk, then records the answer under the claim so a
     * redelivery reuses it. Releases the claim when no call was made or the call failed before an answer.
     *
     * @return the answer, or empty when the budget refused (the chunk is recorded unidentified)
     */
    private Optional<AcrResult> callOnce(Chunk chunk, byte[] wav) {
        AcrBudget.Grant grant;
        try {
            grant = budget.tryAcquire(chunk.stationId());
        } catch (RuntimeException e) {
            once.release(ACR_SCOPE, chunk.chunkId());
            throw e;
        }
        switch (grant) {
            case GRANTED -> { }
            case MINUTE_LIMIT -> {
                once.release(ACR_SCOPE, chunk.chunkId());
                return giveUpAfterTries(chunk, new TransientExternalException("ACRCloud",
                        "shared per-minute limit reached; retry later", null));
            }
            default -> {
                once.release(ACR_SCOPE, chunk.chunkId());
                counters.incrementOnce(Counters.BUDGET_REFUSED, chunk.chunkId());
                record(chunk, "BUDGET " + grant);
                return Optional.empty();
            }
        }
        counters.increment(Counters.ACR_CALLS);
        AcrResult result;
        try {
            result = acr.identifyWav(wav);
        } catch (TransientExternalException e) {
            once.release(ACR_SCOPE, chunk.chunkId()); // no answer: nothing billed, the redelivery may call again
            return giveUpAfterTries(chunk, e);
        } catch (ExternalServiceException e) {
            // an answer we cannot use: calling again would pay again for the same chunk
            result = new AcrResult(AcrResult.Outcome.ERROR, e.httpStatus(), "unusable answer: " + e.getMessage(),
                    List.of());
        }
        once.complete(ACR_SCOPE, chunk.chunkId(), Json.write(result));
        return Optional.of(result);
    }

    /**
     * Counts a transient refusal or failure of this chunk; rethrows it (the queue redelivers the chunk) until the
     * chunk has had {@value #TRANSIENT_TRIES} of them, then records it unidentified with the reason: retrying
     * further would use up the message's receives and dead-letter it without a word.
     *
     * @return empty (the chunk is recorded unidentified)
     * @throws TransientExternalException {@code e}, while tries remain
     */
    private Optional<AcrResult> giveUpAfterTries(Chunk chunk, TransientExternalException e) {
        long tries = store.update(Write.update(TableName.IDEMPOTENCY, TRIES_SCOPE, chunk.chunkId())
                .add("tries", 1).set(Item.EXPIRES_AT, clock.instant().plus(KEEP_UNIDENTIFIED).getEpochSecond()))
                .num("tries", 1);
        if (tries < TRANSIENT_TRIES) {
            throw e;
        }
        record(chunk, "ACRCLOUD_UNAVAILABLE after " + tries + " tries: " + e.getMessage());
        return Optional.empty();
    }

    private static void putIf(Map<String, String> m, String key, Object value) {
        if (value != null) {
            m.put(key, String.valueOf(value));
        }
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
