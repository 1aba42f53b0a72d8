package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.QueueName;
import io.spinledger.local.demo.Playlist;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The pipeline end to end on the embedded emulators, through the HTTP API: air-checks become plays and
 * postings, bad input is refused with a reason and changes nothing, and a message that cannot be parsed
 * ends in the dead-letter queue.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {
    @TempDir
    static Path work;
    static LocalPipeline pipeline;
    static SpinLedgerClient client;
    /** Not the default: every object (references, index, air-checks, chunks) must land in the configured bucket. */
    static final String MEDIA_BUCKET = "spinledger-media-pipeline-test";
    static String battle;
    static String knolls;

    @BeforeAll
    static void start() {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.empty(), "127.0.0.1", 0,
                Map.of("SPINLEDGER_PLAY_CLOSE_AFTER_MS", "5000", "MUSICBRAINZ_ENABLED", "false",
                        "SPINLEDGER_MEDIA_BUCKET", MEDIA_BUCKET), 1, false));
        client = new SpinLedgerClient(pipeline.baseUrl());
        battle = register("battle.ogg", "GB-AAA-26-00001");
        knolls = register("knolls.ogg", "US-QZ1-26-00002");
        register("northerners.ogg", null);
        var st = client.createStation(Map.of("stationId", "air-fm", "name", "Air FM", "country", "GH",
                "stationClass", "A", "timezone", "Africa/Accra"));
        assertThat(st.status()).as(st.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static String register(String file, String isrc) {
        var meta = new java.util.HashMap<String, Object>(Map.of("title", file, "artists", List.of("Wesnoth")));
        if (isrc != null) {
            meta.put("isrc", isrc);
        }
        var a = client.registerTrack(Playlist.wesnothMusic(file), meta);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json().get("trackId").asText();
    }

    @Test
    @Order(1)
    void anAircheckBecomesPlaysWithExactTimesAndBalancedPostings() throws Exception {
        Playlist.Rendered show = new Playlist().speech("News at nine. The markets are calm today.")
                .music(Playlist.wesnothMusic("battle.ogg"), 30_000, 45_000)
                .speech("That was a great song, and now a short one.")
                .music(Playlist.wesnothMusic("knolls.ogg"), 10_000, 20_000)
                .speech("Goodbye from Air FM.").render(work);
        Instant startedAt = Instant.parse("2026-11-20T07:00:00Z");
        var up = client.uploadAircheck("air-fm", Files.readAllBytes(show.wav()), startedAt.toString());
        assertThat(up.status()).as(up.body()).isEqualTo(202);

        JsonNode plays = Plays.awaitClosed(pipeline, client, "air-fm", startedAt, 2, Duration.ofMinutes(2));
        assertThat(plays).hasSize(2);
        List<Playlist.Segment> music = show.segments().stream().filter(s -> s.kind() == Playlist.Kind.MUSIC).toList();
        String[] expectedTracks = {battle, knolls};
        for (int i = 0; i < 2; i++) {
            JsonNode p = plays.get(i);
            assertThat(p.get("trackId").asText()).isEqualTo(expectedTracks[i]);
            long startErr = Duration.between(startedAt.plusMillis(music.get(i).startMs()),
                    Instant.parse(p.get("startedAt").asText())).toMillis();
            long endErr = Duration.between(startedAt.plusMillis(music.get(i).endMs()),
                    Instant.parse(p.get("endedAt").asText())).toMillis();
            assertThat(Math.abs(startErr)).as("start error").isLessThanOrEqualTo(2_000);
            assertThat(Math.abs(endErr)).as("end error").isLessThanOrEqualTo(2_000);
        }
        // 45 s is paid, 20 s is not (minimum 30 s)
        assertThat(plays.get(0).get("royaltyEligible").asBoolean()).isTrue();
        assertThat(plays.get(1).get("royaltyEligible").asBoolean()).isFalse();
        assertThat(plays.get(0).get("isrc").asText()).isEqualTo("GBAAA2600001");

        JsonNode txns = client.get("/ledger/transactions").json().get("transactions");
        assertThat(txns).hasSize(1);
        JsonNode t = txns.get(0);
        assertThat(t.get("playId").asText()).isEqualTo(plays.get(0).get("playId").asText());
        long sum = 0;
        long station = 0;
        for (JsonNode e : t.get("entries")) {
            sum += e.get("amountMinor").asLong();
            if (e.get("account").asText().equals("station:air-fm")) {
                station = e.get("amountMinor").asLong();
            }
        }
        assertThat(sum).isZero();
        // class A: 0.015 GHS per second, x1.5 in prime time (07:00 in Accra), to the pesewa
        long expected = java.math.BigDecimal.valueOf(plays.get(0).get("durationMs").asLong(), 3)
                .multiply(new java.math.BigDecimal("0.015")).multiply(new java.math.BigDecimal("1.5"))
                .setScale(2, java.math.RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        assertThat(t.get("ruleVersion").asText()).isEqualTo("gh-2026.2");
        assertThat(station).isEqualTo(expected);

        // the same air-check again: same chunks, same detections, nothing new
        var again = client.uploadAircheck("air-fm", Files.readAllBytes(show.wav()), startedAt.toString());
        assertThat(again.status()).isEqualTo(202);
        Thread.sleep(15_000);
        pipeline.fire("playPosting");
        assertThat(client.get("/plays?stationId=air-fm&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
                .json().get("plays")).hasSize(2);
        assertThat(client.get("/ledger/transactions").json().get("transactions")).hasSize(1);

        // the local health answer carries every queue's depth (what bench capacity reads), nothing dead-lettered
        JsonNode queues = client.get("/health").json().get("queues");
        for (io.spinledger.config.QueueName q : io.spinledger.config.QueueName.values()) {
            JsonNode depth = queues.get(q.queueName());
            assertThat(depth).as(q.queueName()).isNotNull();
            assertThat(depth.get("waiting").asLong() + depth.get("inFlight").asLong() + depth.get("delayed").asLong())
                    .as(q.queueName() + " depth").isGreaterThanOrEqualTo(0);
            assertThat(depth.get("dead").asLong()).as(q.queueName() + " dead letters").isZero();
        }
    }

    @Test
    @Order(2)
    void identifyFindsARegisteredRecording() throws Exception {
        Playlist.Rendered clip = new Playlist().music(Playlist.wesnothMusic("knolls.ogg"), 60_000, 10_000)
                .render(work.resolve("clip"));
        JsonNode r = client.identify(Files.readAllBytes(clip.wav())).json();
        assertThat(r.get("source").asText()).isEqualTo("LOCAL");
        assertThat(r.at("/match/trackId").asText()).isEqualTo(knolls);
        assertThat(r.at("/match/trackOffsetMs").asLong()).isBetween(59_500L, 60_500L);
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithAReasonAndChangesNothing() {
        int tracksBefore = client.get("/tracks").json().get("tracks").size();
        Map<String, Object> meta = Map.of("title", "x", "artists", List.of("y"));
        assertRefused(client.registerTrack("this is not audio".getBytes(StandardCharsets.UTF_8), "x.mp3", meta),
                400, "not decodable");
        assertRefused(client.registerTrack(new byte[0], "x.mp3", meta), 400, "empty");
        assertRefused(client.registerTrack(Playlist.wesnothMusic("defeat.ogg"),
                Map.of("title", "x", "artists", List.of("y"), "isrc", "NOT-AN-ISRC")), 400, "ISRC");
        assertRefused(client.registerTrack(Playlist.wesnothMusic("defeat.ogg"), Map.of("artists", List.of("y"))),
                400, "title");
        assertRefused(client.post("/tracks", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400,
                "multipart");
        assertRefused(client.post("/stations", "application/json", "{not json".getBytes(StandardCharsets.UTF_8)),
                400, "not a valid");
        assertRefused(client.createStation(Map.of("name", "Bad", "country", "GH", "stationClass", "Z")), 400,
                "stationClass");
        assertRefused(client.createStation(Map.of("name", "Bad", "country", "Ghana")), 400, "country");
        assertRefused(client.createStation(Map.of("name", "Air FM", "stationId", "air-fm", "country", "GH")), 409,
                "exists");
        assertRefused(client.get("/plays?stationId=nowhere"), 404, "nowhere");
        assertRefused(client.get("/plays?from=yesterday"), 400, "ISO-8601");
        assertRefused(client.uploadAircheck("nowhere", new byte[] {1, 2, 3}, "2026-11-20T07:00:00Z"), 404, "nowhere");
        assertRefused(client.uploadAircheck("air-fm", "garbage".getBytes(StandardCharsets.UTF_8),
                "2026-11-20T07:00:00Z"), 400, "not decodable");
        assertRefused(client.uploadAircheck("air-fm", new byte[] {1}, "last tuesday"), 400, "startedAt");
        assertRefused(client.get("/nothing-here"), 404, "no such endpoint");
        assertThat(client.get("/tracks").json().get("tracks")).hasSize(tracksBefore);
        assertThat(client.get("/stations").json().get("stations")).hasSize(1);
    }

    @Test
    @Order(4)
    void anUnparseableMessageEndsInTheDeadLetterQueue() throws Exception {
        SqsClient sqs = pipeline.bean(SqsClient.class);
        String url = sqs.getQueueUrl(r -> r.queueName(QueueName.CHUNK.queueName())).queueUrl();
        String dlq = sqs.getQueueUrl(r -> r.queueName(QueueName.CHUNK.deadLetterQueueName())).queueUrl();
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("{this is not a chunk"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        List<software.amazon.awssdk.services.sqs.model.Message> dead = List.of();
        while (dead.isEmpty() && Instant.now().isBefore(deadline)) {
            dead = sqs.receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(2)).messages();
        }
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo("{this is not a chunk");
    }

    @Test
    @Order(5)
    void everyPostingIsTracedToItsAudioAndCanBeDisputed() {
        JsonNode plays = client.get("/plays?stationId=air-fm&from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z")
                .json().get("plays");
        String paid = plays.get(0).get("playId").asText();
        JsonNode evidence = client.get("/plays/" + paid + "/evidence").json();
        assertThat(evidence.at("/play/playId").asText()).isEqualTo(paid);
        assertThat(evidence.get("detections").size()).isGreaterThanOrEqualTo(4);
        assertThat(evidence.get("chunks").size()).isEqualTo(evidence.get("detections").size());
        for (JsonNode c : evidence.get("chunks")) {
            assertThat(c.get("audioStored").asBoolean()).as(c.toString()).isTrue();
            assertThat(c.get("bucket").asText()).isEqualTo(MEDIA_BUCKET);
        }
        assertThat(evidence.get("transactions")).hasSize(1);
        assertThat(evidence.at("/transactions/0/active").asBoolean()).isTrue();

        Instant now = Instant.now();
        String period = "&from=" + now.minus(Duration.ofDays(1)) + "&to=" + now.plus(Duration.ofHours(1));
        JsonNode statement = client.get("/statements?party=station:air-fm" + period).json();
        assertThat(statement.get("lines")).hasSize(1);
        String csv = client.get("/statements?party=station:air-fm" + period, "text/csv").body();
        assertThat(csv.lines().count()).isGreaterThanOrEqualTo(2);

        var opened = client.post("/plays/" + paid + "/disputes", "application/json",
                "{\"reason\":\"the station says the song was cut short\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(opened.status()).as(opened.body()).isEqualTo(201);
        assertRefused(client.post("/plays/" + paid + "/disputes", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8)), 400, "reason");
        assertRefused(client.get("/plays/p-0000000000000-000000000000/evidence"), 404, "play");

        String log = client.get("/exports/music-use-log?stationId=air-fm&from=2026-11-20T00:00:00Z"
                + "&to=2026-11-21T00:00:00Z", "text/csv").body();
        assertThat(log.lines().count()).as(log).isGreaterThanOrEqualTo(2);
    }

    private static void assertRefused(SpinLedgerClient.Answer a, int status, String reason) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().get("error").asText()).containsIgnoringCase(reason);
    }
}
