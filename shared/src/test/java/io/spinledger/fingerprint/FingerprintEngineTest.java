package io.spinledger.fingerprint;

import io.spinledger.audio.AudioDecoder;
import io.spinledger.audio.Pcm;
import io.spinledger.audio.TestAudio;
import io.spinledger.storage.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The engine on real recordings: ten Wesnoth tracks registered, 10 s excerpts from random offsets
 * identified clean, under noise and after MP3 coding; audio not in the catalog is rejected.
 */
@Timeout(120)
class FingerprintEngineTest {
    /** Registered tracks (lengths 27 s .. 224 s). */
    private static final List<String> CATALOG = List.of("battle-epic", "breaking_the_chains", "elf-land",
            "frantic", "heroes_rite", "journeys_end", "love_theme", "northerners", "revelation", "transience");
    /** Decoded but never registered. */
    private static final String HELD_OUT = "underground";
    private static final long CLIP_MS = 10_000;
    private static final long OFFSET_TOLERANCE_MS = 100;

    private static final Map<String, Pcm> AUDIO = new LinkedHashMap<>();
    private static AudioDecoder decoder;
    private static FingerprintEngine engine;

    @BeforeAll
    static void registerCatalog() {
        FingerprintConfig config = FingerprintConfig.defaults();
        decoder = new AudioDecoder(config.sampleRateHz(), AudioDecoder.DEFAULT_MAX_DURATION_MS);
        engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        for (String track : CATALOG) {
            Pcm pcm = decoder.decode(TestAudio.wesnoth(track + ".ogg"));
            AUDIO.put(track, pcm);
            engine.register(track, pcm);
        }
        AUDIO.put(HELD_OUT, decoder.decode(TestAudio.wesnoth(HELD_OUT + ".ogg")));
    }

    @Test
    void identifiesCleanExcerptsWithTheirOffset() {
        assertIdentifiesExcerpts(1, clip -> clip);
    }

    @Test
    void identifiesExcerptsUnderWhiteNoiseAt10DbSnr() {
        long[] seed = {100};
        assertIdentifiesExcerpts(2, clip -> TestAudio.withNoise(clip, 10.0, seed[0]++));
    }

    @Test
    void identifiesExcerptsAfterMp3At64Kbps() {
        assertIdentifiesExcerpts(3, clip -> decoder.decode(TestAudio.toMp3(clip, 64)));
    }

    @Test
    void findsWhereTheMusicStartsInAHalfSilentChunk() {
        Pcm track = AUDIO.get("heroes_rite");
        long musicFromMs = 60_000;
        Pcm chunk = TestAudio.concat(TestAudio.silence(5_000, 11_025), track.slice(musicFromMs, musicFromMs + 5_000));

        List<Match> matches = engine.identify(chunk);

        assertThat(matches).isNotEmpty();
        Match best = matches.get(0);
        assertThat(best.trackId()).isEqualTo("heroes_rite");
        assertThat(best.matchStartMs()).isCloseTo(5_000L, within(500L));
        assertThat(best.matchEndMs()).isCloseTo(10_000L, within(1_000L));
        // The chunk's first sample lies 5 s before the excerpt: the offset is before it in the track.
        assertThat(best.trackOffsetMs()).isCloseTo(musicFromMs - 5_000, within(OFFSET_TOLERANCE_MS));
    }

    @Test
    void aChunkSpanningTwoTracksYieldsBoth() {
        Pcm first = AUDIO.get("love_theme");
        Pcm second = AUDIO.get("northerners");
        long firstFromMs = first.durationMs() - 6_000;
        Pcm chunk = TestAudio.concat(first.slice(firstFromMs, first.durationMs()), second.slice(20_000, 26_000));

        List<Match> matches = engine.identify(chunk);

        assertThat(matches).extracting(Match::trackId).containsExactlyInAnyOrder("love_theme", "northerners");
        Match a = byTrack(matches, "love_theme");
        Match b = byTrack(matches, "northerners");
        assertThat(a.trackOffsetMs()).isCloseTo(firstFromMs, within(OFFSET_TOLERANCE_MS));
        assertThat(a.matchEndMs()).isLessThan(7_000L);
        long secondStartsAtMs = first.durationMs() - firstFromMs;
        assertThat(b.trackOffsetMs()).isCloseTo(20_000 - secondStartsAtMs, within(OFFSET_TOLERANCE_MS));
        assertThat(b.matchStartMs()).isCloseTo(secondStartsAtMs, within(500L));
    }

    @Test
    void musicNotInTheCatalogGivesNoMatch() {
        Pcm track = AUDIO.get(HELD_OUT);
        Random random = new Random(4);
        for (int i = 0; i < 5; i++) {
            long from = (long) (random.nextDouble() * (track.durationMs() - CLIP_MS));
            assertThat(engine.identify(track.slice(from, from + CLIP_MS)))
                    .as("held-out excerpt at %d ms", from).isEmpty();
        }
    }

    @Test
    void speechGivesNoMatch() {
        Pcm speech = TestAudio.speech("Good evening, this is SpinLedger FM with the news at nine. The weather "
                + "tomorrow will be sunny in the morning with light winds from the east, and rain later in "
                + "the day. Traffic on the ring road is moving slowly after an accident near the bridge.", 11_025);
        assertThat(speech.durationMs()).isGreaterThan(CLIP_MS);

        assertThat(engine.identify(speech.slice(0, CLIP_MS))).isEmpty();
    }

    @Test
    void whiteNoiseGivesNoMatch() {
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(engine.identify(TestAudio.whiteNoise(CLIP_MS, 11_025, 0.1, seed))).isEmpty();
        }
    }

    @Test
    void silenceGivesNoFingerprintsAndNoMatch() {
        Pcm silence = TestAudio.silence(CLIP_MS, 11_025);

        assertThat(engine.fingerprint(silence).size()).isZero();
        assertThat(engine.identify(silence)).isEmpty();
    }

    @Test
    void registeredTrackHasAboutOneHundredFiftyHashesPerSecond() {
        Pcm track = AUDIO.get("journeys_end");
        Fingerprints fps = engine.fingerprint(track);

        double perSecond = fps.size() * 1000.0 / track.durationMs();
        assertThat(perSecond).isBetween(100.0, 200.0);
        assertThat(engine.index().trackCount()).isEqualTo(CATALOG.size());
    }

    /** One excerpt per catalog track, random offset, transformed; all must be found at the right offset. */
    private static void assertIdentifiesExcerpts(long seed, UnaryOperator<Pcm> degrade) {
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        for (String track : CATALOG) {
            Pcm pcm = AUDIO.get(track);
            long from = (long) (random.nextDouble() * (pcm.durationMs() - CLIP_MS));
            List<Match> matches = engine.identify(degrade.apply(pcm.slice(from, from + CLIP_MS)));
            if (matches.isEmpty()) {
                failures.add(track + "@" + from + ": no match");
                continue;
            }
            Match best = matches.get(0);
            if (!best.trackId().equals(track) || Math.abs(best.trackOffsetMs() - from) > OFFSET_TOLERANCE_MS) {
                failures.add(track + "@" + from + ": got " + best);
            }
            assertThat(best.confidence()).isBetween(0.0, 1.0);
        }
        assertThat(failures).isEmpty();
    }

    private static Match byTrack(List<Match> matches, String trackId) {
        return matches.stream().filter(m -> m.trackId().equals(trackId)).findFirst().orElseThrow();
    }
}
