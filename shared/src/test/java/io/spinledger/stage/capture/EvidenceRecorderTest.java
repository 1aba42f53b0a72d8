package io.spinledger.stage.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.json.Json;
import io.spinledger.ports.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Compressed evidence: pieces that tile the stream, segments cut by time, byte ranges that play alone. */
class EvidenceRecorderTest {
    private static final int RATE = 11_025;
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void eachChunksOwnStretchIsAPlayablePieceAndSegmentsAreCutByTime() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        var options = new EvidenceRecorder.Options(16_000, 16_000, 60_000);
        Random random = new Random(5);
        try (EvidenceRecorder recorder = new EvidenceRecorder(objects, "ev-fm", "w1-1", options)) {
            for (int i = 0; i < 10; i++) { // ten 10 s chunks every 8 s: 80 s of air
                float[] samples = new float[10 * RATE];
                for (int k = 0; k < samples.length; k++) {
                    samples[k] = (float) (0.3 * Math.sin(2 * Math.PI * (220 + 40 * i) * k / RATE)
                            + 0.05 * random.nextGaussian());
                }
                assertThat(recorder.append("c" + i, new ChunkAudio(T0.plusSeconds(8L * i), samples, RATE, false),
                        8_000)).isNotNull();
            }
        }
        List<String> keys = objects.list(EvidenceRecorder.PREFIX + "ev-fm/2026-12-03/");
        // chunks 0..7 start within the first minute (0..56 s), 8 and 9 (64, 72 s) open the second segment
        assertThat(keys).containsExactlyInAnyOrder(
                EvidenceRecorder.segmentKey("ev-fm", T0, "w1-1"),
                EvidenceRecorder.segmentKey("ev-fm", T0, "w1-1") + ".json",
                EvidenceRecorder.segmentKey("ev-fm", T0.plusSeconds(64), "w1-1"),
                EvidenceRecorder.segmentKey("ev-fm", T0.plusSeconds(64), "w1-1") + ".json");
        String key = EvidenceRecorder.segmentKey("ev-fm", T0, "w1-1");
        byte[] segment = objects.get(key).orElseThrow();
        EvidenceRecorder.Piece[] pieces = Json.read(new String(objects.get(key + ".json").orElseThrow(),
                StandardCharsets.UTF_8), EvidenceRecorder.Piece[].class);
        assertThat(pieces).hasSize(8);
        long end = 0;
        for (EvidenceRecorder.Piece p : pieces) {
            assertThat(p.offset()).isEqualTo(end); // pieces tile the segment
            end = p.offset() + p.length();
            byte[] range = Arrays.copyOfRange(segment, (int) p.offset(), (int) (p.offset() + p.length()));
            Pcm piece = new AudioDecoder(RATE, 60_000).decode(range);
            assertThat(piece.durationMs()).as("piece %s plays alone", p.chunkId()).isBetween(7_800L, 8_200L);
        }
        assertThat(end).isEqualTo(segment.length);
        // about 16 kbit/s: 64 s of air in 8 pieces
        assertThat(segment.length).isBetween(64 * 16_000 / 8 * 8 / 10, 64 * 16_000 / 8 * 13 / 10);
    }
}
