package io.spinledger.external.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.id.Isrc;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.HttpExchange;
import io.spinledger.external.RetryPolicy;
import io.spinledger.ports.Sleeper;
import io.spinledger.external.TransientExternalException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Client of the Spotify Web API for ISRC look-ups (reference/external-apis.md section 3): a client-credentials
 * token from {@code POST <accounts>/api/token} (Basic auth, cached until a minute before {@code expires_in}), then
 * {@code GET <api>/v1/search?q=isrc:<ISRC>&type=track&limit=1} with the Bearer token. HTTP 401 renews the token
 * once; 429 waits {@code Retry-After} (1 s when absent) once when that is at most {@code maxRetryAfterMs}, else
 * fails transiently. Every call is one {@link HttpExchange}. Thread-safe.
 *
 * <p>Failures: 429 beyond the wait, 5xx, timeouts throw {@link TransientExternalException}; 400, 403, a rejected
 * client (token 400/401) and unreadable bodies throw {@link ExternalServiceException}.
 */
public final class SpotifyClient {
    /** Provenance value of fields Spotify supplied. */
    public static final String SOURCE = "SPOTIFY";
    private static final String SERVICE = "Spotify";
    private final Settings.Spotify settings;
    private final HttpExchange exchange;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    /** A client with its own HTTP client ({@code timeoutMs}) on the system clock. */
    public SpotifyClient(Settings.Spotify settings) {
        this(settings, HttpExchange.client(Duration.ofMillis(settings.timeoutMs())), Clock.systemUTC());
    }

    /**
     * @param settings URLs, credentials, {@code maxRetryAfterMs}
     * @param http     HTTP client (its timeouts apply)
     * @param clock    token expiry clock
     */
    public SpotifyClient(Settings.Spotify settings, OkHttpClient http, Clock clock) {
        this(settings, http, clock, Sleeper.REAL);
    }

    /**
     * @param settings URLs, credentials, {@code maxRetryAfterMs}
     * @param http     HTTP client (its timeouts apply)
     * @param clock    token expiry clock
     * @param sleeper  how a {@code Retry-After} is waited out
     */
    public SpotifyClient(Settings.Spotify settings, OkHttpClient http, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.clock = clock;
        this.exchange = HttpExchange.builder(SERVICE).http(http)
                .retry(new RetryPolicy(2, Duration.ofSeconds(1), 1, 0, Duration.ofSeconds(1),
                        Duration.ofMillis(settings.maxRetryAfterMs()), e -> e.httpStatus() == 429))
                .sleeper(sleeper)
                .build();
    }

