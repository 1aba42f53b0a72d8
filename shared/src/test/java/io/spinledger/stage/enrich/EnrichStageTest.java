package io.spinledger.stage.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.stage.SentMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnrichStageTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Track CATALOG = new Track("trk_1", "Catalog Title", List.of("Catalog Artist"),
            "GHA012600001", null, null, null, List.of(), 200_000, 100, T0);
    private static final Recording ACR = new Recording("USRC11700001", "Acr Title", List.of("Acr Artist"),
            "Acr Album", "Acr Label", null, null, List.of(), Map.of("title", "ACRCLOUD", "album", "ACRCLOUD"));
    private static final Recording LEARNED = new Recording("USRC11700002", "Learned Title", List.of("Learned"),
            null, null, null, null, List.of(), Map.of("title", "ACRCLOUD_LEARNED"));

    /** Each call of the waterfall: the catalog track (or null) and the ISRC it was asked about. */
    private final List<String> lookups = new ArrayList<>();
    private final SentMessages out = new SentMessages();

    private EnrichStage stage(Recording waterfallAnswer) {
        return new EnrichStage(id -> id.equals(CATALOG.trackId()) ? Optional.of(CATALOG) : Optional.empty(),
                id -> id.equals("acr_learned") ? Optional.of(LEARNED) : Optional.empty(),
                (track, isrc) -> {
                    lookups.add((track == null ? "-" : track.trackId()) + "|" + isrc);
                    return waterfallAnswer;
                });
    }

    private static DetectionMessage message(String chunkId, String trackId, Recording fromSource) {
        return new DetectionMessage(new Detection(chunkId + ":" + trackId, chunkId, "st-1", T0, 10_000, trackId, 0,
                0, 10_000, 20, 0.8, Detection.Source.LOCAL, Map.of()), fromSource, null);
    }

    @Test
    void aCatalogTrackIsLookedUpByItsIsrcOncePerBatch() {
        Recording found = new Recording("GHA012600001", "Catalog Title", List.of("Catalog Artist"), null, null,
                "T-123.456.789-0", "Work", List.of(), Map.of("iswc", "MUSICBRAINZ"));
        EnrichStage stage = stage(found);
        EnrichStage.Batch batch = stage.batch();

        batch.handle(message("c1", "trk_1", null), out);
        batch.handle(message("c2", "trk_1", null), out);
        stage.batch().handle(message("c3", "trk_1", null), out);

        assertThat(lookups).containsExactly("trk_1|GHA012600001", "trk_1|GHA012600001");
        assertThat(out.to(QueueName.ENRICHED, DetectionMessage.class)).hasSize(3)
                .allSatisfy(m -> assertThat(m.recording()).isEqualTo(found))
                .extracting(m -> m.detection().chunkId()).containsExactly("c1", "c2", "c3");
    }

    @Test
    void anAcrCloudAnswerKeepsItsFieldsWhereTheWaterfallFoundNothing() {
        Recording found = new Recording("USRC11700001", null, List.of(), null, "Label From MB", "T-000.000.001-0",
                "Work", List.of(), Map.of("label", "MUSICBRAINZ", "title", "MUSICBRAINZ"));
        stage(found).batch().handle(message("c1", "acr_abc", ACR), out);

        assertThat(lookups).containsExactly("-|USRC11700001");
        Recording r = out.to(QueueName.ENRICHED, DetectionMessage.class).get(0).recording();
        assertThat(r.isrc()).isEqualTo("USRC11700001");
        assertThat(r.title()).isEqualTo("Acr Title");
        assertThat(r.artists()).containsExactly("Acr Artist");
        assertThat(r.album()).isEqualTo("Acr Album");
        assertThat(r.label()).isEqualTo("Label From MB");
        assertThat(r.iswc()).isEqualTo("T-000.000.001-0");
        assertThat(r.workTitle()).isEqualTo("Work");
        assertThat(r.provenance()).containsExactlyInAnyOrderEntriesOf(
                Map.of("title", "MUSICBRAINZ", "album", "ACRCLOUD", "label", "MUSICBRAINZ"));
    }

    @Test
    void whenTheWaterfallFindsNothingTheSourcesRecordingStays() {
        stage(null).batch().handle(message("c1", "acr_abc", ACR), out);

        assertThat(out.to(QueueName.ENRICHED, DetectionMessage.class).get(0).recording()).isEqualTo(ACR);
    }

    @Test
    void aLearnedReferenceMatchStartsFromWhatAcrCloudSaid() {
        stage(null).batch().handle(message("c1", "acr_learned", null), out);
        stage(null).batch().handle(message("c2", "acr_unknown", null), out);

        assertThat(lookups).containsExactly("-|USRC11700002", "-|null");
        List<DetectionMessage> sent = out.to(QueueName.ENRICHED, DetectionMessage.class);
        assertThat(sent.get(0).recording()).isEqualTo(LEARNED);
        assertThat(sent.get(1).recording()).isNull();
    }
}
