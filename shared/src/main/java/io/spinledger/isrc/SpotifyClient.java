package io.spinledger.isrc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Client of the Spotify Web API for ISRC look-ups (reference/external-apis.md section 3): a client-credentials
 * token from {@code POST <accounts>/api/token} (Basic auth, cached until a minute before {@code expires_in}), then
 * {@code GET <api>/v1/search?q=isrc:<ISRC>&type=track&limit=1} with the Bearer token. HTTP 401 renews the token
 * once; 429 waits {@code Retry-After} seconds once when that is at most {@code maxRetryAfterMs}, else fails
 * transiently. Thread-safe.
 *
 * <p>Failures: 429 beyond the wait, 5xx, timeouts throw {@link TransientExternalException}; 400, 403, a rejected
 * client (token 400/401) and unreadable bodies throw {@link ExternalServiceException}.
 */
public final class SpotifyClient {
    /** Provenance value of fields Spotify supplied. */
    public static final String SOURCE = "SPOTIFY";
    private static final String SERVICE = "Spotify";
    private final Settings.Spotify settings;
    private final OkHttpClient http;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    /** A client with its own HTTP client ({@code timeoutMs}) on the system clock. */
    public SpotifyClient(Settings.Spotify settings) {
        this(settings, new OkHttpClient.Builder().callTimeout(settings.timeoutMs(), TimeUnit.MILLISECONDS).build(),
                Clock.systemUTC());
    }

    /**
     * @param settings URLs, credentials, {@code maxRetryAfterMs}
     * @param http     HTTP client (its timeouts apply)
     * @param clock    token expiry clock
     */
    public SpotifyClient(Settings.Spotify settings, OkHttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
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
        JsonNode root = get(url, true, true);
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
        JsonNode items = get(url, true, true).path("albums").path("items");
        if (!items.isArray() || items.isEmpty()) {
            return Optional.empty();
        }
        JsonNode album = items.get(0);
        String id = album.path("id").asText();
        HttpUrl tracksUrl = HttpUrl.get(base(settings.apiUrl()) + "/v1/albums").newBuilder().addPathSegment(id)
                .addPathSegment("tracks").addQueryParameter("limit", "50").build();
        List<AlbumTrack> tracks = new ArrayList<>();
        for (JsonNode t : get(tracksUrl, true, true).path("items")) {
            List<String> artists = new ArrayList<>();
            t.path("artists").forEach(a -> artists.add(a.path("name").asText()));
            tracks.add(new AlbumTrack(t.path("disc_number").asInt(1), t.path("track_number").asInt(tracks.size() + 1),
                    t.path("name").asText(), artists, t.path("duration_ms").asLong(), t.path("id").asText(null)));
        }
        return Optional.of(new Album(id, album.path("name").asText(name), tracks));
    }

    /** GET with the Bearer token. */
    JsonNode get(HttpUrl url, boolean mayRenew, boolean mayWait) {
        Request req = new Request.Builder().url(url).get().header("Authorization", "Bearer " + token()).build();
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            int code = r.code();
            if (code == 200) {
                return parse(body, code);
            }
            if (code == 401 && mayRenew) {
                invalidate();
                return get(url, false, mayWait);
            }
            if (code == 429) {
                long waitMs = retryAfterMs(r.header("Retry-After"));
                if (mayWait && waitMs <= settings.maxRetryAfterMs()) {
                    sleep(waitMs);
                    return get(url, mayRenew, false);
                }
                throw new TransientExternalException(SERVICE, "HTTP 429 rate limited, Retry-After "
                        + r.header("Retry-After") + " s", null);
            }
            if (code >= 500) {
                throw new TransientExternalException(SERVICE, "HTTP " + code + " from " + url.encodedPath(), null);
            }
            throw new ExternalServiceException(SERVICE, code, "HTTP " + code + ": " + errorOf(body), null);
        } catch (InterruptedIOException e) {
            throw new TransientExternalException(SERVICE, "timeout calling " + url.encodedPath(), e);
        } catch (IOException e) {
            throw new TransientExternalException(SERVICE, "I/O error: " + e.getMessage(), e);
        }
    }

    private synchronized String token() {
        if (token != null && clock.instant().isBefore(tokenExpires)) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        Request req = new Request.Builder().url(base(settings.accountsUrl()) + "/api/token")
                .header("Authorization", "Basic " + basic)
                .post(new FormBody.Builder().add("grant_type", "client_credentials").build()).build();
        try (Response r = http.newCall(req).execute()) {
            String body = r.body().string();
            if (r.code() >= 500 || r.code() == 429) {
                throw new TransientExternalException(SERVICE, "token service HTTP " + r.code(), null);
            }
            if (r.code() != 200) {
                throw new ExternalServiceException(SERVICE, r.code(), "client credentials refused (check "
                        + "SPOTIFY_CLIENT_ID/SPOTIFY_CLIENT_SECRET): " + body, null);
            }
            JsonNode n = parse(body, r.code());
            token = n.path("access_token").asText(null);
            if (token == null) {
                throw new ExternalServiceException(SERVICE, 200, "token response without access_token", null);
            }
            tokenExpires = clock.instant().plusSeconds(Math.max(0, n.path("expires_in").asLong(3600) - 60));
            return token;
        } catch (InterruptedIOException e) {
            throw new TransientExternalException(SERVICE, "timeout calling the token service", e);
        } catch (IOException e) {
            throw new TransientExternalException(SERVICE, "I/O error calling the token service: " + e.getMessage(), e);
        }
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

    private static JsonNode parse(String body, int code) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ExternalServiceException(SERVICE, code, "not a JSON object", null);
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ExternalServiceException(SERVICE, code, "unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n.path("error").path("message").asText(body);
        } catch (JsonProcessingException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    private static long retryAfterMs(String header) {
        try {
            return header == null ? 1_000 : Math.max(0, Long.parseLong(header.trim())) * 1_000;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientExternalException(SERVICE, "interrupted while honouring Retry-After", e);
        }
    }

    static String base(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