    /** Whether credentials are configured. */
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The first track Spotify has for an ISRC.
     *
     * @return title, artists, album with provenance {@value #SOURCE}; empty when Spotify has no such track
     */
    public Optional<Recording> lookupIsrc(Isrc isrc) {
        return search("isrc:" + isrc.value()).map(t -> toRecording(isrc.value(), t));
    }

    /**
     * Track search with any Spotify query ({@code isrc:...}, {@code track:... artist:...}).
     *
     * @return the first track object, or empty
     */
    public Optional<JsonNode> search(String query) {
        HttpUrl url = HttpUrl.get(base(settings.apiUrl()) + "/v1/search").newBuilder()
                .addQueryParameter("q", query).addQueryParameter("type", "track")
                .addQueryParameter("limit", "1").build();
        JsonNode root = get(url, true);
        JsonNode items = root.path("tracks").path("items");
        return items.isArray() && !items.isEmpty() ? Optional.of(items.get(0)) : Optional.empty();
    }

    /**
     * A track of a Spotify album (simplified track object: no ISRC).
     *
     * @param disc       disc number
     * @param number     track number on the disc
     * @param name       title
     * @param artists    artist names
     * @param durationMs length, ms
     * @param id         Spotify track id
     */
    public record AlbumTrack(int disc, int number, String name, List<String> artists, long durationMs, String id) {
        public AlbumTrack {
            artists = List.copyOf(artists);
        }
    }

    /**
     * An album with its tracks.
     *
     * @param id     Spotify album id
     * @param name   album title
     * @param tracks tracks in order (first page, up to 50)
     */
    public record Album(String id, String name, List<AlbumTrack> tracks) {
        public Album {
            tracks = List.copyOf(tracks);
        }
    }

    /**
     * The first album Spotify finds by name, with its tracks: {@code GET /v1/search?q=album:<name>&type=album&limit=1},
     * then {@code GET /v1/albums/<id>/tracks?limit=50}.
     *
     * @return the album, or empty when the search finds none
     * @throws TransientExternalException / ExternalServiceException as {@link #search}
     */
    public Optional<Album> findAlbum(String name) {
        HttpUrl url = HttpUrl.get(base(settings.apiUrl()) + "/v1/search").newBuilder()
                .addQueryParameter("q", "album:" + name).addQueryParameter("type", "album")
                .addQueryParameter("limit", "1").build();
        JsonNode items = get(url, true).path("albums").path("items");
        if (!items.isArray() || items.isEmpty()) {
            return Optional.empty();
        }
        JsonNode album = items.get(0);
        String id = album.path("id").asText();
        HttpUrl tracksUrl = HttpUrl.get(base(settings.apiUrl()) + "/v1/albums").newBuilder().addPathSegment(id)
                .addPathSegment("tracks").addQueryParameter("limit", "50").build();
        List<AlbumTrack> tracks = new ArrayList<>();
        for (JsonNode t : get(tracksUrl, true).path("items")) {
            List<String> artists = new ArrayList<>();
            t.path("artists").forEach(a -> artists.add(a.path("name").asText()));
            tracks.add(new AlbumTrack(t.path("disc_number").asInt(1), t.path("track_number").asInt(tracks.size() + 1),
                    t.path("name").asText(), artists, t.path("duration_ms").asLong(), t.path("id").asText(null)));
        }
        return Optional.of(new Album(id, album.path("name").asText(name), tracks));
    }

    /** GET with the Bearer token; a 401 renews the token and tries once more when {@code mayRenew}. */
    JsonNode get(HttpUrl url, boolean mayRenew) {
        String bearer = "Bearer " + token();
        try {
            return exchange.execute(() -> new Request.Builder().url(url).get().header("Authorization", bearer).build(),
                    HttpExchange.Reply::jsonObject);
        } catch (ExternalServiceException e) {
            if (e.httpStatus() == 401 && mayRenew) {
                invalidate();
                return get(url, false);
            }
            throw e;
        }
    }

    private synchronized String token() {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        JsonNode n = exchange.execute(() -> new Request.Builder().url(base(settings.accountsUrl()) + "/api/token")
                        .header("Authorization", "Basic " + basic)
                        .post(new FormBody.Builder().add("grant_type", "client_credentials").build()).build(),
                HttpExchange.Reply::jsonObject,
                reply -> {
                    throw new ExternalServiceException(SERVICE, reply.status(), "client credentials refused (check "
                            + "SPOTIFY_CLIENT_ID/SPOTIFY_CLIENT_SECRET): " + reply.body(), null);
                });
        token = n.path("access_token").asText(null);
        if (token == null) {
            throw new ExternalServiceException(SERVICE, 200, "token response without access_token", null);
        }
        tokenExpires = clock.instant().plusSeconds(Math.max(0, n.path("expires_in").asLong(3600) - 60));
        return token;
    }

    private synchronized void invalidate() {
        token = null;
    }

    static Recording toRecording(String isrc, JsonNode t) {
        List<String> artists = new ArrayList<>();
        t.path("artists").forEach(a -> artists.add(a.path("name").asText()));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("isrc", SOURCE);
        String title = t.hasNonNull("name") ? t.get("name").asText() : null;
        if (title != null) {
            p.put("title", SOURCE);
        }
        if (!artists.isEmpty()) {
            p.put("artists", SOURCE);
        }
        String album = t.path("album").hasNonNull("name") ? t.path("album").get("name").asText() : null;
        if (album != null) {
            p.put("album", SOURCE);
        }
        return new Recording(isrc, title, artists, album, null, null, null, List.of(), p);
    }

    /**
     * A base URL without its trailing slash, so paths can be appended ({@code "https://x/"} -> {@code "https://x"}).
     */
    public static String base(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
