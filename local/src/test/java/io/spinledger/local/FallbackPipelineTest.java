package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.json.Json;
import io.spinledger.local.demo.Playlist;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.testing.FakeAcrCloudServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACRCloud fallback end to end on the embedded pipeline, against a fake ACRCloud that really recognises one
 * song (it fingerprints the sample and answers with the true play offset): an air-check with talk and a song that
 * is not in the catalog costs calls only for the music chunks, becomes a play of ACRCloud's track with its ISRC,
 * and the song is learned, so the next airing is matched locally with no ACRCloud call at all.
 */
class FallbackPipelineTest {
    static final String ACRID = "6049f11da7095e8bb8266871d4a70873";
    @TempDir
    static Path work;
    static FakeAcrCloudServer acr;
    static LocalPipeline pipeline;
    static SpinLedgerClient client;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        acr = new FakeAcrCloudServer("key", "secret").start();
        Pcm song = new AudioDecoder(AudioDecoder.DEFAULT_SAMPLE_RATE_HZ, AudioDecoder.DEFAULT_MAX_DURATION_MS)
                .decode(Playlist.wesnothMusic("wanderer.ogg"));
        FingerprintConfig config = FingerprintConfig.defaults();
        FingerprintEngine recogniser = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        recogniser.register("wanderer", song);
        acr.answerWith(sample -> {
            List<Match> found = recogniser.identify(Wav.read(sample));
            if (found.isEmpty()) {
                return null;
            }
            // the real answer's shape, with where the song was heard in the sample and in the song
            Match m = found.get(0);
            Map<String, Object> root = Json.read(FakeAcrCloudServer.matchJson(ACRID, "Wanderer", "Wesnoth Orchestra",
                    "GBAYE2600123", 97, m.trackOffsetMs() + m.matchEndMs(), song.durationMs()), Map.class);
            Map<String, Object> music = ((List<Map<String, Object>>) ((Map<String, Object>) root.get("metadata"))
                    .get("music")).get(0);
            music.put("sample_begin_time_offset_ms", m.matchStartMs());
            music.put("sample_end_time_offset_ms", m.matchEndMs());
            music.put("db_begin_time_offset_ms", m.trackOffsetMs() + m.matchStartMs());
            music.put("db_end_time_offset_ms", m.trackOffsetMs() + m.matchEndMs());
            return Json.write(root);
        });
        pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.empty(), "127.0.0.1", 0,
                Map.of("SPINLEDGER_PLAY_CLOSE_AFTER_MS", "5000", "MUSICBRAINZ_ENABLED", "false",
                        "ACRCLOUD_HOST", acr.baseUrl(), "ACRCLOUD_ACCESS_KEY", "key",
                        "ACRCLOUD_ACCESS_SECRET", "secret"), 1, false));
        client = new SpinLedgerClient(pipeline.baseUrl());
        var a = client.registerTrack(Playlist.wesnothMusic("battle.ogg"), Map.of("title", "Battle",
                "artists", List.of("Wesnoth")));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        var st = client.createStation(Map.of("stationId", "joy-fm", "name", "Joy FM", "country", "GH",
                "stationClass", "B", "timezone", "Africa/Accra"));
        assertThat(st.status()).as(st.body()).isEqualTo(201);
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
    void anUnknownSongIsIdentifiedOnceLearnedAndItsNextAiringCostsNothing() throws Exception {
        Playlist.Rendered show = new Playlist()
                .speech("Good evening, you are listening to Joy FM. Here is something new for you tonight.")
                .music(Playlist.wesnothMusic("wanderer.ogg"), 40_000, 40_000)
                .speech("That was lovely. The news follows after the break, stay with us. Before that, a word about "
                        + "the weather: sunshine in the north, rain in the south, and a warm night in the capital. "
                        + "Call us with your requests, the lines are open until ten tonight.")
                .render(work);
        byte[] wav = Files.readAllBytes(show.wav());
        Instant first = Instant.parse("2026-11-20T18:00:00Z");
        assertThat(client.uploadAircheck("joy-fm", wav, first.toString()).status()).isEqualTo(202);
        JsonNode plays = Plays.awaitClosed(pipeline, client, "joy-fm", first, 1, Duration.ofMinutes(3));
        assertThat(plays).hasSize(1);
        JsonNode p = plays.get(0);
        assertThat(p.get("trackId").asText()).isEqualTo("acr_" + ACRID);
        assertThat(p.get("source").asText()).isEqualTo("ACRCLOUD");
        assertThat(p.get("isrc").asText()).isEqualTo("GBAYE2600123");
        int callsFirst = acr.requestCount();
        // about 40 s of music in 10 s chunks every 8 s; talk chunks are gated
        assertThat(callsFirst).isBetween(3, 7);
        long musicStart = show.segments().get(1).startMs();
        assertThat(Math.abs(Duration.between(first.plusMillis(musicStart),
                Instant.parse(p.get("startedAt").asText())).toMillis())).isLessThanOrEqualTo(3_000);

        Instant second = Instant.parse("2026-11-21T09:00:00Z");
        assertThat(client.uploadAircheck("joy-fm", wav, second.toString()).status()).isEqualTo(202);
        JsonNode again = Plays.awaitClosed(pipeline, client, "joy-fm", second, 1, Duration.ofMinutes(3));
        assertThat(again).hasSize(1);
        assertThat(again.get(0).get("trackId").asText()).isEqualTo("acr_" + ACRID);
        assertThat(again.get(0).get("source").asText()).isEqualTo("LOCAL");
        assertThat(again.get(0).get("isrc").asText()).isEqualTo("GBAYE2600123");
        assertThat(acr.requestCount()).as("no ACRCloud call for the second airing").isEqualTo(callsFirst);

        JsonNode stats = client.get("/stats").json();
        System.out.println("stats after two airings: " + stats);
        assertThat(stats.at("/acrcloud/callsSavedByLearning").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.at("/acrcloud/callsUsedToday").asLong()).isEqualTo(callsFirst);
        assertThat(stats.at("/detectionsBySource/ACRCLOUD").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.at("/fallback/gated/SPEECH").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void societiesIsrcLookupsAndBulkJobsAnswerOverHttp() {
        JsonNode pros = client.get("/pros").json();
        assertThat(pros.get("countryDefaults").size()).isGreaterThanOrEqualTo(35);
        assertThat(pros.at("/countryDefaults/GH").asText()).isEqualTo("285");
        var bad = client.get("/isrc/not-an-isrc");
        assertThat(bad.status()).isEqualTo(400);
        var ok = client.get("/isrc/gb-aye-26-00123");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("isrc").asText()).isEqualTo("GBAYE2600123");
        var mapping = client.get("/pro-mappings?isrc=QZ-ABC-26-00001");
        assertThat(mapping.status()).as(mapping.body()).isEqualTo(200);
        assertThat(mapping.json().at("/shares/0/societyName").asText()).isEqualTo("ASCAP");
        assertThat(mapping.json().get("inferred").asBoolean()).isTrue();

        List<String> tooMany = java.util.stream.IntStream.range(0, 51)
                .mapToObj(i -> String.format("GBAYE26%05d", i)).toList();
        assertThat(client.post("/isrc/batch", "application/json",
                Json.write(Map.of("isrcs", tooMany)).getBytes(java.nio.charset.StandardCharsets.UTF_8)).status())
                .isEqualTo(400);
        var job = client.post("/isrc/batch", "application/json", Json.write(Map.of("isrcs",
                List.of("GBAYE2600123", "gb-aye-26-00123", "nonsense"))).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        JsonNode progress = client.get("/jobs/" + job.json().get("jobId").asText()).json();
        assertThat(progress.get("total").asInt()).as("duplicates once, the invalid one counted").isEqualTo(2);
        assertThat(progress.get("failed").asInt()).isEqualTo(1);
        assertThat(client.get("/jobs/job-unknown").status()).isEqualTo(404);
    }
}
