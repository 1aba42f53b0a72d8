package io.spinledger.stage.rights;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Recording;
import io.spinledger.stage.SentMessages;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RightsStageTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aDetectionGetsItsSocietySharesAndGoesToTheMappedQueue() {
        ProMapper mapper = new ProMapper(SocietyRegistry.loadDefault());
        Recording rec = new Recording("GBAYE0601498", "Song", List.of("Artist"), null, null, null, null, List.of(),
                Map.of("isrc", "CATALOG"));
        DetectionMessage in = new DetectionMessage(new Detection("c1:trk_1", "c1", "st-1", T0, 10_000, "trk_1", 0,
                0, 10_000, 20, 0.8, Detection.Source.LOCAL, Map.of()), rec, null);
        SentMessages out = new SentMessages();

        new RightsStage(mapper).handle(in, out);

        List<DetectionMessage> sent = out.to(QueueName.MAPPED, DetectionMessage.class);
        assertThat(out.all()).hasSize(1);
        assertThat(sent.get(0).detection()).isEqualTo(in.detection());
        assertThat(sent.get(0).recording()).isEqualTo(rec);
        assertThat(sent.get(0).proMapping()).isEqualTo(mapper.map(rec));
        assertThat(sent.get(0).proMapping().shares()).isNotEmpty();
    }
}
