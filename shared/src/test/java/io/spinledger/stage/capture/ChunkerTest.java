package io.spinledger.stage.capture;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {

    private static final Instant ANCHOR = Instant.parse("2026-03-01T12:00:00.123456789Z");
    private static final int RATE = 11_025;

    /** A ramp: sample i holds the value i, so every chunk tells exactly which samples it holds. */
    private static float[] ramp(int length) {
        float[] r = new float[length];
        for (int i = 0; i < length; i++) {
            r[i] = i;
        }
        return r;
    }

    private static List<ChunkAudio> feedInRandomBlocks(Chunker chunker, float[] stream, long seed) {
        Random random = new Random(seed);
        List<ChunkAudio> out = new ArrayList<>();
        int pos = 0;
        while (pos < stream.length) {
            int n = Math.min(stream.length - pos, switch (random.nextInt(4)) {
                case 0 -> random.nextInt(3);          // empty and tiny blocks
                case 1 -> 1152;                        // one MP3 frame
                case 2 -> random.nextInt(20_000);
                default -> 150_000;                    // more than a chunk at once
            });
            out.addAll(chunker.feed(stream, pos, n));
            pos += n;
        }
        out.addAll(chunker.flush());
        return out;
    }

    @Test
    void windowsStartEveryHopAtSampleExactInstantsAndOverlapWithoutGaps() {
        Chunker chunker = new Chunker(ANCHOR, RATE, 10_000, 2_000, Chunker.DEFAULT_SILENCE_RMS);
        assertThat(chunker.chunkSamples()).isEqualTo(110_250);
        assertThat(chunker.hopSamples()).isEqualTo(88_200);
        int total = 35 * RATE + 123; // 35.011 s
        List<ChunkAudio> chunks = feedInRandomBlocks(chunker, ramp(total), 42);

        // full windows start at 0, 8, 16, 24 s; the rest from 32 s (3.011 s, 1 s of it new) is the final partial
        assertThat(chunks).hasSize(5);
        for (int k = 0; k < chunks.size(); k++) {
            ChunkAudio c = chunks.get(k);
            long firstSample = (long) k * 88_200;
            assertThat(c.samples()[0]).as("chunk %d first sample", k).isEqualTo((float) firstSample);
            assertThat(c.startedAt()).isEqualTo(ANCHOR.plus(Duration.ofSeconds(8L * k)));
            assertThat(c.sampleRateHz()).isEqualTo(RATE);
            for (int i = 0; i < c.samples().length; i++) {
                if (c.samples()[i] != firstSample + i) {
                    throw new AssertionError("chunk " + k + " sample " + i + " is " + c.samples()[i]);
                }
            }
        }
        for (int k = 0; k < 4; k++) {
            assertThat(chunks.get(k).samples()).hasSize(110_250);
            assertThat(chunks.get(k).durationMs()).isEqualTo(10_000);
            // no gaps: the next chunk starts exactly 2 s before this one ends
            assertThat(Duration.between(chunks.get(k + 1).startedAt(), chunks.get(k).endedAt()))
                    .isEqualTo(Duration.ofSeconds(2));
        }
        ChunkAudio last = chunks.get(4);
        assertThat(last.samples()).hasSize(total - 4 * 88_200);
        assertThat(last.samples()[last.samples().length - 1]).isEqualTo((float) (total - 1));
        assertThat(last.endedAt()).isEqualTo(chunker.instantOf(total));
        assertThat(chunker.samplesFed()).isEqualTo(total);
        assertThat(chunker.chunksEmitted()).isEqualTo(5);
    }

    @Test
    void blockSizesDoNotChangeTheChunks() {
        float[] stream = ramp(27 * 8_000 + 17);
        List<ChunkAudio> oneBlock = new ArrayList<>();
        Chunker a = new Chunker(ANCHOR, 8_000, 5_000, 1_500, 0.0);
        oneBlock.addAll(a.feed(stream));
        oneBlock.addAll(a.flush());

        List<ChunkAudio> sampleBySample = new ArrayList<>();
        Chunker b = new Chunker(ANCHOR, 8_000, 5_000, 1_500, 0.0);
        for (int i = 0; i < stream.length; i++) {
            sampleBySample.addAll(b.feed(stream, i, 1));
        }
        sampleBySample.addAll(b.flush());

        List<ChunkAudio> random = feedInRandomBlocks(new Chunker(ANCHOR, 8_000, 5_000, 1_500, 0.0), stream, 7);

        assertThat(oneBlock).hasSize(8); // full windows start 0, 3.5, ..., 21 s; partial 24.5..27.002 s
        for (List<ChunkAudio> other : List.of(sampleBySample, random)) {
            assertThat(other).hasSameSizeAs(oneBlock);
            for (int k = 0; k < oneBlock.size(); k++) {
                assertThat(other.get(k).startedAt()).isEqualTo(oneBlock.get(k).startedAt());
                assertThat(Arrays.equals(other.get(k).samples(), oneBlock.get(k).samples())).isTrue();
            }
        }
    }

    @Test
    void finalPartialChunkNeedsTwoSecondsAndNewSamples() {
        // 11.5 s: chunk [0,10) then a partial [8, 11.5) holding 1.5 s of new audio
        Chunker longTail = new Chunker(ANCHOR, 1_000, 10_000, 2_000, 0.0);
        assertThat(longTail.feed(ramp(11_500))).hasSize(1);
        List<ChunkAudio> tail = longTail.flush();
        assertThat(tail).singleElement().satisfies(c -> {
            assertThat(c.startedAt()).isEqualTo(ANCHOR.plusSeconds(8));
            assertThat(c.durationMs()).isEqualTo(3_500);
        });
        assertThat(longTail.flush()).isEmpty();
        assertThatThrownBy(() -> longTail.feed(new float[1])).isInstanceOf(IllegalStateException.class);

        // exactly one chunk: the 2 s left over are the overlap, already in the chunk
        Chunker exact = new Chunker(ANCHOR, 1_000, 10_000, 2_000, 0.0);
        assertThat(exact.feed(ramp(10_000))).hasSize(1);
        assertThat(exact.flush()).isEmpty();

        // short streams: 1.9 s is dropped, 2 s is kept
        Chunker tooShort = new Chunker(ANCHOR, 1_000, 10_000, 2_000, 0.0);
        tooShort.feed(ramp(1_900));
        assertThat(tooShort.flush()).isEmpty();
        Chunker justEnough = new Chunker(ANCHOR, 1_000, 10_000, 2_000, 0.0);
        justEnough.feed(ramp(2_000));
        assertThat(justEnough.flush()).singleElement()
                .satisfies(c -> assertThat(c.startedAt()).isEqualTo(ANCHOR));
    }

    @Test
    void marksSilentChunksByRms() {
        Chunker chunker = new Chunker(ANCHOR, 1_000, 1_000, 0, 0.01);
        float[] stream = new float[3_000];
        for (int i = 1_000; i < 2_000; i++) {
            stream[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 1_000.0 + 0.3));
        }
        for (int i = 2_000; i < 3_000; i++) {
            stream[i] = (i % 2 == 0 ? 0.005f : -0.005f); // -46 dBFS hiss, below the 0.01 threshold
        }
        List<ChunkAudio> chunks = chunker.feed(stream);
        assertThat(chunks).extracting(ChunkAudio::silent).containsExactly(true, false, true);
        assertThat(chunks.get(1).rms()).isBetween(0.3, 0.4);
        assertThat(chunks.get(2).rms()).isCloseTo(0.005, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void instantsStayExactOverLongStreams() {
        Chunker chunker = new Chunker(ANCHOR, 44_100, 10_000, 2_000, 0.0);
        assertThat(chunker.instantOf(44_100L * 3600 * 24)).isEqualTo(ANCHOR.plus(Duration.ofDays(1)));
        assertThat(chunker.instantOf(1)).isEqualTo(ANCHOR.plusNanos(22_675)); // 1/44100 s, floored
        assertThat(chunker.instantOf(441)).isEqualTo(ANCHOR.plusMillis(10));
    }

    @Test
    void rejectsWindowsWithoutAPositiveHop() {
        assertThatThrownBy(() -> new Chunker(ANCHOR, RATE, 10_000, 10_000, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkOverlapMs");
        assertThatThrownBy(() -> new Chunker(ANCHOR, RATE, 0, 0, 0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(ANCHOR, 0, 10_000, 0, 0.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
