package io.spinledger.stage.enrich;

import io.spinledger.ports.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.domain.Writer;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.external.musicbrainz.MusicBrainzClientTest;
import io.spinledger.testing.FakeMusicBrainzServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IsrcEnricherTest {
    private static final String ISRC = MusicBrainzClientTest.ISRC;
    private FakeMusicBrainzServer mb;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-05-01T10:00:00Z"));
    private final InMemoryEnrichmentCache cache = new InMemoryEnrichmentCache(clock);

    @BeforeEach
    void start() {
        mb = MusicBrainzClientTest.withHeyBoy(new FakeMusicBrainzServer(Duration.ofMillis(50))).start();
    }

    @AfterEach
    void stop() {
        mb.stop();
    }

    private IsrcEnricher enricher(String userAgent, boolean enabled, IsrcEnricher.TransientPolicy policy) {
        MusicBrainzClient client = new MusicBrainzClient(
                new Settings.MusicBrainz(mb.baseUrl(), userAgent, enabled, 50, 5_000), new OkHttpClient(), 2,
                Duration.ofMillis(50));
        return new IsrcEnricher(cache, client, policy);
    }

    private IsrcEnricher enricher() {
        return enricher(MusicBrainzClientTest.UA, true, IsrcEnricher.TransientPolicy.RETHROW);
    }

    private static Track track(List<Writer> writers) {
        return new Track("trk_1", "Hey Boy (Radio Edit)", List.of("Chemical Brothers"), ISRC, "Surrender", "Virgin",
                null, writers, 230_000, 500, Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void catalogWithSharedWritersNeedsNoLookup() {
        Writer w = new Writer("Tom Rowlands", "00052210040", "PRS", "composer", new BigDecimal("100"));

        Recording r = enricher().enrich(track(List.of(w)), null);

        assertThat(r.title()).isEqualTo("Hey Boy (Radio Edit)");
        assertThat(r.writers()).containsExactly(w);
        assertThat(r.provenance()).containsEntry("writers", "CATALOG").containsEntry("isrc", "CATALOG");
        assertThat(IsrcEnricher.isPartial(r)).isFalse();
        assertThat(mb.requestCount()).isZero();
    }

    @Test
    void catalogWinsAndMusicBrainzFillsTheWorkThenTheCacheAnswers() {
        IsrcEnricher enricher = enricher();

        Recording first = enricher.enrich(track(List.of()), "ISRC GB-AAA-99-00303");
        int afterFirst = mb.requestCount();
        Recording second = enricher.enrich(track(List.of()), ISRC);

        assertThat(first.title()).isEqualTo("Hey Boy (Radio Edit)");
        assertThat(first.album()).isEqualTo("Surrender");
        assertThat(first.iswc()).isEqualTo("T-034.524.680-1");
        assertThat(first.writers()).extracting(Writer::name).containsExactly("Tom Rowlands", "Ed Simons");
        assertThat(first.provenance()).containsEntry("title", "CATALOG").containsEntry("iswc", "MUSICBRAINZ")
                .containsEntry("writers", "MUSICBRAINZ").doesNotContainKey(IsrcEnricher.CACHE_KEY);
        assertThat(afterFirst).isEqualTo(3);
        assertThat(mb.requestCount()).isEqualTo(3);
        assertThat(second.iswc()).isEqualTo("T-034.524.680-1");
        assertThat(second.provenance()).containsEntry(IsrcEnricher.CACHE_KEY, "HIT");
    }

    @Test
    void detectionWithoutCatalogTrackUsesMusicBrainzOnly() {
        Recording r = enricher().enrich(null, ISRC);

        assertThat(r.title()).isEqualTo("Hey Boy Hey Girl");
        assertThat(r.artists()).containsExactly("The Chemical Brothers");
        assertThat(r.provenance()).containsEntry("title", "MUSICBRAINZ");
    }

    @Test
    void notFoundIsCachedForAnHour() {
        IsrcEnricher enricher = enricher();

        Recording r = enricher.enrich(null, "USUM71703861");
        enricher.enrich(null, "USUM71703861");
        int withinHour = mb.requestCount();
        clock.advance(Duration.ofMinutes(61));
        enricher.enrich(null, "USUM71703861");

        assertThat(r.isrc()).isEqualTo("USUM71703861");
        assertThat(r.provenance()).containsEntry(IsrcEnricher.NOT_FOUND_KEY, "MUSICBRAINZ");
        assertThat(withinHour).isEqualTo(1);
        assertThat(mb.requestCount()).isEqualTo(2);
    }

    @Test
    void permanentFailureKeepsTheCatalogDataAndSaysSo() {
        Recording r = enricher("bad agent", true, IsrcEnricher.TransientPolicy.RETHROW).enrich(track(List.of()), ISRC);

        assertThat(r.title()).isEqualTo("Hey Boy (Radio Edit)");
        assertThat(r.iswc()).isNull();
        assertThat(IsrcEnricher.isPartial(r)).isTrue();
        assertThat(r.provenance().get(IsrcEnricher.PARTIAL_KEY)).contains("403");
        assertThat(cache.size()).isZero();
    }

    @Test
    void transientFailureIsRethrownOrReportedAsPartialByPolicy() {
        mb.throttleNext(100);

        assertThatThrownBy(() -> enricher().enrich(track(List.of()), ISRC))
                .isInstanceOf(TransientExternalException.class);
        Recording r = enricher(MusicBrainzClientTest.UA, true, IsrcEnricher.TransientPolicy.PARTIAL)
                .enrich(track(List.of()), ISRC);
        assertThat(r.title()).isEqualTo("Hey Boy (Radio Edit)");
        assertThat(r.provenance().get(IsrcEnricher.PARTIAL_KEY)).contains("MusicBrainz unavailable");
    }

    @Test
    void disabledMusicBrainzAndUnusableInputAreHandledWithoutNetwork() {
        Recording catalogOnly = enricher(MusicBrainzClientTest.UA, false, IsrcEnricher.TransientPolicy.RETHROW)
                .enrich(track(List.of()), null);
        Recording nothing = enricher().enrich(null, null);
        Recording malformed = enricher().enrich(null, "not-an-isrc");

        assertThat(catalogOnly.title()).isEqualTo("Hey Boy (Radio Edit)");
        assertThat(IsrcEnricher.isPartial(catalogOnly)).isFalse();
        assertThat(nothing.provenance()).containsKey(IsrcEnricher.PARTIAL_KEY);
        assertThat(malformed.provenance().get(IsrcEnricher.PARTIAL_KEY)).contains("malformed ISRC");
        assertThat(mb.requestCount()).isZero();
    }

}
