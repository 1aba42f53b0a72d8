package io.spinledger.stage.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.id.Isrc;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.deezer.DeezerClient;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.external.spotify.SpotifyClient;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.ports.ManualClock;
import io.spinledger.testing.FakeDeezerServer;
import io.spinledger.testing.FakeMusicBrainzServer;
import io.spinledger.testing.FakeSpotifyServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enrichment waterfall over real HTTP against local fakes of MusicBrainz, Spotify and Deezer speaking their
 * real formats, with the status per ISRC in the in-memory table store: per-field provenance, Spotify's 429/Retry-After and
 * token renewal, Deezer's errors-as-HTTP-200, and which ISRCs the scheduled retry picks up.
 */
class EnrichmentWaterfallTest {
    static final String ISRC = "GBAAA9900303";
    static InMemoryTableStore tables;
    static FakeMusicBrainzServer mb;
    static FakeSpotifyServer spotify;
    static FakeDeezerServer deezer;
    ManualClock clock;
    EnrichmentStatusStore statuses;
    InMemoryEnrichmentCache cache;
    final AtomicInteger hits = new AtomicInteger();
    static final Settings.Enrichment POLICY = new Settings.Enrichment(7L * 86_400_000, 3_600_000, 3, 86_400_000,
            30L * 86_400_000, 25);

    @BeforeAll
    static void startAll() {
        tables = new InMemoryTableStore();
        mb = new FakeMusicBrainzServer(Duration.ZERO).start();
        String work = FakeMusicBrainzServer.uuidFor("work:hey");
        mb.addRecording(FakeMusicBrainzServer.uuidFor("rec:hey"), "Hey Boy Hey Girl", "The Chemical Brothers",
                289_946L, work, ISRC);
        mb.addWork(work, "Hey Boy Hey Girl", List.of("T-034.524.680-1"),
                FakeMusicBrainzServer.writer("Tom Rowlands", "composer"),
                FakeMusicBrainzServer.writer("Ed Simons", "composer"));
        spotify = new FakeSpotifyServer("cid", "csecret").start();
        spotify.addTrack(ISRC, "Hey Boy Hey Girl", "The Chemical Brothers", "Surrender");
        spotify.addTrack("USQZ11600001", "Only On Spotify", "Someone", "Spotify Album");
        deezer = new FakeDeezerServer().start();
        deezer.addTrack("FRZ031600001", "Seulement Deezer", "Quelqu'un", "Album Deezer", 201);
    }

    @AfterAll
    static void stopAll() {
        mb.close();
        spotify.close();
        deezer.close();
    }

    @BeforeEach
    void fresh() {
        clock = new ManualClock(Instant.parse("2026-11-20T10:00:00Z").plus(Duration.ofDays((long) (Math.random() * 5000))));
        statuses = new EnrichmentStatusStore(tables, clock);
        cache = new InMemoryEnrichmentCache(clock);
    }

    private IsrcEnricher enricher(String spotifySecret, long maxRetryAfterMs) {
        MusicBrainzClient m = new MusicBrainzClient(new Settings.MusicBrainz(mb.baseUrl(),
                "SpinLedgerTest/1.0 ( test@example.com )", true, 10, 5_000), new OkHttpClient(), 2, Duration.ofMillis(20));
        SpotifyClient s = new SpotifyClient(new Settings.Spotify(spotify.baseUrl(), spotify.baseUrl(), "cid",
                spotifySecret, 5_000, maxRetryAfterMs), new OkHttpClient(), clock);
        DeezerClient d = new DeezerClient(new Settings.Deezer(deezer.baseUrl(), true, 5_000), new OkHttpClient());
        return new IsrcEnricher(cache, m, s, d, statuses, Duration.ofMillis(POLICY.foundTtlMs()),
                Duration.ofMillis(POLICY.failureTtlMs()), hit -> hits.incrementAndGet(),
                IsrcEnricher.TransientPolicy.PARTIAL);
    }

    @Test
    void musicBrainzGivesTheWorkSpotifyTheAlbumAndEachFieldSaysWhere() {
        int deezerBefore = deezer.requestCount();
        Recording r = enricher("csecret", 5_000).enrich(null, "isrc gb-aaa-99-00303");
        assertThat(r.iswc()).isEqualTo("T-034.524.680-1");
        assertThat(r.writers()).extracting(w -> w.name()).containsExactly("Tom Rowlands", "Ed Simons");
        assertThat(r.album()).isEqualTo("Surrender");
        assertThat(r.provenance()).containsEntry("title", "MUSICBRAINZ").containsEntry("iswc", "MUSICBRAINZ")
                .containsEntry("writers", "MUSICBRAINZ").containsEntry("album", "SPOTIFY");
        assertThat(deezer.requestCount()).as("complete after Spotify: Deezer not asked").isEqualTo(deezerBefore);
        assertThat(statuses.get(ISRC).orElseThrow().state()).isEqualTo(EnrichmentStatusStore.State.COMPLETED);
        // second time from the cache, no network
        int mbBefore = mb.requestCount();
        assertThat(enricher("csecret", 5_000).enrich(null, ISRC).provenance()).containsEntry("cache", "HIT");
        assertThat(mb.requestCount()).isEqualTo(mbBefore);
    }

