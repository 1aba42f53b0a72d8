package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.local.demo.Playlist;
import io.spinledger.testing.FakeAcrCloudServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Music the local index does not know goes to ACRCloud (a local fake that verifies the HMAC-SHA1 signature and
 * answers in the real JSON shape); its answer becomes a detection with source ACRCLOUD and a play.
 */
class AcrCloudFallbackTest {
    @TempDir
    static Path work;
    static FakeAcrCloudServer acr;
    static LocalPipeline pipeline;
    static SpinLedgerClient client;

    @BeforeAll
    static void start() {
        acr = new FakeAcrCloudServer("test-key", "test-secret").start();
        acr.answer(FakeAcrCloudServer.any(),
                FakeAcrCloudServer.matchJson("acr-0001", "Unknown To Us", "Some Artist", "GBAAA9900303", 92, 40_000,
                        240_000));
        pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.empty(), "127.0.0.1", 0,
                Map.of("ACRCLOUD_HOST", acr.baseUrl(), "ACRCLOUD_ACCESS_KEY", "test-key",
                        "ACRCLOUD_ACCESS_SECRET", "test-secret", "SPINLEDGER_PLAY_CLOSE_AFTER_MS", "3000",
                        "MUSICBRAINZ_ENABLED", "false"), 1, false));
        client = new SpinLedgerClient(pipeline.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (acr != null) {
            acr.close();
        }
    }

    @Test
    void unknownMusicIsIdentifiedByAcrCloudAndBecomesAPlay() throws Exception {
        assertThat(client.registerTrack(Playlist.wesnothMusic("battle.ogg"),
                Map.of("title", "Battle", "artists", java.util.List.of("Wesnoth"))).status()).isEqualTo(201);
        assertThat(client.createStation(Map.of("stationId", "acr-fm", "name", "ACR FM", "country", "GB"))
                .status()).isEqualTo(201);
        // 9 s of music (one chunk) the catalog does not hold
        Playlist.Rendered clip = new Playlist().music(Playlist.wesnothMusic("wanderer.ogg"), 40_000, 9_000)
                .render(work);
        Instant startedAt = Instant.parse("2026-11-19T10:00:00Z");
        assertThat(client.uploadAircheck("acr-fm", Files.readAllBytes(clip.wav()), startedAt.toString()).status())
                .isEqualTo(202);

        JsonNode plays = Plays.awaitClosed(pipeline, client, "acr-fm", startedAt, 1, Duration.ofSeconds(90));
        assertThat(plays).hasSize(1);
        JsonNode p = plays.get(0);
        assertThat(p.get("source").asText()).isEqualTo("ACRCLOUD");
        assertThat(p.get("trackId").asText()).isEqualTo("acr_acr-0001");
        assertThat(p.get("title").asText()).isEqualTo("Unknown To Us");
        assertThat(p.get("isrc").asText()).isEqualTo("GBAAA9900303");
        assertThat(p.get("royaltyEligible").asBoolean()).as("9 s is under the 30 s minimum").isFalse();
        assertThat(acr.requestCount()).isEqualTo(1);
        assertThat(acr.received().get(0).statusCode()).as("signature verified, match answered").isZero();
        assertThat(acr.received().get(0).fields()).containsEntry("access_key", "test-key")
                .containsEntry("data_type", "audio").containsEntry("signature_version", "1");
    }
}
