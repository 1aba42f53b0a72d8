package io.spinledger.stage.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.stage.SentMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FallbackStageTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Chunk CHUNK = new Chunk("c1", "st-1", T0, 10_000, "chunks/st-1/c1.wav", 11_025, "r1");

    @Test
    void anIdentifiedChunkGoesToTheDetectionQueue() {
        DetectionMessage found = new DetectionMessage(new Detection("c1:acr_x", "c1", "st-1", T0, 10_000, "acr_x",
                5_000, 0, 10_000, 0, 0.9, Detection.Source.ACRCLOUD, Map.of("acrid", "x")), null, null);
        List<Chunk> asked = new ArrayList<>();
        SentMessages out = new SentMessages();

        new FallbackStage(c -> {
            asked.add(c);
            return Optional.of(found);
        }).handle(CHUNK, out);

        assertThat(asked).containsExactly(CHUNK);
        assertThat(out.all()).containsExactly(new SentMessages.Sent(QueueName.DETECTION, found));
    }

    @Test
    void anUnidentifiedChunkSendsNothing() {
        SentMessages out = new SentMessages();

        new FallbackStage(c -> Optional.empty()).handle(CHUNK, out);

        assertThat(out.all()).isEmpty();
    }
}
