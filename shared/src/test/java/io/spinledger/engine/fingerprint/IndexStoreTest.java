package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.ports.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The index as data: compact segments in object storage, delta segments a warm matcher picks up,
 * tombstones, compaction, hash-range shards whose answers the matcher combines.
 */
@Timeout(120)
class IndexStoreTest {
    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static final FingerprintExtractor EXTRACTOR = new FingerprintExtractor(CONFIG);
    private static Pcm defeat;
    private static Pcm victory2;
    private static Pcm elfLand;
    private static Pcm loveTheme;

    @BeforeAll
    static void decode() {
        AudioDecoder decoder = new AudioDecoder();
        defeat = decoder.decode(TestAudio.wesnoth("defeat.ogg"));
        victory2 = decoder.decode(TestAudio.wesnoth("victory2.ogg"));
        elfLand = decoder.decode(TestAudio.wesnoth("elf-land.ogg"));
        loveTheme = decoder.decode(TestAudio.wesnoth("love_theme.ogg"));
    }

    @Test
    void segmentRoundTripKeepsEveryFingerprintInAboutFiveBytesEach() {
        Fingerprints a = EXTRACTOR.extract(elfLand);
        Fingerprints b = EXTRACTOR.extract(victory2);
        IndexSegment segment = new IndexSegment(CONFIG.schemeId(), Map.of("elf-land", a, "victory2", b));

        byte[] bytes = segment.toBytes();
        IndexSegment back = IndexSegment.fromBytes(bytes);

        assertThat(a.size()).isGreaterThan(300);
        assertThat((double) bytes.length / (a.size() + b.size())).isBetween(5.0, 5.5);
        assertThat(back.schemeId()).isEqualTo(CONFIG.schemeId());
        assertThat(back.tracks()).containsOnlyKeys("elf-land", "victory2");
        for (String id : List.of("elf-land", "victory2")) {
            Fingerprints want = segment.tracks().get(id);
            Fingerprints got = back.tracks().get(id);
            assertThat(got.hashes()).isEqualTo(want.hashes());
            assertThat(got.frames()).isEqualTo(want.frames());
            assertThat(got.pitches()).isEqualTo(want.pitches());
        }
    }