    @Test
    void spotifyAndDeezerFillWhatMusicBrainzDoesNotKnow() {
        Recording s = enricher("csecret", 5_000).enrich(null, "USQZ11600001");
        assertThat(s.title()).isEqualTo("Only On Spotify");
        assertThat(s.provenance()).containsEntry("title", "SPOTIFY").containsEntry("album", "SPOTIFY");
        Recording d = enricher("csecret", 5_000).enrich(null, "FR-Z03-16-00001");
        assertThat(d.title()).isEqualTo("Seulement Deezer");
        assertThat(d.artists()).containsExactly("Quelqu'un");
        assertThat(d.provenance()).containsEntry("title", "DEEZER");
        assertThat(statuses.get("FRZ031600001").orElseThrow().state()).isEqualTo(EnrichmentStatusStore.State.COMPLETED);
    }

    @Test
    void spotify429IsWaitedOutWhenShortAndReportedWhenLong() {
        spotify.throttleNext(1, 1);
        int before = spotify.searchCount();
        SpotifyClient client = new SpotifyClient(new Settings.Spotify(spotify.baseUrl(), spotify.baseUrl(), "cid",
                "csecret", 5_000, 2_000), new OkHttpClient(), clock);
        long t0 = System.nanoTime();
        assertThat(client.lookupIsrc(Isrc.parse(ISRC))).isPresent();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
        assertThat(spotify.searchCount() - before).isEqualTo(2);
        spotify.throttleNext(1, 60);
        assertThatThrownBy(() -> client.lookupIsrc(Isrc.parse(ISRC))).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("429");
        spotify.revokeTokens();
        int tokens = spotify.tokenCount();
        assertThat(client.lookupIsrc(Isrc.parse(ISRC))).as("401 renews the token once").isPresent();
        assertThat(spotify.tokenCount()).isEqualTo(tokens + 1);
        SpotifyClient wrong = new SpotifyClient(new Settings.Spotify(spotify.baseUrl(), spotify.baseUrl(), "cid",
                "nope", 5_000, 2_000), new OkHttpClient(), clock);
        assertThatThrownBy(() -> wrong.lookupIsrc(Isrc.parse(ISRC))).isInstanceOf(ExternalServiceException.class)
                .hasMessageContaining("client credentials refused");
    }

    @Test
    void deezerErrorsArriveAsHttp200() {
        DeezerClient d = new DeezerClient(new Settings.Deezer(deezer.baseUrl(), true, 5_000), new OkHttpClient());
        assertThat(d.lookupIsrc(Isrc.parse("GBXXX0000001"))).as("error 800 no data").isEmpty();
        deezer.throttleNext(1);
        assertThatThrownBy(() -> d.lookupIsrc(Isrc.parse("FRZ031600001")))
                .isInstanceOf(TransientExternalException.class).hasMessageContaining("Quota");
        deezer.garbageNext(1);
        assertThatThrownBy(() -> d.lookupIsrc(Isrc.parse("FRZ031600001")))
                .isInstanceOf(ExternalServiceException.class).hasMessageContaining("unreadable");
        assertThat(d.lookupIsrc(Isrc.parse("FRZ031600001"))).isPresent();
    }

    @Test
    void failuresAndPartialsAreTrackedAndPickedUpByTheScheduledRetry() {
        // MusicBrainz throttled beyond its retries, Spotify 500: nothing found -> FAILED, nothing cached
        mb.throttleNext(2);
        spotify.failNext(1);
        deezer.throttleNext(1);
        Recording r = enricher("csecret", 5_000).enrich(null, ISRC);
        assertThat(IsrcEnricher.isPartial(r)).isTrue();
        assertThat(statuses.get(ISRC).orElseThrow().state()).isEqualTo(EnrichmentStatusStore.State.FAILED);
        assertThat(cache.get(ISRC)).isEmpty();
        assertThat(statuses.due(POLICY, 10)).contains(ISRC);

        // the scheduled retry: services back -> COMPLETED, no longer due
        Recording again = enricher("csecret", 5_000).refresh(ISRC);
        assertThat(again.iswc()).isEqualTo("T-034.524.680-1");
        assertThat(statuses.get(ISRC).orElseThrow().state()).isEqualTo(EnrichmentStatusStore.State.COMPLETED);
        assertThat(statuses.due(POLICY, 10)).doesNotContain(ISRC);
        clock.advance(Duration.ofDays(31));
        assertThat(statuses.due(POLICY, 10)).as("refreshed after 30 days").contains(ISRC);

        // MusicBrainz answers, Spotify down: PARTIAL, retried after 24 h
        String other = "USQZ11600001";
        spotify.failNext(1);
        deezer.throttleNext(1);
        Recording partial = enricher("csecret", 5_000).refresh(other);
        assertThat(statuses.get(other).orElseThrow().state()).isIn(EnrichmentStatusStore.State.FAILED,
                EnrichmentStatusStore.State.PARTIAL);
        assertThat(IsrcEnricher.isPartial(partial)).isTrue();

        // a failing ISRC stops being retried after 3 retries
        String bad = "GBZZZ0000009";
        for (int i = 0; i < 4; i++) {
            enricher("csecret", 5_000).refresh(bad);
        }
        assertThat(statuses.get(bad).orElseThrow().retryCount()).isEqualTo(3);
        assertThat(statuses.due(POLICY, 100)).doesNotContain(bad);
    }
}
