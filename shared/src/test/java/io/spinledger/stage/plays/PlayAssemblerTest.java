package io.spinledger.stage.plays;

import static io.spinledger.stage.plays.Airings.airing;
import static io.spinledger.stage.plays.Airings.plus;
import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.domain.Detection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}
