package io.spinledger.external.musicbrainz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Isrc;
import io.spinledger.domain.id.MalformedIsrcException;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.testing.FakeMusicBrainzServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MusicBrainz client against the fake WS/2 server; its fixture (the User-Agent, the ISRC and
 * {@link #withHeyBoy}) is shared with the enrichment tests.
 */
public class MusicBrainzClientTest {
    /** The User-Agent the tests send (MusicBrainz requires one). */
    public static final String UA = "SpinLedgerTest/0.1.0 ( test@spinledger.io )";
    /** The ISRC of the fixture recording. */
    public static final String ISRC = "GBAAA9900303";
    static final String RECORDING = FakeMusicBrainzServer.uuidFor("rec:hey-boy");
    static final String WORK = FakeMusicBrainzServer.uuidFor("work:hey-boy");
    private FakeMusicBrainzServer mb;

    @AfterEach
    void stop() {
        if (mb != null) {
            mb.stop();
        }
    }

    /** Adds the fixture recording ("Hey Boy Hey Girl", its work and three writer credits) to the fake. */
    public static FakeMusicBrainzServer withHeyBoy(FakeMusicBrainzServer fake) {
        return fake.addRecording(RECORDING, "Hey Boy Hey Girl", "The Chemical Brothers", 289_946L, WORK, ISRC)
                .addWork(WORK, "Hey Boy Hey Girl", List.of("T-034.524.680-1"),
                        FakeMusicBrainzServer.writer("Tom Rowlands", "composer"),
                        FakeMusicBrainzServer.writer("Ed Simons", "composer"),
                        FakeMusicBrainzServer.writer("Ed Simons", "lyricist"));
    }

    private MusicBrainzClient client(long minIntervalMs, String userAgent) {
        return new MusicBrainzClient(new Settings.MusicBrainz(mb.baseUrl(), userAgent, true, minIntervalMs, 5_000),
                new OkHttpClient(), 4, Duration.ofMillis(minIntervalMs));
    }

    @Test
    void lookupChainGivesRecordingWorkAndWritersAtOneRequestPerSecond() {
        mb = withHeyBoy(new FakeMusicBrainzServer()).start();

        Recording r = client(1_000, UA).lookupIsrc("gb-aaa-99-00303").orElseThrow();

        assertThat(r.isrc()).isEqualTo(ISRC);
        assertThat(r.title()).isEqualTo("Hey Boy Hey Girl");
        assertThat(r.artists()).containsExactly("The Chemical Brothers");
        assertThat(r.iswc()).isEqualTo("T-034.524.680-1");
        assertThat(r.workTitle()).isEqualTo("Hey Boy Hey Girl");
        assertThat(r.writers()).containsExactly(new Writer("Tom Rowlands", null, null, "composer", null),
                new Writer("Ed Simons", null, null, "composer/lyricist", null));
        assertThat(r.provenance()).containsEntry("iswc", "MUSICBRAINZ").containsEntry("writers", "MUSICBRAINZ")
                .containsEntry("title", "MUSICBRAINZ");
        List<FakeMusicBrainzServer.Seen> seen = mb.requests();
        assertThat(seen).extracting(FakeMusicBrainzServer.Seen::path).containsExactly(
                "/ws/2/isrc/" + ISRC, "/ws/2/recording/" + RECORDING, "/ws/2/work/" + WORK);
        assertThat(seen).extracting(FakeMusicBrainzServer.Seen::status).containsOnly(200);
        assertThat(seen).extracting(FakeMusicBrainzServer.Seen::userAgent).containsOnly(UA);
        assertThat(seen.get(1).query()).contains("inc=artist-credits+isrcs+work-rels+work-level-rels+artist-rels");
        for (int i = 1; i < seen.size(); i++) {
            long gapMs = TimeUnit.NANOSECONDS.toMillis(seen.get(i).arrivalNanos() - seen.get(i - 1).arrivalNanos());
            assertThat(gapMs).as("gap before request %d", i).isGreaterThanOrEqualTo(1_000);
        }
    }

    @Test
    void workAttributesBecomeSocietyWorkIdsAndTheMapperUsesThem() {
        mb = new FakeMusicBrainzServer(Duration.ofMillis(5)).start();
        mb.addRecording(RECORDING, "Hey Boy Hey Girl", "The Chemical Brothers", 289_946L, WORK, ISRC)
                .addWork(WORK, "Hey Boy Hey Girl", List.of("T-034.524.680-1"),
                        java.util.Map.of("PRS tune code", "123456AB"),
                        FakeMusicBrainzServer.writer("Tom Rowlands", "composer"),
                        FakeMusicBrainzServer.writer("Ed Simons", "composer"));

        Recording r = client(10, UA).lookupIsrc(ISRC).orElseThrow();

        assertThat(r.societyWorkIds()).containsExactly(java.util.Map.entry("PRS tune code", "123456AB"));
        assertThat(r.provenance()).containsEntry("societyWorkIds", "MUSICBRAINZ");
        var mapping = new io.spinledger.stage.rights.ProMapper(io.spinledger.stage.rights.SocietyRegistry.loadDefault()).map(r);
        assertThat(mapping.shares()).extracting(io.spinledger.domain.SocietyShare::societyName,
                io.spinledger.domain.SocietyShare::party, io.spinledger.domain.SocietyShare::basis).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PRS", "Tom Rowlands", "MUSICBRAINZ"),
                org.assertj.core.groups.Tuple.tuple("PRS", "Ed Simons", "MUSICBRAINZ"));
    }

    @Test
    void fakeRefusesRequestsFasterThanOnePerSecond() throws Exception {
        mb = withHeyBoy(new FakeMusicBrainzServer()).start();
        OkHttpClient raw = new OkHttpClient();
        Request req = new Request.Builder().url(mb.baseUrl() + "/ws/2/isrc/" + ISRC + "?fmt=json")
                .header("User-Agent", UA).build();

        try (Response first = raw.newCall(req).execute(); Response second = raw.newCall(req).execute()) {
            assertThat(first.code()).isEqualTo(200);
            assertThat(second.code()).isEqualTo(503);
        }
    }

    @Test
    void throttledRequestsAreRetriedWithBackoff() {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(100))).start().throttleNext(2);

        List<MusicBrainzClient.MbRecording> found = client(100, UA).isrcRecordings(Isrc.parse(ISRC));

        assertThat(found).extracting(MusicBrainzClient.MbRecording::id).containsExactly(RECORDING);
        assertThat(found.get(0).lengthMs()).isEqualTo(289_946L);
        assertThat(mb.requests()).extracting(FakeMusicBrainzServer.Seen::status).containsExactly(503, 503, 200);
        long backoffMs = TimeUnit.NANOSECONDS.toMillis(mb.requests().get(2).arrivalNanos()
                - mb.requests().get(1).arrivalNanos());
        assertThat(backoffMs).isGreaterThanOrEqualTo(200); // second backoff doubles the first (100 ms)
    }

    @Test
    void persistentThrottlingIsTransient() {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start().throttleNext(10);

        assertThatThrownBy(() -> client(50, UA).lookupIsrc(ISRC)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("503");
        assertThat(mb.requestCount()).isEqualTo(4);
    }

    @Test
    void unknownIsrcIsEmpty() {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start();

        assertThat(client(50, UA).lookupIsrc("USUM71703861")).isEmpty();
        assertThat(mb.requests()).extracting(FakeMusicBrainzServer.Seen::status).containsExactly(404);
    }

    @Test
    void malformedIsrcIsRejectedBeforeAnyRequest() {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start();

        assertThatThrownBy(() -> client(50, UA).lookupIsrc("GB-AAA-99")).isInstanceOf(MalformedIsrcException.class);
        assertThat(mb.requestCount()).isZero();
    }

    @Test
    void fakeAnswersTheRealErrorForALowerCaseIsrc() throws Exception {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start();
        Request req = new Request.Builder().url(mb.baseUrl() + "/ws/2/isrc/gbaaa9900303?fmt=json")
                .header("User-Agent", UA).build();

        try (Response response = new OkHttpClient().newCall(req).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.body().string()).isEqualTo(
                    "{\"error\":\"Invalid isrc.\",\"help\":\"For usage, please see: https://musicbrainz.org/development/mmd\"}");
        }
    }

    @Test
    void badUserAgentIsRefusedWith403() {
        mb = withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start();

        assertThatThrownBy(() -> client(50, "okhttp").lookupIsrc(ISRC)).isInstanceOf(ExternalServiceException.class)
                .hasMessageContaining("User-Agent")
                .satisfies(e -> assertThat(((ExternalServiceException) e).httpStatus()).isEqualTo(403));
    }

    @Test
    void recordingWithoutWorkStillGivesTheRecording() {
        mb = new FakeMusicBrainzServer(Duration.ofMillis(50))
                .addRecording(RECORDING, "Instrumental", "Someone", null, null, ISRC).start();

        Recording r = client(50, UA).lookupIsrc(ISRC).orElseThrow();

        assertThat(r.title()).isEqualTo("Instrumental");
        assertThat(r.iswc()).isNull();
        assertThat(r.writers()).isEmpty();
        assertThat(mb.requestCount()).isEqualTo(2);
    }

    @Test
    void timeoutIsTransient() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            MusicBrainzClient client = new MusicBrainzClient(new Settings.MusicBrainz(
                    "http://127.0.0.1:" + silent.getLocalPort(), UA, true, 0, 300));
            assertThatThrownBy(() -> client.lookupIsrc(ISRC)).isInstanceOf(TransientExternalException.class)
                    .hasMessageContaining("timeout");
        }
    }
}
