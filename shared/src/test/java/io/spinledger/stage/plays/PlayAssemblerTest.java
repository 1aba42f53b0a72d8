package io.spinledger.stage.plays;

import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.Detection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlayAssemblerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private final PlayAssembler assembler = new PlayAssembler(25_000, PlayAssembler.DEFAULT_ALIGNMENT_TOLERANCE_MS);

    @Test
    void overlappingChunksOfOneSongMakeOnePlayBoundedByTheMatchOffsets() {
        Instant airStart = plus(T0, 5);
        List<Detection> ds = airing("st-1", "trk_a", T0, airStart, 60_000);
        assertThat(ds).hasSizeGreaterThan(6);

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds);

        assertThat(plays).hasSize(1);
        PlayAssembler.PlayGroup play = plays.get(0);
        assertThat(play.startedAt()).isEqualTo(airStart);
        assertThat(play.endedAt()).isEqualTo(plus(airStart, 60));
        assertThat(play.durationMs()).isEqualTo(60_000);
        assertThat(play.detectionIds()).hasSize(ds.size()).isSorted();
        assertThat(play.chunkIds()).hasSize(ds.size()).isSorted();
        assertThat(play.confidence()).isEqualTo(ds.stream().mapToDouble(Detection::confidence).max().orElseThrow());
        assertThat(play.playId()).matches("p-\\d{13}-[0-9a-f]{12}")
                .startsWith("p-" + String.format("%013d", airStart.toEpochMilli()) + "-");
    }

    @Test
    void shuffledAndDuplicatedDetectionsGiveTheSamePlay() {
        List<Detection> ds = airing("st-1", "trk_a", T0, plus(T0, 5), 60_000);
        PlayAssembler.PlayGroup expected = assembler.assemble(ds).get(0);
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            List<Detection> shuffled = new ArrayList<>(ds);
            shuffled.addAll(ds.subList(0, random.nextInt(ds.size())));
            Collections.shuffle(shuffled, random);
            List<PlayAssembler.PlayGroup> plays = assembler.assemble(shuffled);
            assertThat(plays).hasSize(1);
            assertThat(plays.get(0).playId()).isEqualTo(expected.playId());
            assertThat(plays.get(0).startedAt()).isEqualTo(expected.startedAt());
            assertThat(plays.get(0).endedAt()).isEqualTo(expected.endedAt());
            assertThat(plays.get(0).detectionIds()).isEqualTo(expected.detectionIds());
        }
    }

    @Test
    void theSameSongAgainAfterSpeechIsASecondPlay() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 60_000));
        // speech from 65 s to 30 min, then the song again
        ds.addAll(airing("st-1", "trk_a", T0, plus(T0, 1_800), 60_000));

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds);

        assertThat(plays).hasSize(2);
        assertThat(plays.get(0).startedAt()).isEqualTo(plus(T0, 5));
        assertThat(plays.get(1).startedAt()).isEqualTo(plus(T0, 1_800));
        assertThat(plays.get(0).playId()).isNotEqualTo(plays.get(1).playId());
        assertThat(plays).allSatisfy(p -> assertThat(p.durationMs()).isEqualTo(60_000));
    }

    @Test
    void aReplayStraightAfterTheEndIsASecondPlayBecauseTheAlignmentJumps() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 60_000));
        ds.addAll(airing("st-1", "trk_a", T0, plus(T0, 65), 60_000));

        assertThat(assembler.assemble(ds)).extracting(PlayAssembler.PlayGroup::startedAt)
                .containsExactly(plus(T0, 5), plus(T0, 65));
    }

    @Test
    void twoTracksBackToBackAreTwoPlays() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 60_000));
        ds.addAll(airing("st-1", "trk_b", T0, plus(T0, 65), 90_000));

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds);

        assertThat(plays).extracting(PlayAssembler.PlayGroup::trackId).containsExactly("trk_a", "trk_b");
        assertThat(plays.get(1).durationMs()).isEqualTo(90_000);
        assertThat(plays.get(0).detectionIds()).doesNotContainAnyElementsOf(plays.get(1).detectionIds());
    }

    @Test
    void appendingLaterDetectionsKeepsTheIdButAnEarlierOneChangesIt() {
        List<Detection> ds = airing("st-1", "trk_a", T0, plus(T0, 5), 60_000);
        String full = assembler.assemble(ds).get(0).playId();

        assertThat(assembler.assemble(ds.subList(0, 3)).get(0).playId()).isEqualTo(full);
        String withoutFirst = assembler.assemble(ds.subList(1, ds.size())).get(0).playId();
        assertThat(withoutFirst).isNotEqualTo(full).isGreaterThan(full);
    }

    /** The airing's detections with some chunks matched at another offset of the track (a repeated section). */
    private static List<Detection> withOffsetsShifted(List<Detection> ds, long shiftMs, int... indexes) {
        List<Detection> out = new ArrayList<>(ds);
        if (indexes.length == 0) {
            indexes = java.util.stream.IntStream.range(0, ds.size()).toArray();
        }
        for (int k : indexes) {
            Detection d = ds.get(k);
            out.set(k, new Detection(d.detectionId(), d.chunkId(), d.stationId(), d.chunkStartedAt(),
                    d.chunkDurationMs(), d.trackId(), d.trackOffsetMs() + shiftMs, d.matchStartMs(), d.matchEndMs(),
                    d.alignedCount(), d.confidence(), d.source(), d.evidence()));
        }
        return out;
    }

    @Test
    void chunksMatchedInARepeatedSectionStayInTheAiring() {
        List<Detection> ds = airing("st-1", "trk_a", T0, plus(T0, 5), 180_000);
        // a chorus 48 s earlier in the track; a loop of the intro bar; a DJ edit jumping ahead
        List<Detection> messy = withOffsetsShifted(ds, -48_000, 9, 10, 11);
        messy = withOffsetsShifted(messy, -ds.get(15).trackOffsetMs() + 1_000, 15);
        messy = withOffsetsShifted(messy, 30_000, 18);

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(messy);

        assertThat(plays).singleElement().satisfies(p -> {
            assertThat(p.startedAt()).isEqualTo(plus(T0, 5));
            assertThat(p.durationMs()).isEqualTo(180_000);
            assertThat(p.detectionIds()).hasSize(ds.size());
        });
    }

    @Test
    void aReplayAfterTheSongEndedIsASecondPlayEvenWhenAnEarlySectionRepeatsInside() {
        List<Detection> ds = new ArrayList<>(withOffsetsShifted(
                airing("st-1", "trk_a", T0, plus(T0, 5), 120_000), -60_000, 9, 10)); // 72-88 s matched at 12-28 s
        ds.addAll(airing("st-1", "trk_a", T0, plus(T0, 125), 120_000));

        // the chunk at 120-130 s holds the end of one airing and the start of the next; a chunk gives one detection
        // per track, so the replay's first match is the next chunk's (128 s)
        assertThat(assembler.assemble(ds)).extracting(PlayAssembler.PlayGroup::startedAt,
                PlayAssembler.PlayGroup::durationMs).containsExactly(
                org.assertj.core.groups.Tuple.tuple(plus(T0, 5), 120_000L),
                org.assertj.core.groups.Tuple.tuple(plus(T0, 128), 117_000L));
    }

    @Test
    void aSongRestartedAtOnceInTheMiddleIsTwoPlaysWhenTheAudioShowsTheCut() {
        // a 180 s recording: 50 s of it, then the DJ starts it again at once and lets it run; the chunk at 48-58 s
        // hears the first airing stop 7 s in
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 50_000));
        ds.addAll(airing("st-1", "trk_a", T0, plus(T0, 55), 180_000));

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds, Detection::trackId, d -> 180_000);

        assertThat(plays).extracting(PlayAssembler.PlayGroup::startedAt, PlayAssembler.PlayGroup::endedAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(plus(T0, 5), plus(T0, 55)),
                        org.assertj.core.groups.Tuple.tuple(plus(T0, 56), plus(T0, 235)));
    }

    @Test
    void aRunOfChunksMatchedAtTheTrackStartWithoutACutIsNotARestart() {
        // 120 s of a 180 s recording; its last 40 s matched in a copy of its first 40 s (a repeated section), the
        // music never stopping inside a chunk
        List<Detection> heard = airing("st-1", "trk_a", T0, plus(T0, 4), 120_000);
        int from = 10; // the chunk at 80 s
        long shift = -heard.get(from).trackOffsetMs();
        List<Detection> ds = withOffsetsShifted(heard, shift,
                java.util.stream.IntStream.range(from, heard.size()).toArray());

        assertThat(assembler.assemble(ds, Detection::trackId, d -> 180_000)).singleElement()
                .satisfies(p -> assertThat(p.detectionIds()).hasSize(heard.size()));
    }

    @Test
    void oneLastChunkMatchedNearTheTrackStartIsNotARestartOfARecordingThatHadNotEnded() {
        // 100 s of a 180 s recording, faded out; its last chunk matched in a copy of the intro, at track position 0
        List<Detection> heard = airing("st-1", "trk_a", T0, plus(T0, 5), 100_000);
        List<Detection> ds = withOffsetsShifted(heard, -heard.get(heard.size() - 1).trackOffsetMs(),
                heard.size() - 1);

        assertThat(assembler.assemble(ds, Detection::trackId, d -> 180_000)).singleElement()
                .satisfies(p -> assertThat(p.detectionIds()).hasSize(heard.size()));
        assertThat(assembler.assemble(ds)).as("length unknown: nothing tells the confusion from a restart")
                .hasSize(2);
    }

    @Test
    void aWeakerTrackOnTheSameSecondsIsKeptAsAnAlternative() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 180_000));
        // another recording claims 40 s in the middle with low confidence
        for (Detection d : airing("st-1", "trk_b", T0, plus(T0, 60), 40_000)) {
            ds.add(new Detection(d.detectionId(), d.chunkId(), d.stationId(), d.chunkStartedAt(), d.chunkDurationMs(),
                    d.trackId(), d.trackOffsetMs(), d.matchStartMs(), d.matchEndMs(), 6, 0.3, d.source(), Map.of()));
        }

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds);

        assertThat(plays).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo("trk_a");
            assertThat(p.alternatives()).singleElement().satisfies(a -> {
                assertThat(a.trackId()).isEqualTo("trk_b");
                assertThat(a.startedAt()).isEqualTo(plus(T0, 60));
                assertThat(a.detectionIds()).hasSize(airing("st-1", "trk_b", T0, plus(T0, 60), 40_000).size());
            });
            assertThat(PlayAssembler.containing(plays, a(ds, "trk_b").detectionId())).isSameAs(p);
        });
    }

    @Test
    void aCrossfadeKeepsBothTracks() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 120_000));
        ds.addAll(airing("st-1", "trk_b", T0, plus(T0, 120), 120_000)); // 5 s of overlap

        assertThat(assembler.assemble(ds)).extracting(PlayAssembler.PlayGroup::trackId)
                .containsExactly("trk_a", "trk_b");
    }

    @Test
    void oneRecordingUnderTwoIdsIsOnePlayWhenKeyedByIsrc() {
        List<Detection> ds = new ArrayList<>(airing("st-1", "trk_a", T0, plus(T0, 5), 60_000));
        for (Detection d : airing("st-1", "acr_x1", T0, plus(T0, 65), 60_000)) {
            ds.add(new Detection(d.detectionId(), d.chunkId(), d.stationId(), d.chunkStartedAt(), d.chunkDurationMs(),
                    d.trackId(), d.trackOffsetMs() + 60_000, d.matchStartMs(), d.matchEndMs(), 0, 0.9,
                    Detection.Source.ACRCLOUD, Map.of()));
        }

        List<PlayAssembler.PlayGroup> plays = assembler.assemble(ds, d -> "GHA012600001");

        assertThat(plays).singleElement().satisfies(p -> {
            assertThat(p.trackId()).isEqualTo("trk_a"); // the own index's name wins
            assertThat(p.durationMs()).isEqualTo(120_000);
        });
    }

    private static Detection a(List<Detection> ds, String trackId) {
        return ds.stream().filter(d -> d.trackId().equals(trackId)).findFirst().orElseThrow();
    }

    @Test
    void musicDrownedOutForAWhileIsOneAiringWhenBothSidesFollowOneAlignment() {
        List<Detection> all = airing("st-1", "trk_a", T0, plus(T0, 5), 180_000);
        // nothing matched from 40 s to 100 s into the airing (speech over the music)
        List<Detection> heard = all.stream().filter(d -> d.trackOffsetMs() + d.matchEndMs() < 40_000
                || d.trackOffsetMs() + d.matchStartMs() > 100_000).toList();

        assertThat(assembler.assemble(heard)).singleElement()
                .satisfies(p -> assertThat(p.durationMs()).isEqualTo(180_000));
        // the same gap with the track 30 s further on afterwards is not that airing
        List<Detection> shifted = new ArrayList<>(heard.stream().filter(d -> d.trackOffsetMs() < 40_000).toList());
        shifted.addAll(withOffsetsShifted(heard.stream().filter(d -> d.trackOffsetMs() >= 40_000).toList(), 30_000));
        assertThat(assembler.assemble(shifted)).hasSize(2);
    }
}
