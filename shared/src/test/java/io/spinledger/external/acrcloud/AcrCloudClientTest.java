package io.spinledger.external.acrcloud;

import io.spinledger.engine.audio.Wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.Settings;
import io.spinledger.external.TransientExternalException;
import io.spinledger.testing.FakeAcrCloudServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AcrCloudClientTest {
    private static final String KEY = "testkey";
    private static final String SECRET = "testsecret";
    private final byte[] sample = Wav.mono16(new short[8_000], 8_000);
    private FakeAcrCloudServer acr;

    @BeforeEach
    void start() {
        acr = new FakeAcrCloudServer(KEY, SECRET).start();
    }

    @AfterEach
    void stop() {
        acr.stop();
    }

    private AcrCloudClient client(String key, String secret) {
        return new AcrCloudClient(new Settings.AcrCloud(acr.baseUrl(), key, secret, 600, 5_000));
    }

    @Test
    void signatureMatchesTheReferenceVector() {
        assertThat(AcrSignature.stringToSign("testkey", "audio", "1700000000"))
                .isEqualTo("POST\n/v1/identify\ntestkey\naudio\n1\n1700000000");
        assertThat(AcrSignature.sign("testkey", "testsecret", "audio", "1700000000"))
                .isEqualTo("d9SrXTXWNeH1N0Axic0hvCXJlms=");
        assertThat(AcrSignature.sign("testkey", "testsecret", "fingerprint", "1700000000"))
                .isEqualTo("Pklx/IaU3AoH8ZIgSwiHm5XBLYE=");
    }

    @Test
    void bareHostMeansHttpsAndFullUrlIsKept() {
        assertThat(AcrCloudClient.baseUrl("identify-eu-west-1.acrcloud.com"))
                .isEqualTo("https://identify-eu-west-1.acrcloud.com");
        assertThat(AcrCloudClient.baseUrl("http://127.0.0.1:1234/")).isEqualTo("http://127.0.0.1:1234");
    }

    @Test
    void matchIsParsedFromTheRealShape() {
        acr.answer(FakeAcrCloudServer.sampleEquals(sample),
                FakeAcrCloudServer.matchJson("6049f11da7095e8bb8266871d4a70873", "Song Title", "Artist",
                        "GBBKS1500214", 96, 9_040, 295_000));

        AcrResult result = client(KEY, SECRET).identify(sample);

        assertThat(result.outcome()).isEqualTo(AcrResult.Outcome.MATCH);
        assertThat(result.statusCode()).isZero();
        AcrResult.AcrMatch m = result.best().orElseThrow();
        assertThat(m.acrid()).isEqualTo("6049f11da7095e8bb8266871d4a70873");
        assertThat(m.title()).isEqualTo("Song Title");
        assertThat(m.artists()).containsExactly("Artist");
        assertThat(m.album()).isEqualTo("Song Title (Single)");
        assertThat(m.label()).isEqualTo("Fake Label");
        assertThat(m.isrc()).isEqualTo("GBBKS1500214");
        assertThat(m.score()).isEqualTo(96);
        assertThat(m.playOffsetMs()).isEqualTo(9_040L);
        assertThat(m.sampleBeginOffsetMs()).isZero();
        assertThat(m.sampleEndOffsetMs()).isEqualTo(9_280L);
        assertThat(m.durationMs()).isEqualTo(295_000L);
        FakeAcrCloudServer.Received seen = acr.received().get(0);
        assertThat(seen.fields()).containsEntry("data_type", "audio").containsEntry("signature_version", "1")
                .containsEntry("sample_bytes", Integer.toString(sample.length));
        assertThat(seen.sample()).isEqualTo(sample);
    }

    @Test
    void tolerantParsingOfBroadcastMonitoringShapes() {
        acr.enqueue("""
                {"status":{"msg":"Success","code":0,"version":"1.0"},
                 "metadata":{"played_duration":10,"music":[{"acrid":"a1","title":"T","artists":[{"name":"A"},{"name":"B"}],
                   "album":"Plain Album","score":"88","play_offset_ms":"120500","sample_begin_time_offset_ms":"0",
                   "sample_end_time_offset_ms":"9000","duration_ms":"200000",
                   "external_ids":{"isrc":["USUM71703861","USUM71703862"],"iswc":["T-917.819.808-8"]},
                   "external_metadata":{"spotify":[{"track":{"id":"x"}}]}}]}}""");
        acr.enqueue("""
                {"status":{"msg":"Success","code":0,"version":"1.0"},
                 "metadata":{"music":[{"acrid":"a2","title":"U","artists":[],"external_ids":{}}]}}""");
        AcrCloudClient client = client(KEY, SECRET);

        AcrResult.AcrMatch first = client.identify(sample).best().orElseThrow();
        AcrResult.AcrMatch second = client.identify(sample).best().orElseThrow();

        assertThat(first.isrc()).isEqualTo("USUM71703861");
        assertThat(first.iswc()).isEqualTo("T-917.819.808-8");
        assertThat(first.album()).isEqualTo("Plain Album");
        assertThat(first.artists()).containsExactly("A", "B");
        assertThat(first.score()).isEqualTo(88);
        assertThat(first.playOffsetMs()).isEqualTo(120_500L);
        assertThat(first.durationMs()).isEqualTo(200_000L);
        assertThat(second.isrc()).isNull();
        assertThat(second.playOffsetMs()).isNull();
    }

    @Test
    void noResult() {
        AcrResult result = client(KEY, SECRET).identify(sample);

        assertThat(result.outcome()).isEqualTo(AcrResult.Outcome.NO_RESULT);
        assertThat(result.statusCode()).isEqualTo(1001);
        assertThat(result.matches()).isEmpty();
    }

    @Test
    void unknownKeyDisablesTheClientAfterOneCall() {
        AcrCloudClient client = client("wrongkey", SECRET);

        AcrResult first = client.identify(sample);
        AcrResult second = client.identify(sample);

        assertThat(first.outcome()).isEqualTo(AcrResult.Outcome.DISABLED);
        assertThat(first.statusCode()).isEqualTo(3001);
        assertThat(second.outcome()).isEqualTo(AcrResult.Outcome.DISABLED);
        assertThat(client.active()).isFalse();
        assertThat(acr.requestCount()).isEqualTo(1);
    }

    @Test
    void wrongSecretIsAnInvalidSignature() {
        AcrCloudClient client = client(KEY, "not-the-secret");

        AcrResult result = client.identify(sample);

        assertThat(result.outcome()).isEqualTo(AcrResult.Outcome.DISABLED);
        assertThat(result.statusCode()).isEqualTo(3014);
        assertThat(result.statusMsg()).contains("signature");
        assertThat(acr.received()).extracting(FakeAcrCloudServer.Received::statusCode).containsExactly(3014);
    }

    @Test
    void withoutCredentialsNothingIsSent() {
        AcrCloudClient client = client("", "");

        AcrResult result = client.identify(sample);
        client.identify(sample);

        assertThat(result.outcome()).isEqualTo(AcrResult.Outcome.NOT_CONFIGURED);
        assertThat(result.statusMsg()).contains("no ACRCLOUD_ACCESS_KEY/ACRCLOUD_ACCESS_SECRET");
        assertThat(acr.requestCount()).isZero();
    }

    @Test
    void quotaQpsAndServerErrorsAreTransient() {
        acr.enqueue(FakeAcrCloudServer.statusJson(3003, "Limit exceeded"));
        acr.enqueue(FakeAcrCloudServer.statusJson(3015, "qps limit exceeded"));
        acr.enqueueHttpStatus(502);
        AcrCloudClient client = client(KEY, SECRET);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> client.identify(sample)).isInstanceOf(TransientExternalException.class);
        }
        assertThat(client.identify(sample).outcome()).isEqualTo(AcrResult.Outcome.NO_RESULT);
        assertThat(client.active()).isTrue();
    }

    @Test
    void otherStatusesAreNonRetryableErrors() {
        acr.enqueue("{\"status\":{\"msg\":\"Can't generate fingerprint\",\"version\":\"1.0\",\"code\":2004}}");

        AcrResult result = client(KEY, SECRET).identify(sample);

        assertThat(result.outcome()).isEqualTo(AcrResult.Outcome.ERROR);
        assertThat(result.statusCode()).isEqualTo(2004);
    }

    @Test
    void rateLimitIsEnforcedClientSide() {
        AcrCloudClient client = new AcrCloudClient(new Settings.AcrCloud(acr.baseUrl(), KEY, SECRET, 2, 5_000),
                new OkHttpClient(), Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC), Duration.ZERO);

        client.identify(sample);
        client.identify(sample);

        assertThatThrownBy(() -> client.identify(sample)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("rate limit");
        assertThat(acr.requestCount()).isEqualTo(2);
        assertThat(acr.received().get(0).fields()).containsEntry("timestamp", "1777629600");
    }

    @Test
    void timeoutIsTransient() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            AcrCloudClient client = new AcrCloudClient(
                    new Settings.AcrCloud("http://127.0.0.1:" + silent.getLocalPort(), KEY, SECRET, 60, 300));
            assertThatThrownBy(() -> client.identify(sample)).isInstanceOf(TransientExternalException.class);
        }
    }
}
