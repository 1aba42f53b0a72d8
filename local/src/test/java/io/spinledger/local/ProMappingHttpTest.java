package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.local.demo.Playlist;
import io.spinledger.testing.FakeMusicBrainzServer;
import io.spinledger.testing.FakeSpotifyServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /pro-mappings} and {@code GET /soundtracks/{imdbId}} over real HTTP on the embedded pipeline, with
 * fake MusicBrainz and Spotify servers speaking their real formats: declared writers by IPI (one with a wrong
 * check digit, refused into suspense) and the routing of each share with its admin fee; MusicBrainz work society
 * ids; territory inference; a film's soundtrack from MusicBrainz (cached), from Spotify, and a refused id.
 */
class ProMappingHttpTest {
    static final String GH_ISRC = "GHA012600001";
    static final String LION_KING = "tt0110357";
    static FakeMusicBrainzServer mb;
    static FakeSpotifyServer spotify;
    static LocalPipeline pipeline;
    static SpinLedgerClient client;
    static String trackId;

    @BeforeAll
    static void start() {
        mb = new FakeMusicBrainzServer(Duration.ofMillis(5)).start();
        String heyBoy = FakeMusicBrainzServer.uuidFor("rec:hey-boy");
        String work = FakeMusicBrainzServer.uuidFor("work:hey-boy");
        String circle = FakeMusicBrainzServer.uuidFor("rec:circle");
        String local = FakeMusicBrainzServer.uuidFor("rec:local");
        mb.addRecording(heyBoy, "Hey Boy Hey Girl", "The Chemical Brothers", 289_946L, work, "GBAAA9900303")
                .addWork(work, "Hey Boy Hey Girl", List.of("T-034.524.680-1"), Map.of("PRS tune code", "123456AB"),
                        FakeMusicBrainzServer.writer("Tom Rowlands", "composer"),
                        FakeMusicBrainzServer.writer("Ed Simons", "composer"))
                .addRecording(circle, "Circle of Life", "Carmen Twillie", 238_000L, null, "USWD19400001")
                .addRecording(local, "Defeat", "Wesnoth", 12_000L, null, GH_ISRC)
                .addRelease(FakeMusicBrainzServer.uuidFor("release:lion-king"), "The Lion King", "1994-05-31",
                        "https://www.imdb.com/title/" + LION_KING + "/", circle, local);
        spotify = new FakeSpotifyServer("cid", "secret").start();
        spotify.addAlbum("Cue Sheet Movie", "Studio Orchestra", "Opening Titles", "End Credits");
        pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.empty(), "127.0.0.1", 0, Map.of(
                "MUSICBRAINZ_BASE_URL", mb.baseUrl(), "MUSICBRAINZ_MIN_INTERVAL_MS", "10",
                "SPOTIFY_ACCOUNTS_URL", spotify.baseUrl(), "SPOTIFY_API_URL", spotify.baseUrl(),
                "SPOTIFY_CLIENT_ID", "cid", "SPOTIFY_CLIENT_SECRET", "secret"), 1, false));
        client = new SpinLedgerClient(pipeline.baseUrl());
        List<Map<String, Object>> writers = new ArrayList<>();
        writers.add(Map.of("name", "Kofi", "ipi", "00014107338", "society", "GHAMRO", "role", "composer",
                "sharePercent", 50));
        writers.add(Map.of("name", "Jane", "ipi", "00273647052", "society", "PRS", "role", "lyricist",
                "sharePercent", 30));
        writers.add(Map.of("name", "Sipho", "ipi", "00452133784", "society", "SAMRO", "role", "arranger",
                "sharePercent", 20)); // check digits 84, should be 83
        var reg = client.registerTrack(Playlist.wesnothMusic("defeat.ogg"), Map.of("title", "Defeat",
                "artists", List.of("Wesnoth"), "isrc", "GH-A01-26-00001", "writers", writers));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        trackId = reg.json().get("trackId").asText();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (mb != null) {
            mb.close();
        }
        if (spotify != null) {
            spotify.close();
        }
    }

    @Test
    void declaredWritersByIpiWithRoutingAndFeesAndABadCheckDigitHeldInSuspense() {
        var answer = client.get("/pro-mappings?isrc=gh-a01-26-00001&at=2026-08-03T07:00:00Z");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode m = answer.json();
        assertThat(m.get("catalogTrackId").asText()).isEqualTo(trackId);
        assertThat(m.get("refused").asBoolean()).isTrue();
        assertThat(m.get("problems").get(0).asText()).contains("Sipho", "check digits 84, expected 83");
        JsonNode shares = m.get("shares");
        assertThat(shares).hasSize(3);
        assertThat(shares.get(0).get("societyCode").asText()).isEqualTo("285");
        assertThat(shares.get(0).get("basis").asText()).isEqualTo("DECLARED");
        assertThat(shares.get(0).get("confidence").asDouble()).isEqualTo(1.0);
        assertThat(shares.get(1).get("societyCode").asText()).isEqualTo("052");
        assertThat(shares.get(2).get("societyCode").asText()).isEqualTo("000");
        assertThat(shares.get(2).get("basis").asText()).isEqualTo("REFUSED");

        JsonNode routing = m.get("routing");
        assertThat(routing.get("ruleVersion").asText()).isEqualTo("gh-2026.2");
        assertThat(routing.get("collectingSociety").asText()).isEqualTo("285");
        assertThat(routing.get("collectingSocietyName").asText()).isEqualTo("GHAMRO");
        JsonNode lines = routing.get("shares");
        assertThat(lines.get(0).get("basis").asText()).isEqualTo("LOCAL");
        assertThat(lines.get(0).get("adminFeePercent").decimalValue()).isEqualByComparingTo("10");
        assertThat(lines.get(1).get("basis").asText()).isEqualTo("AGREEMENT");
        assertThat(lines.get(1).get("adminFeePercent").decimalValue()).isEqualByComparingTo("15");
        assertThat(lines.get(2).get("basis").asText()).isEqualTo("SUSPENSE");
        assertThat(lines.get(2).get("adminFeePercent").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void musicBrainzWorkRelationsThenTerritory() {
        JsonNode mbMapping = client.get("/pro-mappings?isrc=GBAAA9900303").json();
        assertThat(mbMapping.at("/societyWorkIds/PRS tune code").asText()).isEqualTo("123456AB");
        assertThat(mbMapping.get("shares")).hasSize(2).allSatisfy(s -> {
            assertThat(s.get("societyName").asText()).isEqualTo("PRS");
            assertThat(s.get("basis").asText()).isEqualTo("MUSICBRAINZ");
            assertThat(s.get("confidence").asDouble()).isEqualTo(0.6);
        });
        assertThat(mbMapping.at("/shares/0/party").asText()).isEqualTo("Tom Rowlands");

        JsonNode territory = client.get("/pro-mappings?isrc=QZ-ABC-26-00001").json();
        assertThat(territory.at("/shares/0/societyName").asText()).isEqualTo("ASCAP");
        assertThat(territory.at("/shares/0/basis").asText()).isEqualTo("TERRITORY");
        assertThat(territory.at("/shares/0/confidence").asDouble()).isEqualTo(0.2);
        assertThat(territory.get("inferred").asBoolean()).isTrue();
        assertThat(client.get("/pro-mappings?isrc=GBAAA9900303&at=yesterday").status()).isEqualTo(400);
    }

    @Test
    void soundtracksFromMusicBrainzCachedThenSpotifyAndBadIdsRefused() {
        var lion = client.get("/soundtracks/" + LION_KING);
        assertThat(lion.status()).as(lion.body()).isEqualTo(200);
        JsonNode s = lion.json();
        assertThat(s.get("source").asText()).isEqualTo("MUSICBRAINZ");
        assertThat(s.get("title").asText()).isEqualTo("The Lion King");
        assertThat(s.at("/tracks/0/isrc").asText()).isEqualTo("USWD19400001");
        assertThat(s.at("/tracks/1/isrc").asText()).isEqualTo(GH_ISRC);
        assertThat(s.at("/tracks/1/catalogTrackId").asText()).as("the registered recording").isEqualTo(trackId);

        int calls = mb.requestCount();
        assertThat(client.get("/soundtracks/" + LION_KING).json().get("notes").toString()).contains("served from cache");
        assertThat(mb.requestCount()).as("second request answered from the CACHE table").isEqualTo(calls);

        JsonNode byName = client.get("/soundtracks/tt7654321?title=Cue%20Sheet%20Movie").json();
        assertThat(byName.get("source").asText()).isEqualTo("SPOTIFY");
        assertThat(byName.get("tracks")).hasSize(2);

        assertThat(client.get("/soundtracks/tt123").status()).isEqualTo(400);
        assertThat(client.get("/soundtracks/nm0000158").status()).isEqualTo(400);
        var unknown = client.get("/soundtracks/tt1111111");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("?title=");
    }
}
