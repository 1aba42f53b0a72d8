package io.spinledger.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spinledger.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Spotify's accounts service and Web API search, in their real shapes
 * (reference/external-apis.md section 3): {@code POST /api/token} checks {@code grant_type=client_credentials} and
 * the Basic credentials ({@code 400 {"error":"invalid_client"}} otherwise) and issues a Bearer token;
 * {@code GET /v1/search?q=isrc:..&type=track} needs a valid token (401 otherwise), answers a paging object of
 * tracks, and can be made to answer 429 with {@code Retry-After} ({@link #throttleNext}) or 500;
 * {@code GET /v1/search?q=album:<name>&type=album} answers a paging object of simplified albums (name matched
 * case-insensitively) and {@code GET /v1/albums/<id>/tracks} a paging object of simplified tracks (no ISRC).
 */
public final class FakeSpotifyServer implements AutoCloseable {
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Map<String, Object>> tracks = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> albums = new ConcurrentHashMap<>();
    private final Map<String, List<Object>> albumTracks = new ConcurrentHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger searches = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger throttle = new AtomicInteger();
    private final AtomicInteger fail = new AtomicInteger();
    private volatile int retryAfterSeconds = 1;
    private HttpServer server;

    /** A fake that accepts one client. */
    public FakeSpotifyServer(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** Starts on a free loopback port. */
    public FakeSpotifyServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return this;
    }

    /** Base URL for both SPOTIFY_ACCOUNTS_URL and SPOTIFY_API_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a track. */
    public FakeSpotifyServer addTrack(String isrc, String name, String artist, String album) {
        Map<String, Object> t = new LinkedHashMap<>();
        String id = UUID.nameUUIDFromBytes(isrc.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "")
                .substring(0, 22);
        t.put("album", Map.of("album_type", "album", "total_tracks", 10, "id", id, "name", album,
                "release_date", "2016", "release_date_precision", "year", "type", "album", "uri", "spotify:album:" + id));
        t.put("artists", List.of(Map.of("id", "a" + id.substring(1), "name", artist, "type", "artist")));
        t.put("duration_ms", 215_000);
        t.put("explicit", false);
        t.put("external_ids", Map.of("isrc", isrc));
        t.put("id", id);
        t.put("name", name);
        t.put("track_number", 1);
        t.put("disc_number", 1);
        t.put("is_local", false);
        t.put("type", "track");
        t.put("uri", "spotify:track:" + id);
        tracks.put(isrc, t);
        return this;
    }

    /**
     * Adds an album (e.g. a film soundtrack) with its track titles, all credited to one artist, 3 minutes each.
     *
     * @return the album's Spotify id
     */
    public String addAlbum(String name, String artist, String... trackNames) {
        String id = UUID.nameUUIDFromBytes(("album:" + name).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").substring(0, 22);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("album_type", "compilation");
        a.put("total_tracks", trackNames.length);
        a.put("id", id);
        a.put("name", name);
        a.put("release_date", "1994");
        a.put("release_date_precision", "year");
        a.put("artists", List.of(Map.of("id", "a" + id.substring(1), "name", artist, "type", "artist")));
        a.put("type", "album");
        a.put("uri", "spotify:album:" + id);
        albums.put(id, a);
        List<Object> items = new java.util.ArrayList<>();
        for (int i = 0; i < trackNames.length; i++) {
            String tid = UUID.nameUUIDFromBytes((id + ":" + i).getBytes(StandardCharsets.UTF_8)).toString()
                    .replace("-", "").substring(0, 22);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("artists", List.of(Map.of("id", "a" + id.substring(1), "name", artist, "type", "artist")));
            t.put("disc_number", 1);
            t.put("duration_ms", 180_000);
            t.put("explicit", false);
            t.put("id", tid);
            t.put("name", trackNames[i]);
            t.put("track_number", i + 1);
            t.put("type", "track");
            t.put("uri", "spotify:track:" + tid);
            t.put("is_local", false);
            items.add(t);
        }
        albumTracks.put(id, items);
        return id;
    }

    /** The next {@code n} searches get 429 with {@code Retry-After: seconds}. */
    public FakeSpotifyServer throttleNext(int n, int seconds) {
        retryAfterSeconds = seconds;
        throttle.set(n);
        return this;
    }

    /** The next {@code n} searches get HTTP 500. */
    public FakeSpotifyServer failNext(int n) {
        fail.set(n);
        return this;
    }

    /** Revokes every issued token (the next search gets 401). */
    public void revokeTokens() {
        tokens.clear();
    }

    /** Search requests received. */
    public int searchCount() {
        return searches.get();
    }

    /** Token requests received. */
    public int tokenCount() {
        return tokenRequests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("/api/token") && ex.getRequestMethod().equals("POST")) {
                tokenRequests.incrementAndGet();
                String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                        .getBytes(StandardCharsets.UTF_8));
                if (!body.contains("grant_type=client_credentials")) {
                    reply(ex, 400, Map.of("error", "unsupported_grant_type"));
                } else if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    reply(ex, 400, Map.of("error", "invalid_client", "error_description", "Invalid client"));
                } else {
                    String token = UUID.randomUUID().toString();
                    tokens.add(token);
                    reply(ex, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 3600));
                }
                return;
            }
            if (path.equals("/v1/search")) {
                searches.incrementAndGet();
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                    reply(ex, 401, Map.of("error", Map.of("status", 401, "message", "Invalid access token")));
                    return;
                }
                if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                    reply(ex, 429, Map.of("error", Map.of("status", 429, "message", "API rate limit exceeded")));
                    return;
                }
                if (fail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    reply(ex, 500, Map.of("error", Map.of("status", 500, "message", "Server error")));
                    return;
                }
                Map<String, String> q = query(ex.getRequestURI().getRawQuery());
                String query = q.getOrDefault("q", "");
                if ("album".equals(q.get("type")) && !query.isBlank()) {
                    String name = query.startsWith("album:") ? query.substring(6).replace("\"", "").trim() : query;
                    List<Object> found = albums.values().stream()
                            .filter(a -> ((String) a.get("name")).equalsIgnoreCase(name)).map(a -> (Object) a).toList();
                    reply(ex, 200, Map.of("albums", page("/v1/search", found)));
                    return;
                }
                if (!"track".equals(q.get("type")) || query.isBlank()) {
                    reply(ex, 400, Map.of("error", Map.of("status", 400, "message", "Bad search type field")));
                    return;
                }
                List<Object> items = query.startsWith("isrc:") && tracks.containsKey(query.substring(5).toUpperCase())
                        ? List.of(tracks.get(query.substring(5).toUpperCase())) : List.of();
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("href", baseUrl() + "/v1/search");
                page.put("limit", 1);
                page.put("next", null);
                page.put("offset", 0);
                page.put("previous", null);
                page.put("total", items.size());
                page.put("items", items);
                reply(ex, 200, Map.of("tracks", page));
                return;
            }
            if (path.startsWith("/v1/albums/") && path.endsWith("/tracks")) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                    reply(ex, 401, Map.of("error", Map.of("status", 401, "message", "Invalid access token")));
                    return;
                }
                String id = path.substring("/v1/albums/".length(), path.length() - "/tracks".length());
                List<Object> items = albumTracks.get(id);
                if (items == null) {
                    reply(ex, 400, Map.of("error", Map.of("status", 400, "message", "invalid id")));
                    return;
                }
                reply(ex, 200, page(path, items));
                return;
            }
            reply(ex, 404, Map.of("error", Map.of("status", 404, "message", "Service not found")));
        }
    }

    private Map<String, Object> page(String path, List<Object> items) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("href", baseUrl() + path);
        page.put("limit", 50);
        page.put("next", null);
        page.put("offset", 0);
        page.put("previous", null);
        page.put("total", items.size());
        page.put("items", items);
        return page;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                out.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
