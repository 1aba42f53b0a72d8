package io.spinledger.stage.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.CaptureRequest;
import io.spinledger.stage.SentMessages;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkIngestStageTest {

    @Test
    void aRequestForAnUnknownStationIsDroppedWithoutCapturing() {
        SentMessages out = new SentMessages();
        // no ingest service: it must not be reached
        ChunkIngestStage stage = new ChunkIngestStage(null, id -> Optional.empty());

        assertThat(stage.handle(new CaptureRequest("r1", "gone-fm", CaptureRequest.Kind.LIVE,
                Instant.parse("2026-03-02T10:00:00Z"), 300_000, null), out)).isEmpty();
        assertThat(out.all()).isEmpty();
    }
}
