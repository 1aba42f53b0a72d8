package io.spinledger.stage.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.spinledger.config.Settings;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.engine.audio.Wav;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.acrcloud.AcrCloudClient;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.match.LearnedReferences;
import io.spinledger.ports.ManualClock;
import io.spinledger.stats.Counters;
import io.spinledger.testing.FakeAcrCloudServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ACRCloud fallback against the fake ACRCloud server over real HTTP, with budgets and counters in the
 * in-memory table store: the gate keeps talk and silence free, a named track is learned and its next airing matches locally,
 * budgets refuse calls, an outage opens the circuit and it closes after two good trial calls, and a bad signature
 * stops calls without retries.
 */
class FallbackIdentifierTest {
    static final String KEY = "key";
    static final String SECRET = "secret";
    static final int RATE = AudioDecoder.DEFAULT_SAMPLE_RATE_HZ;
    static InMemoryTableStore tables;
    static Pcm knolls;
    static Pcm talk;

    FakeAcrCloudServer acr;
    InMemoryObjectStore objects;
    FingerprintEngine engine;
    ManualClock clock;
    Counters counters;

    @BeforeAll
    static void startAll() {
        tables = new InMemoryTableStore();
        knolls = new AudioDecoder(RATE, AudioDecoder.DEFAULT_MAX_DURATION_MS).decode(TestAudio.wesnoth("knolls.ogg"));
        talk = TestAudio.speech("Good morning, this is the news at seven. The road to the airport is closed today "
                + "because of heavy rain, so please drive carefully and listen for updates.", RATE);
    }

    @BeforeEach
    void start() {
        acr = new FakeAcrCloudServer(KEY, SECRET).start();
        objects = new InMemoryObjectStore();
        FingerprintConfig config = FingerprintConfig.defaults();
        engine = new FingerprintEngine(config, MatchThresholds.defaults(), new IndexStore(objects, config));
        clock = new ManualClock(Instant.parse("2026-11-20T10:00:00Z").plus(Duration.ofDays(
                (long) (Math.random() * 10_000))));
        counters = new Counters(tables, clock);
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    private Settings.Fallback policy(int daily, Map<String, Integer> stations, int retries) {
        return new Settings.Fallback(true, 0.5, 12.0, daily, 0, stations, 5, 60_000, 2, retries, 1, true);
    }

    private FallbackIdentifier identifier(String secret, Settings.Fallback f, int perMinute) {
        AcrCloudClient client = new AcrCloudClient(new Settings.AcrCloud(acr.baseUrl(), KEY, secret, 600, 2_000),
                new OkHttpClient.Builder().callTimeout(2, TimeUnit.SECONDS).build(), Clock.systemUTC(),
                Duration.ZERO);
        AcrCloudGuard guard = new AcrCloudGuard(client, f, clock);
        AcrBudget budget = new AcrBudget(tables, clock, perMinute, f.dailyBudget(), f::budgetOf);
        return new FallbackIdentifier(guard, new MusicGate(), budget,
                new LearnedReferences(objects, tables, engine, clock), counters, objects, tables, clock);
    }

    private Chunk chunk(String station, Pcm pcm, int n) {
        Instant at = Instant.parse("2026-11-20T10:00:00Z").plusSeconds(10L * n);
        String id = station + "-" + at.getEpochSecond() + "-" + System.nanoTime();
        objects.put("chunks/" + id + ".wav", Wav.write(pcm), "audio/wav");
        return new Chunk(id, station, at, pcm.durationMs(), "chunks/" + id + ".wav", RATE, "req");
    }

    private String match(String acrid, long playOffsetMs) {
        return FakeAcrCloudServer.matchJson(acrid, "Knolls", "Wesnoth", "GBAAA2600009", 93, playOffsetMs, 180_000);
    }

    @Test
    void talkAndSilenceCostNothing() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 45);
        assertThat(f.identify(chunk("talk-fm", talk.slice(0, 10_000), 0))).isEmpty();
        assertThat(f.identify(chunk("talk-fm", TestAudio.silence(10_000, RATE), 1))).isEmpty();
        assertThat(acr.requestCount()).isZero();
        assertThat(f.unidentified("talk-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason)
                .anySatisfy(r -> assertThat(r).startsWith("GATED SPEECH"))
                .anySatisfy(r -> assertThat(r).startsWith("GATED SILENCE"));
    }

    @Test
    void aNamedTrackIsKeptAsEvidenceLearnedAndItsNextAiringMatchesLocallyWithoutACall() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 45);
        // the sample ends 9,280 ms into the chunk, at 70,000 + 9,280 ms into the song: the chunk starts at 70 s
        acr.answer(FakeAcrCloudServer.any(), match("a1b2c3", 79_280));
        Optional<DetectionMessage> m = f.identify(chunk("joy-fm", knolls.slice(70_000, 80_000), 0));
        assertThat(m).isPresent();
        assertThat(m.get().detection().trackId()).isEqualTo("acr_a1b2c3");
        assertThat(m.get().detection().trackOffsetMs()).isEqualTo(70_000);
        assertThat(m.get().detection().evidence()).containsEntry("acrid", "a1b2c3").containsEntry("score", "93")
                .containsEntry("playOffsetMs", "79280").containsEntry("isrc", "GBAAA2600009");
        assertThat(m.get().recording().title()).isEqualTo("Knolls");
        assertThat(acr.requestCount()).isEqualTo(1);

