package io.spinledger.cli.scan;

import io.spinledger.cli.Media;
import io.spinledger.cli.bench.BenchDataset;
import io.spinledger.domain.Detection;
import io.spinledger.domain.Play;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An air-check made of real recordings and espeak-ng speech, scanned by the deployed stages in one process:
 * the capture stage's chunks, the match stage's detections and the play-assembly stage's final plays.
 */
@Timeout(180)
class AirCheckScanTest {
    private static final Instant START = Instant.parse("2026-11-22T06:00:00Z");

    @Test
    void aTalkOverIntroBecomesOneFinalPlayAsThePipelineAssemblesIt() {
        Media media = new Media(11_025);
        FingerprintConfig config = FingerprintConfig.defaults();
        FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        Pcm love = media.decoder().decode(BenchDataset.WESNOTH_MUSIC.resolve("love_theme.ogg"));
        Pcm unknown = media.decoder().decode(BenchDataset.WESNOTH_MUSIC.resolve("transience.ogg"));
        engine.register("love_theme", love);
        engine.register("elf-land", media.decoder().decode(BenchDataset.WESNOTH_MUSIC.resolve("elf-land.ogg")));
        // the DJ talks 3 dB over the first 8 s of the song, which follows 12 s of music not in the catalog
        Pcm talk = media.speech("Good morning, you are listening to the breakfast show. Here is a song from the "
                + "archive that you asked for all week, so stay with us for the next few minutes.", "en", 170);
        Pcm intro = Media.mix(love.slice(0, 40_000), talk.slice(0, 8_000), 3);
        Pcm airCheck = Media.concat(List.of(unknown.slice(20_000, 32_000), intro));

        AirCheckScan scan = AirCheckScan.withDefaults(engine, 10_000, 2_000);
        AirCheckScan.Result result = scan.scan(airCheck, "test-fm", START);

        // the capture stage's chunks: 10 s windows every 8 s (0..40 s) and the final 4 s from 48 s
        assertThat(result.chunks()).isEqualTo(7);
        assertThat(result.detections()).allSatisfy(d -> {
            long chunkStartMs = d.chunkStartedAt().toEpochMilli() - START.toEpochMilli();
            assertThat(chunkStartMs % 8_000).isZero();
            assertThat(d.chunkId()).isEqualTo("test-fm-" + d.chunkStartedAt().toEpochMilli());
            assertThat(d.detectionId()).isEqualTo(d.chunkId() + ":" + d.trackId());
            assertThat(d.source()).isEqualTo(Detection.Source.LOCAL);
        });
        assertThat(result.plays()).extracting(Play::trackId).containsExactly("love_theme");
        Play play = result.plays().get(0);
        assertThat(play.status()).isEqualTo(Play.Status.CLOSED);
        assertThat(play.stationId()).isEqualTo("test-fm");
        assertThat(play.playId()).startsWith("p-" + String.format("%013d", play.startedAt().toEpochMilli()));
        assertThat(play.detectionIds()).hasSizeGreaterThanOrEqualTo(4)
                .containsExactlyInAnyOrderElementsOf(result.detectionsOf(play).stream().map(Detection::detectionId)
                        .toList());
        long startMs = play.startedAt().toEpochMilli() - START.toEpochMilli();
        long endMs = play.endedAt().toEpochMilli() - START.toEpochMilli();
        // the true start is 12.0 s: the match stage's span of the first detection (where the song is audible in
        // its chunk, AudibleSpan) reaches back under the talk to the song's first sample: measured 12.005 s
        // (14.23 s from the aligned fingerprints alone, which the talk-over pushes later)
        assertThat(startMs).as("start of %s", play).isBetween(12_000L - 1_000, 12_000L + 1_000);
        assertThat(endMs).isBetween(51_000L, 52_000L);
        assertThat(play.durationMs()).isEqualTo(endMs - startMs);
        assertThat(play.royaltyEligible()).isTrue();
        assertThat(result.trackOffsetMs(play)).isBetween(startMs - 12_000 - 500, startMs - 12_000 + 500);
        assertThat(result.timeScale(play)).isBetween(0.99, 1.01);

        // a second scan of the same air-check gives the same plays (ids are derived, not random)
        assertThat(scan.scan(airCheck, "test-fm", START).plays()).extracting(Play::playId)
                .containsExactly(play.playId());
    }
}
