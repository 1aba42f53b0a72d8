package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.QueueName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.local.demo.IcecastServer;
import io.spinledger.local.demo.IcecastSource;
import io.spinledger.local.demo.Playlist;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.plays.PlayStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline, live: a real Icecast server on 127.0.0.1 streams three real recordings with speech
 * between them; those three and ten distractors are registered over HTTP; the station is registered and
 * captured by the scheduler. The pipeline must produce exactly one play per aired track, with start and end
 * within a few seconds of the truth, none for the speech, and balanced postings; delivering a royalty
 * message again adds nothing.
 */
class LivePipelineTest {
    private static final Logger log = LoggerFactory.getLogger(LivePipelineTest.class);
    private static final List<String> AIRED = List.of("battle.ogg", "frantic.ogg", "knolls.ogg");
    private static final List<String> DISTRACTORS = List.of("casualties_of_war.ogg", "heroes_rite.ogg",
            "journeys_end.ogg", "loyalists.ogg", "northerners.ogg", "revelation.ogg", "the_city_falls.ogg",
            "elvish-theme.ogg", "wanderer.ogg", "underground.ogg");
    private static final long TOLERANCE_MS = 4_000;

    @TempDir
    static Path work;
    static LocalPipeline pipeline;
    static SpinLedgerClient client;
    static IcecastServer icecast;

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.empty(), "127.0.0.1", 0,
                Map.of("SPINLEDGER_SEGMENT_MS", "600000", "SPINLEDGER_PLAY_CLOSE_AFTER_MS", "20000",
                        "MUSICBRAINZ_ENABLED", "false"), 2, true));
        client = new SpinLedgerClient(pipeline.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (icecast != null) {
            icecast.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aLiveStationBecomesPlaysAndBalancedPostings() throws Exception {
        Map<String, String> trackIds = new HashMap<>();
        int n = 0;
        for (String file : concat(AIRED, DISTRACTORS)) {
            var answer = client.registerTrack(Playlist.wesnothMusic(file), Map.of("title", file,
                    "artists", List.of("Wesnoth"), "isrc", String.format("GH-SLD-26-%05d", ++n)));
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            trackIds.put(file, answer.json().get("trackId").asText());
        }
        assertThat(client.get("/tracks").json().get("tracks")).hasSize(AIRED.size() + DISTRACTORS.size());

        Playlist.Rendered show = new Playlist()
                .speech("Good morning, you are listening to SpinLedger test radio, the home of fair royalties.")
                .music(Playlist.wesnothMusic(AIRED.get(0)), 20_000, 40_000)
                .speech("That was the first song. Now the weather: sunny in Accra, thirty one degrees.")
                .music(Playlist.wesnothMusic(AIRED.get(1)), 15_000, 40_000)
                .speech("And here comes another one, stay with us.")
                .music(Playlist.wesnothMusic(AIRED.get(2)), 30_000, 40_000)
                .speech("That is all for this hour. Goodbye.")
                .render(work);
        icecast = IcecastServer.start();
        IcecastSource source = IcecastSource.start(icecast, "/live.mp3", show, IcecastSource.Codec.MP3);
        icecast.awaitMount("/live.mp3", 10_000);

        var created = client.createStation(Map.of("stationId", "test-fm", "name", "Test FM",
                "streamUrl", source.listenUrl(), "country", "GH", "stationClass", "A"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        int deadPort;
        try (var socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        var dead = client.createStation(Map.of("stationId", "dead-fm", "name", "Dead FM",
                "streamUrl", "http://127.0.0.1:" + deadPort + "/nothing.mp3", "country", "GH"));
        assertThat(dead.status()).as(dead.body()).isEqualTo(201);
        pipeline.fire("captureScheduler");

        assertThat(source.awaitEnd(Duration.ofMillis(show.durationMs() + 30_000))).isTrue();
        List<Playlist.Segment> music = show.segments().stream()
                .filter(s -> s.kind() == Playlist.Kind.MUSIC).toList();

        // wait until every aired song is a posted play
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        JsonNode plays = null;
        while (Instant.now().isBefore(deadline)) {
            plays = client.get("/plays?stationId=test-fm").json().get("plays");
            long posted = 0;
            for (JsonNode p : plays) {
                posted += p.get("status").asText().equals("POSTED") ? 1 : 0;
            }
            if (posted >= AIRED.size()) {
                break;
            }
            Thread.sleep(2_000);
        }
        log.info("plays: {}", plays);
        JsonNode liveHealth = client.get("/stations/test-fm").json().get("health");
        JsonNode deadHealth = client.get("/stations/dead-fm").json().get("health");
        log.info("health: live {} dead {}", liveHealth, deadHealth);
        assertThat(liveHealth.get("lastAudioAt").isNull()).isFalse();
        assertThat(liveHealth.get("chunksCaptured").asLong()).isGreaterThan(10);
        assertThat(deadHealth.get("status").asText()).isIn("RECONNECTING", "DOWN");
        assertThat(deadHealth.get("consecutiveErrors").asInt()).isGreaterThan(1);
        assertThat(deadHealth.get("lastError").asText()).containsIgnoringCase("refused");
        assertThat(client.get("/plays?stationId=dead-fm").json().get("plays")).isEmpty();
        assertThat(plays).as("exactly one play per aired song, none for speech").hasSize(AIRED.size());
        for (int i = 0; i < AIRED.size(); i++) {
            JsonNode p = plays.get(i);
            Playlist.Segment truth = music.get(i);
            Instant start = source.instantOf(truth.startMs());
            Instant end = source.instantOf(truth.endMs());
            assertThat(p.get("trackId").asText()).isEqualTo(trackIds.get(AIRED.get(i)));
            assertThat(p.get("status").asText()).isEqualTo("POSTED");
            assertThat(p.get("royaltyEligible").asBoolean()).isTrue();
            long startErr = Duration.between(start, Instant.parse(p.get("startedAt").asText())).toMillis();
            long endErr = Duration.between(end, Instant.parse(p.get("endedAt").asText())).toMillis();
            log.info("{}: start error {} ms, end error {} ms", AIRED.get(i), startErr, endErr);
            assertThat(Math.abs(startErr)).as("start error of " + AIRED.get(i)).isLessThanOrEqualTo(TOLERANCE_MS);
            assertThat(Math.abs(endErr)).as("end error of " + AIRED.get(i)).isLessThanOrEqualTo(TOLERANCE_MS);
        }

        JsonNode txns = client.get("/ledger/transactions").json().get("transactions");
        assertThat(txns).hasSize(AIRED.size());
        long stationTotal = 0;
        for (JsonNode t : txns) {
            long sum = 0;
            for (JsonNode e : t.get("entries")) {
                sum += e.get("amountMinor").asLong();
                if (e.get("account").asText().equals("station:test-fm")) {
                    stationTotal += e.get("amountMinor").asLong();
                }
            }
            assertThat(sum).as("transaction balances").isZero();
        }
        assertThat(stationTotal).isPositive();
        long balanceSum = 0;
        for (JsonNode b : client.get("/ledger/balances").json().get("balances")) {
            balanceSum += b.get("amountMinor").asLong();
        }
        assertThat(balanceSum).isZero();

        // deliver every royalty message of the first play again: nothing changes
        String before = client.get("/plays?stationId=test-fm").body();
        String txnsBefore = client.get("/ledger/transactions").body();
        PlayStore store = pipeline.bean(PlayStore.class);
        List<DetectionMessage> again = new ArrayList<>(store.detections("test-fm",
                Instant.parse(plays.get(0).get("startedAt").asText()).minusSeconds(30),
                Instant.parse(plays.get(0).get("endedAt").asText())));
        assertThat(again).isNotEmpty();
        MessagePublisher publisher = pipeline.bean(MessagePublisher.class);
        again.forEach(m -> publisher.send(QueueName.MAPPED, m));
        Thread.sleep(8_000);
        pipeline.fire("playPosting");
        assertThat(client.get("/plays?stationId=test-fm").body()).isEqualTo(before);
        assertThat(client.get("/ledger/transactions").body()).isEqualTo(txnsBefore);

        // CSV has a header and one row per play
        String csv = client.get("/plays?stationId=test-fm", "text/csv").body();
        assertThat(csv.split("\r\n")).hasSize(1 + AIRED.size());

        // one capture worker held both stations; matched chunks were kept as compressed evidence, not WAV
        assertThat(pipeline.captureWorkers()).hasSize(1);
        assertThat(pipeline.captureWorkers().get(0).held()).containsExactly("dead-fm", "test-fm");
        var objects = pipeline.bean(io.spinledger.ports.ObjectStore.class);
        JsonNode chunks = client.get("/plays/" + plays.get(0).get("playId").asText() + "/evidence").json()
                .get("chunks");
        assertThat(chunks).isNotEmpty();
        int pieces = 0;
        for (JsonNode c : chunks) {
            if (c.get("audioStored").asBoolean() || !c.has("evidence")) {
                continue; // a WAV the fallback needed, or evidence in a segment not closed yet
            }
            String range = c.get("evidence").get("range").asText();
            String[] ab = range.substring("bytes=".length()).split("-");
            byte[] segment = objects.get(c.get("evidence").get("objectKey").asText()).orElseThrow();
            byte[] piece = java.util.Arrays.copyOfRange(segment, Integer.parseInt(ab[0]), Integer.parseInt(ab[1]) + 1);
            long ms = new io.spinledger.engine.audio.AudioDecoder(11_025, 60_000).decode(piece).durationMs();
            assertThat(ms).as("evidence piece of " + c.get("chunkId").asText()).isBetween(7_500L, 8_500L);
            pieces++;
        }
        assertThat(pieces).as("chunks of the first play with playable evidence: " + chunks).isPositive();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
