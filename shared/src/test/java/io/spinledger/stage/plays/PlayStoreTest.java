package io.spinledger.stage.plays;

import io.spinledger.ports.ManualClock;
import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.message;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.stage.capture.ChunkLog;
import java.util.Map;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Play;
import io.spinledger.testing.TestTables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlayStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static TestTables env;

    @BeforeAll
    static void start() {
        env = TestTables.start();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static PlayStore store(ManualClock clock) {
        return env.playStore(new PlayAssembler(25_000, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS),
                30_000, 60_000, clock);
    }

    @Test
    void detectionsBecomeOneOpenPlayWithMetadataAndDuplicatesAreNoOps() {
        PlayStore store = store(new ManualClock(T0));
        List<Detection> ds = airing("ps-meta", "trk_a", T0, plus(T0, 5), 120_000);
        for (Detection d : ds) {
            assertThat(store.recordDetection(message(d, "Kokooko", "348", "100")).newDetection()).isTrue();
        }
        PlayStore.RecordOutcome again = store.recordDetection(message(ds.get(3), "Kokooko", "348", "100"));

        assertThat(again.newDetection()).isFalse();
        assertThat(again.changed()).isFalse();
        List<Play> plays = store.queryPlays("ps-meta", T0, plus(T0, 3_600));
        assertThat(plays).singleElement().satisfies(p -> {
            assertThat(p.status()).isEqualTo(Play.Status.OPEN);
            assertThat(p.title()).isEqualTo("Kokooko");
            assertThat(p.artists()).containsExactly("Artist of Kokooko");
            assertThat(p.isrc()).isEqualTo("GHA012600001");
            assertThat(p.proMapping().shares()).singleElement().extracting(s -> s.societyCode()).isEqualTo("348");
            assertThat(p.startedAt()).isEqualTo(plus(T0, 5));
            assertThat(p.durationMs()).isEqualTo(120_000);
            assertThat(p.detectionIds()).hasSize(ds.size());
            assertThat(p.royaltyEligible()).isTrue();
        });
        assertThat(store.get("ps-meta", plays.get(0).playId())).contains(plays.get(0));
        assertThat(store.detections("ps-meta", T0, plus(T0, 3_600))).hasSize(ds.size());
        assertThat(store.queryPlays("ps-meta", plus(T0, 6), plus(T0, 3_600))).isEmpty();
    }

    @Test
    void anEarlierDetectionArrivingLateReplacesThePlay() {
        PlayStore store = store(new ManualClock(T0));
        List<Detection> ds = airing("ps-late", "trk_a", T0, plus(T0, 5), 60_000);
        for (Detection d : ds.subList(1, ds.size())) {
            store.recordDetection(message(d, "Song"));
        }
        Play before = store.queryPlays("ps-late", T0, plus(T0, 3_600)).get(0);

        PlayStore.RecordOutcome outcome = store.recordDetection(message(ds.get(0), "Song"));

        Play after = outcome.play().orElseThrow();
        assertThat(after.playId()).isNotEqualTo(before.playId());
        assertThat(after.startedAt()).isEqualTo(plus(T0, 5)).isBefore(before.startedAt());
        assertThat(outcome.superseded()).containsExactly(before.playId());
        assertThat(store.get("ps-late", before.playId())).isEmpty();
        assertThat(store.queryPlays("ps-late", T0, plus(T0, 3_600))).containsExactly(after);
    }

    private static Chunk chunkOf(Detection d) {
        return new Chunk(d.chunkId(), d.stationId(), d.chunkStartedAt(), d.chunkDurationMs(), "chunks/" + d.chunkId(),
                11_025, "test");
    }

    /** Registers each detection's chunk and records it MATCHED with that detection (as capture and matching do). */
    private static void captureAndMatch(PlayStore store, List<Detection> ds) {
        for (Detection d : ds) {
            store.chunkLog().register(chunkOf(d), false);
            store.chunkLog().record(chunkOf(d), ChunkLog.State.MATCHED, List.of(d.detectionId()), null);
        }
    }

    @Test
    void playsBecomeFinalWhenTheWatermarkPassesThemNotWhenProcessingGoesQuiet() {
        ManualClock clock = new ManualClock(T0);
        PlayStore store = store(clock);
        List<Detection> song = airing("ps-close", "trk_a", T0, plus(T0, 5), 60_000);
        List<Detection> jingle = airing("ps-close", "trk_j", T0, plus(T0, 120), 20_000);
        captureAndMatch(store, song.subList(1, song.size()));
        captureAndMatch(store, jingle);
        store.chunkLog().register(chunkOf(song.get(0)), false); // captured, not matched yet
        song.subList(1, song.size()).forEach(d -> store.recordDetection(message(d, "Song")));
        jingle.forEach(d -> store.recordDetection(message(d, "Jingle")));

        // an hour of quiet processing changes nothing: the first chunk is not accounted for
        assertThat(due(store, plus(T0, 3_000))).isEmpty();
        assertThat(store.queryPlays("ps-close", T0, plus(T0, 3_600))).allMatch(Play::provisional);
        assertThat(store.progress("ps-close").watermark()).isEqualTo(song.get(0).chunkStartedAt());

        // matched, but its detection has not reached the plays stage: still not accounted for
        store.chunkLog().record(chunkOf(song.get(0)), ChunkLog.State.MATCHED, List.of(song.get(0).detectionId()), null);
        assertThat(due(store, plus(T0, 3_001))).isEmpty();

        store.recordDetection(message(song.get(0), "Song"));
        List<Play> closed = due(store, plus(T0, 3_002));
        assertThat(closed).extracting(Play::trackId, Play::status, Play::royaltyEligible, Play::startedAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("trk_a", Play.Status.CLOSED, true, plus(T0, 5)),
                org.assertj.core.groups.Tuple.tuple("trk_j", Play.Status.CLOSED, false, plus(T0, 120)));
        assertThat(store.markPosted(closed.get(0), "k")).isTrue();
        assertThat(store.markPosted(closed.get(0), "k")).isTrue();
        assertThat(store.markNotPaid(closed.get(1))).isTrue();
        assertThat(due(store, plus(T0, 3_003))).isEmpty();

        // a late detection of the song (a chunk the capture registered late) revises the posted play
        Detection late = song.get(song.size() - 1);
        Detection extra = new Detection(late.chunkId() + "x:trk_a", late.chunkId() + "x", "ps-close",
                late.chunkStartedAt().plusMillis(8_000), late.chunkDurationMs(), "trk_a", late.trackOffsetMs() + 8_000,
                0, 9_000, 20, 0.9, Detection.Source.LOCAL, Map.of());
        captureAndMatch(store, List.of(extra));
        PlayStore.RecordOutcome outcome = store.recordDetection(message(extra, "Song"));
        assertThat(outcome.late()).isTrue();
        List<Play> revised = due(store, plus(T0, 3_004));
        assertThat(revised).singleElement().satisfies(p -> {
            assertThat(p.playId()).isEqualTo(closed.get(0).playId());
            assertThat(p.status()).isEqualTo(Play.Status.CLOSED);
            assertThat(p.detectionIds()).contains(extra.detectionId());
            assertThat(p.endedAt()).isAfter(closed.get(0).endedAt());
        });
        assertThat(store.markPosted(revised.get(0), "k#R1")).isTrue();
        assertThat(store.get("ps-close", closed.get(0).playId())).get().extracting(Play::status)
                .isEqualTo(Play.Status.POSTED);
    }

    private static List<Play> due(PlayStore store, Instant now) {
        return store.closeDuePlays(now).stream().filter(p -> p.stationId().equals("ps-close")).toList();
    }

    @Test
    void concurrentConsumersDoNotLoseDetections() throws Exception {
        List<Detection> ds = new ArrayList<>(airing("ps-race", "trk_a", T0, plus(T0, 5), 180_000));
        ds.addAll(airing("ps-race", "trk_a", T0, plus(T0, 5), 180_000)); // every message delivered twice
        Collections.shuffle(ds, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                PlayStore store = store(new ManualClock(T0));
                done.add(pool.submit(() -> {
                    for (int i = worker; i < ds.size(); i += 4) {
                        store.recordDetection(new DetectionMessage(ds.get(i), null, null));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Play> plays = store(new ManualClock(T0)).queryPlays("ps-race", T0, plus(T0, 3_600));
        assertThat(plays).singleElement().satisfies(p -> {
            assertThat(p.startedAt()).isEqualTo(plus(T0, 5));
            assertThat(p.durationMs()).isEqualTo(180_000);
            assertThat(p.detectionIds()).hasSize(ds.size() / 2);
        });
    }

    @Test
    void queryAllMergesStationsByStartTime() {
        PlayStore store = store(new ManualClock(T0));
        airing("ps-all-1", "trk_a", T0, plus(T0, 100), 40_000).forEach(d -> store.recordDetection(message(d, "A")));
        airing("ps-all-2", "trk_b", T0, plus(T0, 50), 40_000).forEach(d -> store.recordDetection(message(d, "B")));

        assertThat(store.queryAll(List.of("ps-all-1", "ps-all-2"), T0, plus(T0, Duration.ofHours(1).toSeconds())))
                .extracting(Play::stationId).containsExactly("ps-all-2", "ps-all-1");
    }
}
