package io.spinledger.fingerprint;

import io.spinledger.audio.AudioDecoder;
import io.spinledger.audio.Pcm;
import io.spinledger.audio.TestAudio;
import io.spinledger.storage.InMemoryObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Index segments in object storage, and a warm matcher picking up what other instances register. */
@Timeout(60)
class IndexStoreTest {
    private static final FingerprintConfig CONFIG = FingerprintConfig.defaults();
    private static Pcm defeat;
    private static Pcm victory2;
    private static Pcm elfLand;

    @BeforeAll
    static void decode() {
        AudioDecoder decoder = new AudioDecoder();
        defeat = decoder.decode(TestAudio.wesnoth("defeat.ogg"));
        victory2 = decoder.decode(TestAudio.wesnoth("victory2.ogg"));
        elfLand = decoder.decode(TestAudio.wesnoth("elf-land.ogg"));
    }

    @Test
    void segmentRoundTripKeepsEveryFingerprint() {
        Fingerprints fps = new FingerprintExtractor(CONFIG).extract(defeat);
        IndexSegment segment = new IndexSegment("defeat", CONFIG.schemeId(), fps);

        byte[] bytes = segment.toBytes();
        IndexSegment back = IndexSegment.fromBytes(bytes);

        assertThat(fps.size()).isGreaterThan(500);
        assertThat(bytes).hasSize(4 + 2 + 4 + 2 + "defeat".length() + 4 + 8 * fps.size() + 4);
        assertThat(back.trackId()).isEqualTo("defeat");
        assertThat(back.schemeId()).isEqualTo(CONFIG.schemeId());
        assertThat(back.fingerprints().hashes()).isEqualTo(fps.hashes());
        assertThat(back.fingerprints().frames()).isEqualTo(fps.frames());
    }

    @Test
    void corruptOrTruncatedSegmentsAreRejected() {
        byte[] bytes = new IndexSegment("defeat", CONFIG.schemeId(),
                new FingerprintExtractor(CONFIG).extract(defeat)).toBytes();
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
    void refreshLoadsOnlyNewSegmentsAndDropsRemovedTracks() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintEngine registrar = engine(objects);
        registrar.register("defeat", defeat);
        registrar.register("victory2", victory2);
        assertThat(objects.list("index/segments/")).containsExactly(
                "index/segments/defeat.seg", "index/segments/victory2.seg");

        FingerprintEngine matcher = engine(objects);
        assertThat(matcher.refresh().added()).containsExactlyInAnyOrder("defeat", "victory2");
        assertThat(matcher.identify(elfLand.slice(5_000, 15_000))).isEmpty();

        registrar.register("elf-land", elfLand);
        IndexStore.RefreshResult second = matcher.refresh();

        assertThat(second.added()).containsExactly("elf-land");
        assertThat(second.removed()).isEmpty();
        List<Match> found = matcher.identify(elfLand.slice(5_000, 15_000));
        assertThat(found).extracting(Match::trackId).containsExactly("elf-land");
        assertThat(found.get(0).trackOffsetMs()).isCloseTo(5_000L, within(100L));
        assertThat(matcher.refresh().added()).isEmpty();

        registrar.remove("victory2");
        assertThat(objects.list("index/segments/")).doesNotContain("index/segments/victory2.seg");
        assertThat(matcher.refresh().removed()).containsExactly("victory2");
        assertThat(matcher.index().trackIds()).containsExactlyInAnyOrder("defeat", "elf-land");
        assertThat(matcher.identify(victory2.slice(2_000, 12_000))).isEmpty();

        // registering again clears the tombstone
        registrar.register("victory2", victory2);
        assertThat(matcher.refresh().added()).containsExactly("victory2");
        assertThat(matcher.identify(victory2.slice(2_000, 12_000))).extracting(Match::trackId)
                .containsExactly("victory2");
    }

    @Test
    void segmentsOfAnotherExtractionSchemeAreSkipped() {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintConfig d = CONFIG;
        FingerprintConfig otherHop = new FingerprintConfig(d.sampleRateHz(), d.fftSize(), 128, d.minFrequencyHz(),
                d.maxFrequencyHz(), d.peakNeighbourhoodBins(), d.peakNeighbourhoodFrames(), d.peakFloorDb(),
                d.peakProminenceDb(), d.maxPeaksPerSecond(), d.fanOut(), d.targetZoneMinDtFrames(),
                d.targetZoneMaxDtFrames(), d.targetZoneMaxDfBins(), d.queryShifts());
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
    void indexReplacesReaddedTracksAndCountsPostings() {
        FingerprintExtractor extractor = new FingerprintExtractor(CONFIG);
        Fingerprints a = extractor.extract(defeat);
        Fingerprints b = extractor.extract(victory2);
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
    }

    @Test
    void matchingWhileTracksAreAddedSeesConsistentSnapshots() throws Exception {
        FingerprintExtractor extractor = new FingerprintExtractor(CONFIG);
        FingerprintIndex index = new FingerprintIndex();
        index.add("elf-land", extractor.extract(elfLand));
        Matcher matcher = new Matcher(index, CONFIG, MatchThresholds.defaults());
        Fingerprints query = extractor.extractQuery(elfLand.slice(10_000, 20_000));
        Fingerprints filler = extractor.extract(victory2);
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

    private static FingerprintEngine engine(InMemoryObjectStore objects) {
        return new FingerprintEngine(CONFIG, MatchThresholds.defaults(), new IndexStore(objects, CONFIG));
    }
}
