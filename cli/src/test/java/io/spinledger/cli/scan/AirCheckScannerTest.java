package io.spinledger.cli.scan;

import io.spinledger.audio.Pcm;
import io.spinledger.cli.Media;
import io.spinledger.cli.bench.BenchDataset;
import io.spinledger.fingerprint.FingerprintConfig;
import io.spinledger.fingerprint.FingerprintEngine;
import io.spinledger.fingerprint.IndexStore;
import io.spinledger.fingerprint.MatchThresholds;
import io.spinledger.storage.InMemoryObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Play boundaries from an air-check made of real recordings and espeak-ng speech. */
@Timeout(180)
class AirCheckScannerTest {

    @Test
    void aTalkOverIntroStartsThePlayWhereTheMusicStartsNotWhereTheTalkEnds() {
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

        List<AirCheckScanner.Play> plays = new AirCheckScanner(engine, 10_000, 2_000, 25_000)
                .scan(airCheck, "test-fm", Instant.parse("2026-11-22T06:00:00Z"));

        assertThat(plays).extracting(AirCheckScanner.Play::trackId).containsExactly("love_theme");
        AirCheckScanner.Play play = plays.get(0);
        // measured: 12.23 s; the triplets alone put it at 14.23 s, where the talk thins out
        assertThat(play.startMs()).as("start of %s", play).isBetween(11_500L, 13_000L);
        assertThat(play.endMs()).isBetween(51_000L, 52_000L);
        assertThat(play.trackOffsetMs()).isBetween(-500L, 1_000L);
    }
}
