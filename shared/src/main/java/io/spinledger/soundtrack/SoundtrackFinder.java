package io.spinledger.soundtrack;

import io.spinledger.external.TransientExternalException;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.external.spotify.SpotifyClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a film's soundtrack for TV cue sheets by a waterfall, cached:
 * <ol>
 *   <li>MusicBrainz: the releases linked to {@code https://www.imdb.com/title/<id>/} (url lookup with
 *       {@code inc=release-rels}), then the first such release's tracks with recordings and ISRCs;</li>
 *   <li>the local catalog: reference tracks whose album equals the title hint (case-insensitive);</li>
 *   <li>Spotify (when configured): the first album found by the title hint (its tracks carry no ISRC).</li>
 * </ol>
 * Every track whose ISRC is in the catalog carries that reference track's id. Found answers are cached for
 * {@code foundTtl} (default 7 days), "not found" for {@code notFoundTtl} (1 hour); an answer with a failed source
 * is not cached. The cache key is the IMDb id plus the lower-cased title hint.
 *
 * <p>Failures: when a source fails (throttled, 5xx, timeout, bad answer) the next one is asked and the note
 * says so; when nothing was found and a source failed transiently, {@link TransientExternalException} is thrown
 * so the caller can answer "try later" instead of a false "not found".
 */
public final class SoundtrackFinder {
    /** Source: MusicBrainz release linked to the IMDb title. */
    public static final String MUSICBRAINZ = "MUSICBRAINZ";
    /** Source: reference tracks in SpinLedger's catalog. */
    public static final String CATALOG = "CATALOG";
    /** Source: Spotify album search. */
    public static final String SPOTIFY = "SPOTIFY";
    /** No source knows the soundtrack. */
    public static final String NONE = "NONE";
    /** How long a found soundtrack is cached. */
    public static final Duration FOUND_TTL = Duration.ofDays(7);
    /** How long "not found" is cached. */
    public static final Duration NOT_FOUND_TTL = Duration.ofHours(1);
    private static final Pattern IMDB_ID = Pattern.compile("^tt\\d{7,8}$");
    private static final Logger log = LoggerFactory.getLogger(SoundtrackFinder.class);

    private final MusicBrainzClient musicBrainz;
    private final Supplier<List<io.spinledger.domain.Track>> catalog;
    private final SpotifyClient spotify;
    private final SoundtrackCache cache;
    private final Duration foundTtl;
    private final Duration notFoundTtl;

    /**
     * @param musicBrainz MusicBrainz client, or null when not used
     * @param catalog     the catalog's reference tracks (read on a cache miss)
     * @param spotify     Spotify client, or null when not used
     * @param cache       answers cache
     * @param foundTtl    how long found soundtracks are cached
     * @param notFoundTtl how long "not found" is cached
     */
    public SoundtrackFinder(MusicBrainzClient musicBrainz, Supplier<List<io.spinledger.domain.Track>> catalog,
                            SpotifyClient spotify, SoundtrackCache cache, Duration foundTtl, Duration notFoundTtl) {
        this.musicBrainz = musicBrainz;
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.spotify = spotify;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.foundTtl = foundTtl;
        this.notFoundTtl = notFoundTtl;
    }

    /** Whether a text is an IMDb title id: {@code tt} followed by 7 or 8 digits (e.g. {@code tt0110357}). */
    public static boolean isImdbId(String id) {
        return id != null && IMDB_ID.matcher(id).matches();
    }

    /** The IMDb title URL as MusicBrainz stores it: {@code https://www.imdb.com/title/<id>/}. */
    public static String imdbUrl(String imdbId) {
        return "https://www.imdb.com/title/" + imdbId + "/";
    }

