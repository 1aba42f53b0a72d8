package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.ports.InMemoryObjectStore;
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
 * identified clean, under noise, after MP3 coding and after speed and tempo changes (with the
 * factors reported); audio not in the catalog is rejected; duplicates of catalog recordings are found.
 */
@Timeout(180)
class FingerprintEngineTest {
    /** Registered tracks (lengths 27 s .. 224 s). */
    private static final List<String> CATALOG = List.of("battle-epic", "breaking_the_chains", "elf-land",
            "frantic", "heroes_rite", "journeys_end", "love_theme", "northerners", "revelation", "transience");
    /** Decoded but never registered. */
    private static final String HELD_OUT = "underground";
    private static final long CLIP_MS = 10_000;
    private static final long OFFSET_TOLERANCE_MS = 100;
    private static final int RATE = 11_025;

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
    void identifiesCleanExcerptsWithTheirOffsetAtNormalSpeed() {
        List<Match> found = assertIdentifiesExcerpts(1, 1.0, clip -> clip);
        for (Match m : found) {
            assertThat(m.timeScale()).isCloseTo(1.0, within(0.005));
            assertThat(m.frequencyFactor()).isCloseTo(1.0, within(0.01));
            assertThat(m.confidence()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void identifiesExcerptsUnderWhiteNoiseAt10DbSnr() {
        long[] seed = {100};
        assertIdentifiesExcerpts(2, 1.0, clip -> TestAudio.withNoise(clip, 10.0, seed[0]++));
    }

    @Test
    void identifiesExcerptsAfterMp3At32Kbps() {
        assertIdentifiesExcerpts(3, 1.0, clip -> decoder.decode(TestAudio.toMp3(clip, 32)));
    }

    @Test
    void identifiesAFivePercentSpeedUpAndReportsBothFactors() {
        List<Match> found = assertIdentifiesExcerpts(4, 1.05, clip -> TestAudio.sox(clip, "speed", "1.05"));
        for (Match m : found) {
            assertThat(m.timeScale()).isCloseTo(1.05, within(0.005));
            assertThat(m.frequencyFactor()).isCloseTo(1.05, within(0.01));
        }
    }

    @Test
    void identifiesAThreePercentSlowerTempoWithThePitchKept() {
        List<Match> found = assertIdentifiesExcerpts(5, 0.97, clip -> TestAudio.sox(clip, "tempo", "0.97"));
        for (Match m : found) {
            assertThat(m.timeScale()).isCloseTo(0.97, within(0.005));
            assertThat(m.frequencyFactor()).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void findsWhereTheMusicStartsInAHalfSilentChunk() {
        Pcm track = AUDIO.get("heroes_rite");
        long musicFromMs = 60_000;
        Pcm chunk = TestAudio.concat(TestAudio.silence(5_000, RATE), track.slice(musicFromMs, musicFromMs + 5_000));

        List<Match> matches = engine.identify(chunk);

        assertThat(matches).isNotEmpty();
        Match best = matches.get(0);
        assertThat(best.trackId()).isEqualTo("heroes_rite");
        assertThat(best.matchStartMs()).isCloseTo(5_000L, within(500L));
        assertThat(best.matchEndMs()).isCloseTo(10_000L, within(500L));
        // The chunk's first sample lies 5 s before the excerpt: the offset is before it in the track.
        assertThat(best.trackOffsetMs()).isCloseTo(musicFromMs - 5_000, within(OFFSET_TOLERANCE_MS));
    }

    @Test
    void aChunkSpanningTwoTracksYieldsBothWithTheChangeWithinASecond() {
        Pcm first = AUDIO.get("love_theme");
        Pcm second = AUDIO.get("northerners");
        long firstFromMs = 60_000;
        Pcm chunk = TestAudio.concat(first.slice(firstFromMs, firstFromMs + 8_000), second.slice(20_000, 30_000));

        List<Match> matches = engine.identify(chunk);

        assertThat(matches).extracting(Match::trackId).containsExactlyInAnyOrder("love_theme", "northerners");
        Match a = byTrack(matches, "love_theme");
        Match b = byTrack(matches, "northerners");
        assertThat(a.trackOffsetMs()).isCloseTo(firstFromMs, within(OFFSET_TOLERANCE_MS));
        assertThat(a.matchEndMs()).isCloseTo(8_000L, within(1_000L));
        assertThat(b.trackOffsetMs()).isCloseTo(20_000 - 8_000, within(OFFSET_TOLERANCE_MS));
        assertThat(b.matchStartMs()).isCloseTo(8_000L, within(1_000L));
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
                + "the day. Traffic on the ring road is moving slowly after an accident near the bridge.", RATE);
        assertThat(speech.durationMs()).isGreaterThan(CLIP_MS);

        assertThat(engine.identify(speech.slice(0, CLIP_MS))).isEmpty();
    }

    @Test
    void whiteNoiseAndSilenceGiveNoMatch() {
        for (long seed = 1; seed <= 3; seed++) {
            assertThat(engine.identify(TestAudio.whiteNoise(CLIP_MS, RATE, 0.1, seed))).isEmpty();
        }
        Pcm silence = TestAudio.silence(CLIP_MS, RATE);
        assertThat(engine.fingerprint(silence).size()).isZero();
        assertThat(engine.identify(silence)).isEmpty();
    }

    @Test
    void referenceFingerprintsStayUnderOneMegabytePerHour() {
        Pcm track = AUDIO.get("journeys_end");
        Fingerprints fps = engine.fingerprint(track);

        double perSecond = fps.size() * 1000.0 / track.durationMs();
        // 6 bytes per posting in memory: 46 per second is 1 MB per hour
        assertThat(perSecond).isBetween(10.0, 46.0);
        assertThat(engine.index().trackCount()).isEqualTo(CATALOG.size());
    }

    @Test
    void aReencodedCopyOfACatalogRecordingIsADuplicateButOtherAudioIsNot() {
        Pcm original = AUDIO.get("frantic");
        Pcm reencoded = decoder.decode(TestAudio.toMp3(original, 64));
        Pcm trimmed = original.slice(3_000, original.durationMs() - 5_000);

        assertThat(engine.findDuplicate(reencoded)).get().extracting(Match::trackId).isEqualTo("frantic");
        Match t = engine.findDuplicate(trimmed).orElseThrow();
        assertThat(t.trackId()).isEqualTo("frantic");
        assertThat(t.trackOffsetMs()).isCloseTo(3_000L, within(100L));
        assertThat(engine.findDuplicate(AUDIO.get(HELD_OUT))).isEmpty();
        // a 3 % faster version is another version, not a copy
        assertThat(engine.findDuplicate(TestAudio.sox(original.slice(0, 60_000), "tempo", "1.03"))).isEmpty();
    }

    /** One excerpt per catalog track, random offset, transformed; all must be found at the right offset. */
    private static List<Match> assertIdentifiesExcerpts(long seed, double timeScale, UnaryOperator<Pcm> degrade) {
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        List<Match> found = new ArrayList<>();
        for (String track : CATALOG) {
            Pcm pcm = AUDIO.get(track);
            long need = (long) (CLIP_MS * timeScale) + 2_000;
            long from = (long) (random.nextDouble() * (pcm.durationMs() - need));
            Pcm query = degrade.apply(pcm.slice(from, from + need)).slice(1_000, 1_000 + CLIP_MS);
            List<Match> matches = engine.identify(query);
            long expected = from + Math.round(1_000 * timeScale);
            if (matches.isEmpty()) {
                failures.add(track + "@" + from + ": no match");
                continue;
            }
            Match best = matches.get(0);
            if (!best.trackId().equals(track) || Math.abs(best.trackOffsetMs() - expected) > OFFSET_TOLERANCE_MS) {
                failures.add(track + "@" + from + ": got " + best);
            } else {
                found.add(best);
            }
        }
        assertThat(failures).isEmpty();
        return found;
    }

    private static Match byTrack(List<Match> matches, String trackId) {
        return matches.stream().filter(m -> m.trackId().equals(trackId)).findFirst().orElseThrow();
    }
}
