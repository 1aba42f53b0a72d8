package io.spinledger.stage.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.stage.SentMessages;
import io.spinledger.stats.Counters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchStageTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Chunk CHUNK = new Chunk("c1", "st-1", T0, 10_000, "chunks/st-1/c1.wav", 11_025, "r1");

    /** Counts once per (counter, key), like {@link Counters#incrementOnce}. */
    private final Set<String> counted = new LinkedHashSet<>();
    private final List<String> counts = new ArrayList<>();
    private final SentMessages out = new SentMessages();

    private MatchStage stageAnswering(ChunkMatcher.Outcome outcome) {
        return new MatchStage(chunk -> outcome, (counter, key) -> {
            if (counted.add(counter + "|" + key)) {
                counts.add(counter);
            }
        });
    }

    private static Detection detection(String trackId, Map<String, String> evidence) {
        return new Detection("c1:" + trackId, "c1", "st-1", T0, 10_000, trackId, 42_000, 1_000, 9_000, 17, 0.8,
                Detection.Source.LOCAL, evidence);
    }

    @Test
    void aLearnedReferenceMatchCarriesItsProvenanceAndCountsAsAnAcrCloudCallSaved() {
        Detection learned = detection("acr_abc123", Map.of("timeScale", "1.0000"));
        Detection local = detection("trk_1", Map.of("timeScale", "1.0000"));
        MatchStage stage = stageAnswering(new ChunkMatcher.Outcome(ChunkMatcher.Kind.MATCHED,
                List.of(learned, local), null));

        stage.handle(CHUNK, out);
        stage.handle(CHUNK, out); // redelivery: sent again, counted once

        List<DetectionMessage> sent = out.to(QueueName.DETECTION, DetectionMessage.class);
        assertThat(sent).hasSize(4);
        Detection first = sent.get(0).detection();
        assertThat(first.evidence()).containsExactlyInAnyOrderEntriesOf(
                Map.of("timeScale", "1.0000", "learned", "ACRCLOUD_LEARNED", "acrid", "abc123"));
        assertThat(first).usingRecursiveComparison().ignoringFields("evidence").isEqualTo(learned);
        assertThat(sent.get(1).detection()).isEqualTo(local);
        assertThat(sent.get(0).recording()).isNull();
        assertThat(sent.get(0).proMapping()).isNull();
        assertThat(out.to(QueueName.FALLBACK, Chunk.class)).isEmpty();
        assertThat(counts).containsExactly("detections.LOCAL", "detections.LOCAL", Counters.CHUNKS_MATCHED,
                Counters.ACR_SAVED);
    }

    @Test
    void aMatchWithoutLearnedReferencesSavesNoAcrCloudCall() {
        stageAnswering(new ChunkMatcher.Outcome(ChunkMatcher.Kind.MATCHED, List.of(detection("trk_1", Map.of())),
                null)).handle(CHUNK, out);

        assertThat(out.to(QueueName.DETECTION, DetectionMessage.class)).extracting(m -> m.detection().evidence())
                .containsExactly(Map.of());
        assertThat(counts).containsExactly("detections.LOCAL", Counters.CHUNKS_MATCHED);
    }

    @Test
    void anAudibleUnmatchedChunkGoesToTheFallbackQueue() {
        stageAnswering(new ChunkMatcher.Outcome(ChunkMatcher.Kind.UNMATCHED, List.of(), null)).handle(CHUNK, out);

        assertThat(out.all()).containsExactly(new SentMessages.Sent(QueueName.FALLBACK, CHUNK));
        assertThat(counts).containsExactly(Counters.CHUNKS_UNMATCHED);
    }

    @Test
    void silentAndCorruptChunksEndHere() {
        stageAnswering(new ChunkMatcher.Outcome(ChunkMatcher.Kind.SILENT, List.of(), null)).handle(CHUNK, out);
        stageAnswering(new ChunkMatcher.Outcome(ChunkMatcher.Kind.CORRUPT, List.of(), "bad header"))
                .handle(CHUNK, out);

        assertThat(out.all()).isEmpty();
        assertThat(counts).isEmpty();
    }

    @Test
    void aMatcherFailureSendsNothingSoTheMessageIsRetried() {
        MatchStage stage = new MatchStage(chunk -> {
            throw new IllegalStateException("chunk c1 has no object");
        }, (counter, key) -> counts.add(counter));

        assertThatThrownBy(() -> stage.handle(CHUNK, out)).isInstanceOf(IllegalStateException.class);
        assertThat(out.all()).isEmpty();
        assertThat(counts).isEmpty();
    }

    @Test
    void withEvidenceChangesOnlyTheEvidence() {
        Detection d = detection("trk_1", Map.of("a", "1"));
        Detection e = d.withEvidence(Map.of("b", "2"));

        assertThat(e.evidence()).isEqualTo(Map.of("b", "2"));
        assertThat(e).usingRecursiveComparison().ignoringFields("evidence").isEqualTo(d);
        assertThat(d.withEvidence(null).evidence()).isEmpty();
    }
}
