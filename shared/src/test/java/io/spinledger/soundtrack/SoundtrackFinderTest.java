package io.spinledger.soundtrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.spinledger.config.Settings;
import io.spinledger.domain.Track;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.external.spotify.SpotifyClient;
import io.spinledger.testing.FakeMusicBrainzServer;
import io.spinledger.testing.FakeSpotifyServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The soundtrack waterfall against fake MusicBrainz and Spotify servers speaking their real formats. */
class SoundtrackFinderTest {
    static final String LION_KING = "tt0110357";
    static final String RELEASE = FakeMusicBrainzServer.uuidFor("release:lion-king");
    FakeMusicBrainzServer mb;
    FakeSpotifyServer spotify;
    AtomicReference<List<Track>> catalog = new AtomicReference<>(List.of());
    SoundtrackFinder finder;

    @BeforeEach
    void start() {
        mb = new FakeMusicBrainzServer(Duration.ofMillis(5)).start();
        spotify = new FakeSpotifyServer("cid", "secret").start();
        String circle = FakeMusicBrainzServer.uuidFor("rec:circle");
        String hakuna = FakeMusicBrainzServer.uuidFor("rec:hakuna");
        mb.addRecording(circle, "Circle of Life", "Carmen Twillie", 238_000L, null, "USWD19400001")
                .addRecording(hakuna, "Hakuna Matata", "Nathan Lane", 211_000L, null, "USWD19400002")
                .addRelease(RELEASE, "The Lion King: Original Motion Picture Soundtrack", "1994-05-31",
                        SoundtrackFinder.imdbUrl(LION_KING), circle, hakuna);
        spotify.addAlbum("Cue Sheet Movie", "Studio Orchestra", "Opening Titles", "End Credits");
        MusicBrainzClient mbClient = new MusicBrainzClient(new Settings.MusicBrainz(mb.baseUrl(),
                "SpinLedgerTest/1.0 ( test@example.com )", true, 10, 5_000), new OkHttpClient(), 2, Duration.ofMillis(20));
        SpotifyClient spClient = new SpotifyClient(new Settings.Spotify(spotify.baseUrl(), spotify.baseUrl(), "cid",
                "secret", 5_000, 1_000), new OkHttpClient(), Clock.systemUTC());
        finder = new SoundtrackFinder(mbClient, catalog::get, spClient, SoundtrackCache.inMemory(),
                SoundtrackFinder.FOUND_TTL, SoundtrackFinder.NOT_FOUND_TTL);
    }

    @AfterEach
    void stop() {
        mb.close();
        spotify.close();
    }

    private static Track track(String id, String title, String isrc, String album) {
        return new Track(id, title, List.of("A"), isrc, album, null, null, List.of(), 200_000, 10, Instant.EPOCH);
    }

    @Test
    void musicBrainzReleaseLinkedToTheImdbTitleWithIsrcsAndCatalogMatches() {
        catalog.set(List.of(track("trk_1", "Hakuna Matata", "USWD19400002", null)));

        Soundtrack s = finder.find(LION_KING, null);

        assertThat(s.source()).isEqualTo("MUSICBRAINZ");
        assertThat(s.releaseId()).isEqualTo(RELEASE);
        assertThat(s.tracks()).extracting(Soundtrack.Track::position, Soundtrack.Track::title, Soundtrack.Track::isrc,
                Soundtrack.Track::lengthMs, Soundtrack.Track::catalogTrackId).containsExactly(
                tuple(1, "Circle of Life", "USWD19400001", 238_000L, null),
                tuple(2, "Hakuna Matata", "USWD19400002", 211_000L, "trk_1"));
        assertThat(s.tracks().get(0).artists()).containsExactly("Carmen Twillie");

        int calls = mb.requestCount();
        assertThat(finder.find(LION_KING, null).notes()).contains("served from cache");
        assertThat(mb.requestCount()).as("cached: no second look-up").isEqualTo(calls);
    }

    @Test
    void thenTheCatalogByTitleThenSpotify() {
        catalog.set(List.of(track("trk_2", "Main Theme", "GHA012600001", "Local Film"),
                track("trk_3", "Other", "GHA012600002", "Something Else")));

        Soundtrack local = finder.find("tt1234567", "local film");
        assertThat(local.source()).isEqualTo("CATALOG");
        assertThat(local.tracks()).extracting(Soundtrack.Track::catalogTrackId).containsExactly("trk_2");
        assertThat(local.notes()).anyMatch(n -> n.startsWith("MusicBrainz: no release linked"));

        Soundtrack sp = finder.find("tt12345678", "Cue Sheet Movie");
        assertThat(sp.source()).isEqualTo("SPOTIFY");
        assertThat(sp.tracks()).extracting(Soundtrack.Track::title, Soundtrack.Track::isrc, Soundtrack.Track::lengthMs)
                .containsExactly(tuple("Opening Titles", null, 180_000L), tuple("End Credits", null, 180_000L));

        Soundtrack none = finder.find("tt7654321", null);
        assertThat(none.found()).isFalse();
        assertThat(none.source()).isEqualTo("NONE");
    }

    @Test
    void badIdsAreRefusedAndOutagesAreNotReportedAsNotFound() {
        assertThatThrownBy(() -> finder.find("tt123", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> finder.find("nm0000158", null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SoundtrackFinder.isImdbId("tt0110357")).isTrue();
        assertThat(SoundtrackFinder.isImdbId("tt123456789")).isFalse();

        mb.throttleNext(10);
        assertThatThrownBy(() -> finder.find("tt7654321", null)).isInstanceOf(TransientExternalException.class);
    }
}
