package io.spinledger.stage.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.BucketName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The match stage's play boundaries on real audio: Wesnoth recordings (love_theme in the catalog with four others,
 * transience as music the catalog does not hold) and espeak-ng speech over the song's first seconds. Each
 * air-check is cut like the capture stage cuts it (10 s chunks every 8 s), the chunks are stored and matched by
 * {@link ChunkMatcher}; a detection's match span must lie within 1 s of where the song truly starts or stops in
 * the chunk.
 */
@Timeout(180)
class ChunkMatcherBoundaryTest {
    private static final int RATE = 11_025;
    private static final long STEP_MS = 8_000;
    private static final String STATION = "test-fm";
    private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");
    private static final long TOLERANCE_MS = 1_000;

    private static FingerprintEngine engine;
    private static Pcm love;
    private static Pcm unknown;
    private static Pcm speech;

    @BeforeAll
    static void catalog() {
        FingerprintConfig config = FingerprintConfig.defaults();
        AudioDecoder decoder = new AudioDecoder(RATE, AudioDecoder.DEFAULT_MAX_DURATION_MS);
        engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        for (String track : List.of("love_theme", "knolls", "battle", "elf-land", "revelation")) {
            Pcm pcm = decoder.decode(TestAudio.wesnoth(track + ".ogg"));
            engine.register(track, pcm);
            if (track.equals("love_theme")) {
                love = pcm;
            }
        }
        unknown = decoder.decode(TestAudio.wesnoth("transience.ogg"));
        speech = TestAudio.speech("Good morning, you are listening to the breakfast show. Here is a song from the "
                + "archive that you asked for all week, so stay with us.", RATE);
    }

    @Test
    void aSongStartingInsideAChunkStartsWhereItBegins() {
        // 4 s of music not in the catalog, then love_theme from its first sample
        Pcm air = TestAudio.concat(unknown.slice(20_000, 24_000), love.slice(0, 30_000));
        Detection d = only(new Run(air, STEP_MS).match(0), "love_theme");

        assertThat(d.matchStartMs()).isBetween(4_000 - TOLERANCE_MS, 4_000 + TOLERANCE_MS);
        // never before the song's first sample, where the placement puts track position 0
        assertThat((double) d.matchStartMs()).isGreaterThanOrEqualTo(-d.trackOffsetMs() / timeScale(d) - 50);
        assertThat(d.matchEndMs()).isBetween(10_000 - TOLERANCE_MS, 10_000L); // the song goes on after the chunk
    }

    @Test
    void speechOverTheFirstSecondsDoesNotDelayTheStart() {
        // the DJ talks 3 dB over the song's first 4 s; the song starts 3 s into the chunk
        Pcm intro = mix(love.slice(0, 30_000), speech.slice(0, 4_000), 3);
        Pcm air = TestAudio.concat(unknown.slice(20_000, 23_000), intro);
        Detection d = only(new Run(air, STEP_MS).match(0), "love_theme");

        assertThat(d.matchStartMs()).isBetween(3_000 - TOLERANCE_MS, 3_000 + TOLERANCE_MS);
        // the aligned triplets alone start well after the speech
        assertThat(alignedStartMs(d)).isGreaterThan(3_000 + 2 * TOLERANCE_MS);
        assertThat(d.matchEndMs()).isBetween(10_000 - TOLERANCE_MS, 10_000L); // the song goes on after the chunk
    }

    @Test
    void aSongEndingInsideAChunkEndsWhereItStops() {
        // love_theme from 60 s to 66 s, then 4 s of music not in the catalog
        Pcm air = TestAudio.concat(love.slice(60_000, 66_000), unknown.slice(40_000, 44_000));
        Detection d = only(new Run(air, STEP_MS).match(0), "love_theme");

        assertThat(d.matchEndMs()).isBetween(6_000 - TOLERANCE_MS, 6_000 + TOLERANCE_MS);
        assertThat(d.matchStartMs()).isZero();
    }