    /**
     * The soundtrack of an IMDb title.
     *
     * @param imdbId    {@code tt} and 7 or 8 digits
     * @param titleHint the film's or album's title, used by the catalog and Spotify steps; may be null
     * @return the soundtrack (source {@value #NONE} and no tracks when not found); {@code notes} say what was tried
     * @throws IllegalArgumentException   when {@code imdbId} is not an IMDb title id
     * @throws TransientExternalException nothing found and a source failed transiently: try later
     */
    public Soundtrack find(String imdbId, String titleHint) {
        if (!isImdbId(imdbId)) {
            throw new IllegalArgumentException("not an IMDb title id: \"" + imdbId + "\" (expected tt and 7 or 8 digits)");
        }
        String hint = titleHint == null || titleHint.isBlank() ? null : titleHint.trim();
        String key = imdbId + "|" + (hint == null ? "" : hint.toLowerCase(Locale.ROOT));
        Optional<Soundtrack> cached = cache.get(key);
        if (cached.isPresent()) {
            List<String> notes = new ArrayList<>(cached.get().notes());
            notes.add("served from cache");
            Soundtrack c = cached.get();
            return new Soundtrack(c.imdbId(), c.title(), c.source(), c.releaseId(), c.tracks(), notes);
        }
        List<String> notes = new ArrayList<>();
        TransientExternalException transientFailure = null;
        boolean failed = false;
        Soundtrack found = null;
        if (musicBrainz != null && musicBrainz.enabled()) {
            try {
                found = fromMusicBrainz(imdbId, notes);
            } catch (TransientExternalException e) {
                transientFailure = e;
                failed = true;
                notes.add("MusicBrainz unavailable: " + e.getMessage());
            } catch (RuntimeException e) {
                failed = true;
                notes.add("MusicBrainz failed: " + e.getMessage());
            }
        }
        List<io.spinledger.domain.Track> tracks = catalog.get();
        Map<String, String> catalogIdByIsrc = tracks.stream().filter(t -> t.isrc() != null)
                .collect(Collectors.toMap(io.spinledger.domain.Track::isrc, io.spinledger.domain.Track::trackId,
                        (a, b) -> a));
        if (found == null && hint != null) {
            found = fromCatalog(imdbId, hint, tracks, notes);
        } else if (found == null) {
            notes.add("catalog and Spotify search by name skipped: no title given");
        }
        if (found == null && hint != null && spotify != null && spotify.enabled()) {
            try {
                found = fromSpotify(imdbId, hint, notes);
            } catch (TransientExternalException e) {
                transientFailure = transientFailure == null ? e : transientFailure;
                failed = true;
                notes.add("Spotify unavailable: " + e.getMessage());
            } catch (RuntimeException e) {
                failed = true;
                notes.add("Spotify failed: " + e.getMessage());
            }
        }
        if (found == null) {
            if (transientFailure != null) {
                log.warn("soundtrack of {} not found, a source failed: {}", imdbId, notes);
                throw transientFailure;
            }
            Soundtrack none = new Soundtrack(imdbId, hint, NONE, null, List.of(), notes);
            if (!failed) {
                cache.put(key, none, notFoundTtl);
            }
            return none;
        }
        Function<Soundtrack.Track, Soundtrack.Track> inCatalog = withCatalogIds(catalogIdByIsrc);
        Soundtrack result = new Soundtrack(found.imdbId(), found.title(), found.source(), found.releaseId(),
                found.tracks().stream().map(inCatalog).toList(), notes);
        if (!failed) {
            cache.put(key, result, foundTtl);
        }
        return result;
    }

    private Soundtrack fromMusicBrainz(String imdbId, List<String> notes) {
        List<String> releases = musicBrainz.releasesLinkedTo(imdbUrl(imdbId));
        if (releases.isEmpty()) {
            notes.add("MusicBrainz: no release linked to " + imdbUrl(imdbId));
            return null;
        }
        Optional<MusicBrainzClient.MbRelease> release = musicBrainz.release(releases.get(0));
        if (release.isEmpty() || release.get().tracks().isEmpty()) {
            notes.add("MusicBrainz: release " + releases.get(0) + " has no tracks");
            return null;
        }
        MusicBrainzClient.MbRelease r = release.get();
        notes.add("MusicBrainz: release " + r.id() + " \"" + r.title() + "\" linked to " + imdbUrl(imdbId)
                + (releases.size() > 1 ? " (first of " + releases.size() + " linked releases)" : ""));
        List<Soundtrack.Track> tracks = r.tracks().stream().map(t -> new Soundtrack.Track(t.disc(), t.position(),
                t.title(), t.artists(), t.lengthMs(), t.isrcs().isEmpty() ? null : t.isrcs().get(0), null,
                t.recordingId())).toList();
        return new Soundtrack(imdbId, r.title(), MUSICBRAINZ, r.id(), tracks, List.of());
    }

    private static Soundtrack fromCatalog(String imdbId, String hint, List<io.spinledger.domain.Track> catalog,
                                          List<String> notes) {
        List<io.spinledger.domain.Track> matching = catalog.stream()
                .filter(t -> t.album() != null && t.album().trim().equalsIgnoreCase(hint))
                .sorted(java.util.Comparator.comparing(io.spinledger.domain.Track::registeredAt,
                        java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .toList();
        if (matching.isEmpty()) {
            notes.add("catalog: no reference track on an album titled \"" + hint + "\"");
            return null;
        }
        notes.add("catalog: " + matching.size() + " reference track(s) on \"" + hint + "\"");
        List<Soundtrack.Track> tracks = new ArrayList<>();
        for (io.spinledger.domain.Track t : matching) {
            tracks.add(new Soundtrack.Track(1, tracks.size() + 1, t.title(), t.artists(), t.durationMs(), t.isrc(),
                    t.trackId(), null));
        }
        return new Soundtrack(imdbId, hint, CATALOG, null, tracks, List.of());
    }

    private Soundtrack fromSpotify(String imdbId, String hint, List<String> notes) {
        Optional<SpotifyClient.Album> album = spotify.findAlbum(hint);
        if (album.isEmpty() || album.get().tracks().isEmpty()) {
            notes.add("Spotify: no album found for \"" + hint + "\"");
            return null;
        }
        SpotifyClient.Album a = album.get();
        notes.add("Spotify: album " + a.id() + " \"" + a.name() + "\" (album tracks carry no ISRC)");
        List<Soundtrack.Track> tracks = a.tracks().stream().map(t -> new Soundtrack.Track(t.disc(), t.number(),
                t.name(), t.artists(), t.durationMs(), null, null, t.id())).toList();
        return new Soundtrack(imdbId, a.name(), SPOTIFY, a.id(), tracks, List.of());
    }

    private static Function<Soundtrack.Track, Soundtrack.Track> withCatalogIds(Map<String, String> byIsrc) {
        return t -> t.catalogTrackId() != null || t.isrc() == null || !byIsrc.containsKey(t.isrc()) ? t
                : new Soundtrack.Track(t.disc(), t.position(), t.title(), t.artists(), t.lengthMs(), t.isrc(),
                byIsrc.get(t.isrc()), t.externalId());
    }
}