        // the next airing, cut differently (chunk starts 3 s later), is found by the local matcher
        Chunk again = chunk("other-fm", knolls.slice(73_000, 83_000), 5);
        ChunkMatcher matcher = new ChunkMatcher(objects, engine, 0, clock);
        ChunkMatcher.Outcome local = matcher.match(again);
        assertThat(local.kind()).isEqualTo(ChunkMatcher.Kind.MATCHED);
        assertThat(local.detections().get(0).trackId()).isEqualTo("acr_a1b2c3");
        assertThat(local.detections().get(0).trackOffsetMs()).isBetween(72_500L, 73_500L);
        assertThat(acr.requestCount()).isEqualTo(1);

        LearnedReferences.LearnedReference ref = new LearnedReferences(objects, tables, engine, clock)
                .get("acr_a1b2c3").orElseThrow();
        assertThat(ref.source()).isEqualTo(LearnedReferences.SOURCE);
        assertThat(ref.coveredMs()).isEqualTo(10_000);
        assertThat(ref.recording().isrc()).isEqualTo("GBAAA2600009");
    }

    @Test
    void budgetsRefuseCallsPerDayAndPerStation() {
        FallbackIdentifier f = identifier(SECRET, policy(3, Map.of("small-fm", 1), 1), 45);
        acr.answer(FakeAcrCloudServer.any(), FakeAcrCloudServer.noResultJson());
        Pcm music = knolls.slice(30_000, 40_000);
        f.identify(chunk("small-fm", music, 0));
        f.identify(chunk("small-fm", music, 1));
        assertThat(acr.requestCount()).as("station budget of 1").isEqualTo(1);
        f.identify(chunk("big-fm", music, 2));
        f.identify(chunk("big-fm", music, 3));
        f.identify(chunk("big-fm", music, 4));
        assertThat(acr.requestCount()).as("day budget of 3").isEqualTo(3);
        assertThat(f.unidentified("small-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason).contains("BUDGET STATION_BUDGET_SPENT");
        assertThat(f.unidentified("big-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason).contains("BUDGET DAY_BUDGET_SPENT");
        AcrBudget budget = new AcrBudget(tables, clock, 45, 3, s -> 0);
        assertThat(budget.today().used()).isEqualTo(3);
        assertThat(budget.today().left()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(budget.today().left()).isEqualTo(3);
    }

    @Test
    void theSharedPerMinuteLimitDefersTheChunk() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 1);
        acr.answer(FakeAcrCloudServer.any(), FakeAcrCloudServer.noResultJson());
        Pcm music = knolls.slice(30_000, 40_000);
        f.identify(chunk("min-fm", music, 0));
        assertThatThrownBy(() -> f.identify(chunk("min-fm", music, 1)))
                .isInstanceOf(TransientExternalException.class).hasMessageContaining("per-minute");
        clock.advance(Duration.ofMinutes(1));
        f.identify(chunk("min-fm", music, 1));
        assertThat(acr.requestCount()).isEqualTo(2);
    }

    @Test
    void transientCodesAreRetriedWithBackoff() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 3), 45);
        acr.enqueue(FakeAcrCloudServer.statusJson(3003, "Limit exceeded"));
        acr.enqueue(FakeAcrCloudServer.statusJson(3015, "QpS limit exceeded"));
        acr.answer(FakeAcrCloudServer.any(), match("retry1", 79_280));
        assertThat(f.identify(chunk("retry-fm", knolls.slice(70_000, 80_000), 0))).isPresent();
        assertThat(acr.requestCount()).isEqualTo(3);
    }

    @Test
    void anOutageOpensTheCircuitWhichClosesAfterTwoGoodTrialCalls() {
        FallbackIdentifier f = identifier(SECRET, policy(1_000, Map.of(), 3), 1_000);
        for (int i = 0; i < 8; i++) {
            acr.enqueueHttpStatus(503);
        }
        Pcm music = knolls.slice(30_000, 40_000);
        assertThatThrownBy(() -> f.identify(chunk("out-fm", music, 0))).isInstanceOf(TransientExternalException.class);
        assertThat(acr.requestCount()).as("three attempts").isEqualTo(3);
        assertThatThrownBy(() -> f.identify(chunk("out-fm", music, 1)))
                .isInstanceOf(TransientExternalException.class).hasMessageContaining("circuit open");
        assertThat(acr.requestCount()).as("opened after the 5th consecutive failure").isEqualTo(5);
        assertThatThrownBy(() -> f.identify(chunk("out-fm", music, 2)))
                .isInstanceOf(TransientExternalException.class).hasMessageContaining("circuit open");
        assertThat(acr.requestCount()).as("no call while open").isEqualTo(5);

        // 60 s later: half-open; one failed trial re-opens it
        clock.advance(Duration.ofSeconds(61));
        assertThatThrownBy(() -> f.identify(chunk("out-fm", music, 3))).isInstanceOf(TransientExternalException.class);
        assertThat(acr.requestCount()).isEqualTo(6);
        assertThatThrownBy(() -> f.identify(chunk("out-fm", music, 4)))
                .hasMessageContaining("circuit open");
        assertThat(acr.requestCount()).isEqualTo(6);

        // service back; after the wait, two good trial calls close it
        acr.clearQueue();
        acr.answer(FakeAcrCloudServer.any(), FakeAcrCloudServer.noResultJson());
        clock.advance(Duration.ofSeconds(61));
        f.identify(chunk("out-fm", music, 5));
        f.identify(chunk("out-fm", music, 6));
        f.identify(chunk("out-fm", music, 7));
        assertThat(acr.requestCount()).isEqualTo(9);
        assertThat(counters.get(Counters.ACR_CALLS)).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aBadSignatureIsNotRetriedAndStopsAllCalls() {
        FallbackIdentifier f = identifier("wrong-secret", policy(100, Map.of(), 3), 45);
        Pcm music = knolls.slice(30_000, 40_000);
        assertThat(f.identify(chunk("sig-fm", music, 0))).isEmpty();
        assertThat(f.identify(chunk("sig-fm", music, 1))).isEmpty();
        assertThat(acr.requestCount()).isEqualTo(1);
        assertThat(acr.received().get(0).statusCode()).isEqualTo(3014);
        assertThat(f.unidentified("sig-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason)
                .anySatisfy(r -> assertThat(r).contains("3014"))
                .anySatisfy(r -> assertThat(r).startsWith("ACRCLOUD_INACTIVE"));
    }

    @Test
    void aRedeliveredChunkReusesTheAnswerAndIsNeverPaidForTwice() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 45);
        acr.answer(FakeAcrCloudServer.any(), match("acr-redelivered", 60_000));
        Chunk c = chunk("redelivery-fm", knolls.slice(30_000, 40_000), 0);
        long matchesBefore = counters.get(Counters.ACR_MATCHES);
        Optional<DetectionMessage> first = f.identify(c);
        Optional<DetectionMessage> again = f.identify(c);
        assertThat(first).isPresent();
        assertThat(again).isEqualTo(first);
        assertThat(acr.requestCount()).as("ACRCloud calls for one chunk delivered twice").isEqualTo(1);
        assertThat(counters.get(Counters.ACR_MATCHES) - matchesBefore).as("matches counted for one chunk").isEqualTo(1);
    }

    @Test
    void aClaimWithoutAnAnswerIsNotCalledAgainButRecordedWithItsReason() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 45);
        Chunk c = chunk("crash-fm", knolls.slice(30_000, 40_000), 0);
        // the process that claimed this chunk died during the call: its claim is there, its answer is not
        assertThat(new io.spinledger.ports.EffectGuard(tables, clock, Duration.ofDays(1))
                .claim(FallbackIdentifier.ACR_SCOPE, c.chunkId()))
                .isInstanceOf(io.spinledger.ports.EffectGuard.Claimed.class);
        assertThat(f.identify(c)).isEmpty();
        assertThat(acr.requestCount()).isZero();
        assertThat(f.unidentified("crash-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason)
                .singleElement().satisfies(r -> assertThat(r).startsWith("ACRCLOUD_INTERRUPTED"));
    }

    @Test
    void anOutageEndsInAnUnidentifiedRecordAfterThreeTriesNotInTheDeadLetterQueue() {
        FallbackIdentifier f = identifier(SECRET, policy(100, Map.of(), 1), 45);
        Chunk c = chunk("outage-fm", knolls.slice(30_000, 40_000), 0);
        for (int i = 0; i < FallbackIdentifier.TRANSIENT_TRIES - 1; i++) {
            acr.enqueueHttpStatus(503);
            assertThatThrownBy(() -> f.identify(c)).isInstanceOf(TransientExternalException.class);
        }
        acr.enqueueHttpStatus(503);
        assertThat(f.identify(c)).isEmpty();
        assertThat(f.unidentified("outage-fm", Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z")))
                .extracting(FallbackIdentifier.Unidentified::reason)
                .singleElement().satisfies(r -> assertThat(r).startsWith("ACRCLOUD_UNAVAILABLE after 3 tries"));
    }
}