    @Test
    void aQuietEndingAirsToTheSongsLastNote() {
        // the last 7 s of love_theme with its final 2 s 60 dB down (a held chord dying away) under the noise
        // floor of the broadcast chain, then 3 s of talk
        long end = engine.anchorRangeMs("love_theme")[1];
        Pcm last = love.slice(end - 7_000, end);
        float[] x = last.samples().clone();
        int from = x.length - 2_000 * RATE / 1000;
        java.util.Random noise = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * (i >= from ? Math.pow(10, -60 / 20.0) : 1) + 0.005 * noise.nextGaussian());
        }
        Pcm air = TestAudio.concat(new Pcm(x, RATE), speech.slice(0, 3_000));
        Detection d = only(new Run(air, STEP_MS).withoutLookBack().match(new Run(air, STEP_MS).chunk(0)),
                "love_theme");

        // no peak of the faded chord survives: the aligned triplets (anchors before the fade, their partners up to
        // 2.4 s later) end before the last anchor; the span goes on to it (7 s), not into the talk
        assertThat(Long.parseLong(d.evidence().get("aligned").split("-")[1])).isLessThan(6_700);
        assertThat(d.matchEndMs()).isBetween(6_850L, 7_100L);
    }

    @Test
    void aChunkWhereSpeechHidesTheSongItWasPlayingIsCarriedFromThePreviousChunk() {
        // an engine that wants 40 aligned triplets: 10 s of clean music give 72, 1 s and talk over the rest 16
        FingerprintConfig config = FingerprintConfig.defaults();
        FingerprintEngine strict = new FingerprintEngine(config, new MatchThresholds(40, 0.5),
                new IndexStore(new InMemoryObjectStore(), config));
        strict.register("love_theme", love);
        // love_theme plays on; from 9 s the DJ talks over it, 15 dB above it, to the end of the air-check
        Pcm music = love.slice(30_000, 48_000);
        Pcm air = TestAudio.concat(music.slice(0, 9_000),
                mix(music.slice(9_000, 18_000), TestAudio.concat(speech, speech).slice(0, 9_000), 15));
        Run run = new Run(air, STEP_MS, strict);

        assertThat(run.withoutLookBack().match(run.chunk(1)).kind()).as("the second chunk alone")
                .isEqualTo(ChunkMatcher.Kind.UNMATCHED);
        Detection first = only(run.match(0), "love_theme");
        assertThat(first.matchEndMs()).as("the first chunk hears it to its end").isEqualTo(10_000);
        Detection d = only(run.match(1), "love_theme");
        assertThat(d.detectionId()).isEqualTo(run.chunk(1).chunkId() + ":love_theme:carried");
        assertThat(d.evidence()).containsEntry("carriedFrom", run.chunk(0).chunkId());
        assertThat(d.alignedCount()).isZero();
        assertThat(d.matchStartMs()).isZero();
        assertThat(d.matchEndMs()).as("beyond where the first chunk heard it").isGreaterThan(4_000);
        // the placement continues the first chunk's: the track 8 s further on
        assertThat(d.trackOffsetMs() - first.trackOffsetMs()).isBetween(8_000 - 100L, 8_000 + 100L);
        // matching again, or the chunks in the other order, gives the same detection
        Run again = new Run(air, STEP_MS, strict);
        assertThat(again.match(1).detections()).containsExactly(d);
    }

    @Test
    void theChunkWhereATalkedOverSongBeganGetsItsDetectionFromTheNextChunk() {
        // the song starts 6.5 s into the first chunk with 6 s of talk over it: that chunk alone matches nothing
        Pcm intro = mix(love.slice(0, 30_000), speech.slice(0, 6_000), 3);
        Pcm air = TestAudio.concat(unknown.slice(20_000, 26_500), intro);
        Run run = new Run(air, STEP_MS);
        assertThat(run.match(0).detections()).isEmpty();

        ChunkMatcher.Outcome second = run.match(1);
        Detection matched = only(second, run.chunk(1).chunkId(), "love_theme");
        Detection back = only(second, run.chunk(0).chunkId(), "love_theme");

        assertThat(matched.matchStartMs()).isGreaterThan(0); // the talk still covers the second chunk's start
        assertThat(back.detectionId()).isEqualTo(run.chunk(0).chunkId() + ":love_theme");
        assertThat(back.chunkStartedAt()).isEqualTo(run.chunk(0).startedAt());
        assertThat(back.matchStartMs()).isBetween(6_500 - TOLERANCE_MS, 6_500 + TOLERANCE_MS);
        assertThat(back.alignedCount()).isZero();
        assertThat(back.evidence()).containsEntry("lookBackFrom", run.chunk(1).chunkId());
        // the same placement: the song's first sample airs at the same instant in both detections
        assertThat(back.chunkStartedAt().toEpochMilli() - back.trackOffsetMs())
                .isCloseTo(matched.chunkStartedAt().toEpochMilli() - matched.trackOffsetMs(),
                        org.assertj.core.api.Assertions.within(100L));

        // matching the chunk again gives the same detections; without a chunk step there is no look-back
        assertThat(run.match(1).detections()).isEqualTo(second.detections());
        assertThat(run.withoutLookBack().match(run.chunk(1)).detections()).extracting(Detection::chunkId)
                .containsExactly(run.chunk(1).chunkId());
    }

    @Test
    void aChunkThatMatchesTheSongItselfIsNotGivenASecondDetection() {
        // a clean start 4 s into the first chunk: the first chunk has its own detection
        Pcm air = TestAudio.concat(unknown.slice(20_000, 24_000), love.slice(0, 30_000));
        Run run = new Run(air, STEP_MS);
        assertThat(run.match(0).detections()).extracting(Detection::trackId).containsExactly("love_theme");

        assertThat(run.match(1).detections()).extracting(Detection::chunkId)
                .containsExactly(run.chunk(1).chunkId());
    }

    /** An air-check cut into stored chunks, matched by a matcher with look-back. */
    private static final class Run {
        private final InMemoryObjectStore objects = new InMemoryObjectStore();
        private final List<Chunk> chunks = new ArrayList<>();
        private final ChunkMatcher matcher;
        private final FingerprintEngine runEngine;

        Run(Pcm air, long stepMs) {
            this(air, stepMs, engine);
        }

        Run(Pcm air, long stepMs, FingerprintEngine engine) {
            this.runEngine = engine;
            for (long from = 0; from + 10_000 <= air.durationMs(); from += stepMs) {
                Instant at = T0.plusMillis(from);
                String id = Chunk.idOf(STATION, at);
                String key = BucketName.chunkKey(STATION, at, id);
                objects.put(key, Wav.write(air.slice(from, from + 10_000)), "audio/wav");
                chunks.add(new Chunk(id, STATION, at, 10_000, key, RATE, "req-1"));
            }
            matcher = new ChunkMatcher(objects, engine, Long.MAX_VALUE, Clock.systemUTC(), stepMs);
        }

        Chunk chunk(int k) {
            return chunks.get(k);
        }

        ChunkMatcher.Outcome match(int k) {
            return matcher.match(chunks.get(k));
        }

        ChunkMatcher withoutLookBack() {
            return new ChunkMatcher(objects, runEngine, Long.MAX_VALUE, Clock.systemUTC());
        }
    }

    private static Detection only(ChunkMatcher.Outcome outcome, String trackId) {
        List<Detection> ds = outcome.detections().stream().filter(d -> d.trackId().equals(trackId)).toList();
        assertThat(ds).as("detections of %s in %s", trackId, outcome).hasSize(1);
        return ds.get(0);
    }

    private static Detection only(ChunkMatcher.Outcome outcome, String chunkId, String trackId) {
        List<Detection> ds = outcome.detections().stream()
                .filter(d -> d.trackId().equals(trackId) && d.chunkId().equals(chunkId)).toList();
        assertThat(ds).as("detections of %s in chunk %s: %s", trackId, chunkId, outcome).hasSize(1);
        return ds.get(0);
    }

    private static double timeScale(Detection d) {
        return Double.parseDouble(d.evidence().get("timeScale"));
    }

    /** Where the aligned triplets started ({@code evidence.aligned}, "start-end" ms). */
    private static long alignedStartMs(Detection d) {
        return Long.parseLong(d.evidence().get("aligned").split("-")[0]);
    }

    /** {@code add} mixed into the start of {@code base} at {@code relativeDb} against base's level there. */
    private static Pcm mix(Pcm base, Pcm add, double relativeDb) {
        float[] x = base.samples();
        float[] y = add.samples();
        int n = Math.min(x.length, y.length);
        double px = 0;
        double py = 0;
        for (int i = 0; i < n; i++) {
            px += x[i] * x[i];
            py += y[i] * y[i];
        }
        double gain = Math.sqrt(px / Math.max(1e-12, py)) * Math.pow(10, relativeDb / 20);
        float[] out = x.clone();
        float peak = 1;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (x[i] + gain * y[i]);
            peak = Math.max(peak, Math.abs(out[i]));
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= peak;
        }
        return new Pcm(out, RATE);
    }
}
