package io.spinledger.catalog;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.ports.InMemoryTableStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registering a recording that is already in the catalog is refused unless it is declared a distinct version. */
@Timeout(180)
class CatalogServiceDuplicateTest {

    @Test
    void aReencodedCopyIsRefusedNamingTheExistingTrackUnlessDeclaredDistinct() throws Exception {
        InMemoryTableStore tables = new InMemoryTableStore();
        FingerprintConfig config = FingerprintConfig.defaults();
        InMemoryObjectStore objects = new InMemoryObjectStore();
        FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(objects, config));
        AudioDecoder decoder = new AudioDecoder(config.sampleRateHz(), AudioDecoder.DEFAULT_MAX_DURATION_MS);
        CatalogService catalog = new CatalogService(new TrackRepository(tables), objects, engine, decoder,
                Clock.systemUTC());
        byte[] original = Files.readAllBytes(TestAudio.wesnoth("love_theme.ogg"));
        Pcm pcm = decoder.decode(original);
        byte[] reencoded = TestAudio.toMp3(pcm, 96);

        CatalogService.Registration first = catalog.register(meta("Love Theme", null), original);
        assertThat(first.created()).isTrue();

        assertThatThrownBy(() -> catalog.register(meta("Love Theme (upload 2)", null), reencoded))
                .isInstanceOfSatisfying(DuplicateTrackException.class, e -> {
                    assertThat(e.existing().trackId()).isEqualTo(first.track().trackId());
                    assertThat(e.getMessage()).contains(first.track().trackId()).contains("Love Theme");
                    assertThat(e.existingOffsetMs()).isBetween(-500L, 500L);
                });
        assertThat(catalog.list()).hasSize(1);

        CatalogService.Registration version = catalog.register(meta("Love Theme (radio master)", true), reencoded);
        assertThat(version.created()).isTrue();
        assertThat(version.track().trackId()).isNotEqualTo(first.track().trackId());

        byte[] other = Files.readAllBytes(TestAudio.wesnoth("elf-land.ogg"));
        assertThat(catalog.register(meta("Elf Land", null), other).created()).isTrue();
        assertThat(catalog.list()).hasSize(3);
    }

    private static TrackMetadata meta(String title, Boolean distinct) {
        return new TrackMetadata(title, List.of("Wesnoth"), null, null, null, null, List.of(), distinct);
    }
}