    @Test
    void corruptOrTruncatedSegmentsAreRejected() {
        byte[] bytes = IndexSegment.of("defeat", CONFIG.schemeId(), EXTRACTOR.extract(defeat)).toBytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        byte[] badMagic = bytes.clone();
        badMagic[0] = 'X';

        assertThatThrownBy(() -> IndexSegment.fromBytes(flipped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> IndexSegment.fromBytes(Arrays.copyOf(bytes, bytes.length - 9)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexSegment.fromBytes(Arrays.copyOf(bytes, 7)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexSegment.fromBytes(badMagic)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void refreshLoadsOnlyNewDeltasAndDropsRemovedTracks() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintEngine registrar = engine(objects, 1);
        registrar.register("love_theme", loveTheme);
        registrar.register("victory2", victory2);
        assertThat(objects.list("index/segments/")).hasSize(2)
                .allMatch(k -> k.matches("index/segments/\\d{13}-delta-(love_theme|victory2)\\.seg"));

        FingerprintEngine matcher = engine(objects, 1);
        assertThat(matcher.refresh().added()).containsExactlyInAnyOrder("love_theme", "victory2");
        assertThat(matcher.identify(elfLand.slice(5_000, 15_000))).isEmpty();

        registrar.register("elf-land", elfLand);
        IndexStore.RefreshResult second = matcher.refresh();

        assertThat(second.added()).containsExactly("elf-land");
        assertThat(second.removed()).isEmpty();
        List<Match> found = matcher.identify(elfLand.slice(5_000, 15_000));
        assertThat(found).extracting(Match::trackId).containsExactly("elf-land");
        assertThat(found.get(0).trackOffsetMs()).isCloseTo(5_000L, within(100L));
        assertThat(matcher.refresh().added()).isEmpty();

        registrar.remove("love_theme");
        assertThat(matcher.refresh().removed()).containsExactly("love_theme");
        assertThat(matcher.index().trackIds()).containsExactlyInAnyOrder("victory2", "elf-land");
        assertThat(matcher.identify(loveTheme.slice(20_000, 30_000))).isEmpty();

        // registering again clears the tombstone
        registrar.register("love_theme", loveTheme);
        assertThat(matcher.refresh().added()).containsExactly("love_theme");
        assertThat(matcher.identify(loveTheme.slice(20_000, 30_000))).extracting(Match::trackId)
                .containsExactly("love_theme");
    }

    @Test
    void compactionMergesDeltasIntoOneBaseThatColdAndWarmMatchersAgreeOn() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintEngine registrar = engine(objects, 1);
        registrar.register("love_theme", loveTheme);
        registrar.register("victory2", victory2);
        registrar.register("defeat", defeat);
        registrar.remove("defeat");
        FingerprintEngine warm = engine(objects, 1);
        warm.refresh();

        IndexStore.Compaction c = registrar.store().compact();

        assertThat(c.tracks()).isEqualTo(2);
        assertThat(objects.list("index/segments/")).containsExactly(c.segmentKey());
        assertThat(c.segmentKey()).matches("index/segments/\\d{13}-base\\.seg");
        FingerprintEngine cold = engine(objects, 1);
        assertThat(cold.refresh().added()).containsExactlyInAnyOrder("love_theme", "victory2");
        assertThat(warm.refresh().added()).isEmpty();
        for (FingerprintEngine e : List.of(cold, warm)) {
            assertThat(e.identify(loveTheme.slice(40_000, 50_000))).extracting(Match::trackId)
                    .containsExactly("love_theme");
            assertThat(e.index().trackIds()).containsExactlyInAnyOrder("love_theme", "victory2");
        }
        // a delta written after the compaction is picked up beside the base
        registrar.register("elf-land", elfLand);
        assertThat(cold.refresh().added()).containsExactly("elf-land");
        assertThat(registrar.store().trackIds()).containsExactlyInAnyOrder("love_theme", "victory2", "elf-land");
    }

    @Test
    void twoHashRangeShardsSplitThePostingsAndTheMatcherCombinesTheirHits() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintEngine registrar = engine(objects, 1);
        registrar.register("love_theme", loveTheme);
        registrar.register("elf-land", elfLand);
        FingerprintEngine sharded = engine(objects, 2);
        sharded.refresh();

        FingerprintIndex s0 = sharded.shards().get(0);
        FingerprintIndex s1 = sharded.shards().get(1);
        assertThat(s0.hashTo()).isEqualTo(s1.hashFrom());
        assertThat(s0.postingCount()).isPositive();
        assertThat(s1.postingCount()).isPositive();
        assertThat(s0.postingCount() + s1.postingCount()).isEqualTo(registrar.index().postingCount());

        Pcm clip = TestAudio.withNoise(loveTheme.slice(30_000, 40_000), 5, 9);
        Match whole = registrar.identify(clip).get(0);
        Match combined = sharded.identify(clip).get(0);
        assertThat(combined.trackId()).isEqualTo("love_theme");
        assertThat(combined.alignedCount()).isEqualTo(whole.alignedCount());
        assertThat(combined.trackOffsetMs()).isEqualTo(whole.trackOffsetMs());
        // the peak check sees the same anchors: the union of the shards' is the whole index's
        Matcher one = new Matcher(registrar.index(), CONFIG, MatchThresholds.defaults());
        Matcher two = new Matcher(sharded.shards(), CONFIG, MatchThresholds.defaults());
        assertThat(two.anchors("love_theme", 0, 20_000)).isDeepEqualTo(one.anchors("love_theme", 0, 20_000));
        assertThat(one.anchors("love_theme", 0, 20_000)[0]).hasSizeGreaterThan(500);
        assertThat(s0.view().anchors(s0.view().ordinal("love_theme"), 0, 20_000)[0].length)
                .isLessThan(one.anchors("love_theme", 0, 20_000)[0].length);
        // neither shard alone sees the whole evidence
        Matcher onlyFirst = new Matcher(s0, CONFIG, MatchThresholds.defaults());
        List<Match> partial = onlyFirst.candidates(EXTRACTOR.extractQuery(clip), 1);
        assertThat(partial.isEmpty() ? 0 : partial.get(0).alignedCount()).isLessThan(whole.alignedCount());
    }

    @Test
    void segmentsOfAnotherExtractionSchemeAreSkipped() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintConfig d = CONFIG;
        FingerprintConfig otherHop = new FingerprintConfig(d.sampleRateHz(), d.fftSize(), 128, d.minFrequencyHz(),
                d.maxFrequencyHz(), d.peakNeighbourhoodBins(), d.peakNeighbourhoodFrames(), d.peakFloorDb(),
                d.peakProminenceDb(), d.referencePeaksPerSecond(), d.queryPeaksPerSecond(),
                d.referenceTargetPeaks(), d.queryTargetPeaks(), d.targetZoneMinDtFrames(), d.targetZoneMaxDtFrames(),
                d.targetZoneMaxOctaves(), d.ratioLevelsPerOctave(), d.timeRatioLevels(), d.anchorBandsPerOctave(),
                d.spanBandsPerOctave(), d.pitchStepsPerOctave(), d.maxScaleDeviation(), d.quantisationMargin(),
                d.matching());
        new IndexStore(objects, otherHop).addTrack("defeat", new FingerprintExtractor(otherHop).extract(defeat));

        FingerprintIndex index = new FingerprintIndex();
        assertThat(new IndexStore(objects, CONFIG).refresh(index).added()).isEmpty();
        assertThat(index.trackCount()).isZero();
    }

    @Test
    void trackIdsMustBeSafeObjectKeys() {
        IndexStore store = new IndexStore(new InMemoryObjectStore(), CONFIG);

        assertThatThrownBy(() -> store.addTrack("../escape", Fingerprints.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.addTrack("", Fingerprints.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexReplacesReaddedTracksCountsPostingsAndStaysUnderEightBytesEach() {
        Fingerprints a = EXTRACTOR.extract(elfLand);
        Fingerprints b = EXTRACTOR.extract(loveTheme);
        FingerprintIndex index = new FingerprintIndex();

        index.addAll(Map.of("a", a, "b", b));
        assertThat(index.postingCount()).isEqualTo(a.size() + b.size());
        index.add("a", b);
        assertThat(index.trackCount()).isEqualTo(2);
        assertThat(index.postingCount()).isEqualTo(2L * b.size());
        assertThat(index.remove("a")).isTrue();
        assertThat(index.remove("a")).isFalse();
        assertThat(index.postingCount()).isEqualTo(b.size());
        assertThat(index.trackIds()).containsExactly("b");

        Map<String, Fingerprints> many = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) {
            many.put("copy-" + i, b);
        }
        index.addAll(many);
        index.compact();
        assertThat(index.runCount()).isEqualTo(1);
        assertThat((double) index.memoryBytes() / index.postingCount()).isLessThanOrEqualTo(8.0);
    }

    @Test
    void matchingWhileTracksAreAddedSeesConsistentSnapshots() throws Exception {
        FingerprintIndex index = new FingerprintIndex();
        index.add("elf-land", EXTRACTOR.extract(elfLand));
        Matcher matcher = new Matcher(index, CONFIG, MatchThresholds.defaults());
        QueryFingerprints query = EXTRACTOR.extractQuery(elfLand.slice(10_000, 20_000));
        Fingerprints filler = EXTRACTOR.extract(victory2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger readerMatches = new AtomicInteger();

        Thread reader = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<Match> m = matcher.match(query);
                    if (m.isEmpty() || !m.get(0).trackId().equals("elf-land")) {
                        throw new AssertionError("lost the match: " + m);
                    }
                    readerMatches.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 60; i++) {
            index.add("filler-" + i, filler);
        }
        reader.interrupt();
        reader.join();

        assertThat(failure.get()).isNull();
        assertThat(readerMatches.get()).isPositive();
        assertThat(index.trackCount()).isEqualTo(61);
    }

    private static FingerprintEngine engine(InMemoryObjectStore objects, int shards) {
        return new FingerprintEngine(CONFIG, MatchThresholds.defaults(), new IndexStore(objects, CONFIG), shards);
    }
}
