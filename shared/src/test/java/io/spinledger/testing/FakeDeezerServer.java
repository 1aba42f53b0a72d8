package io.spinledger.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spinledger.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for Deezer's {@code GET /track/isrc:<ISRC>} in the real shapes (reference/external-apis.md
 * section 3): a track object for a known ISRC; for an unknown one HTTP 200 with
 * {@code {"error":{"type":"DataException","message":"no data","code":800}}}; when throttled
 * ({@link #throttleNext}) HTTP 200 with {@code {"error":{"type":"Exception","message":"Quota limit exceeded",
 * "code":4}}}; and a garbage body on demand.
 */
public final class FakeDeezerServer implements AutoCloseable {
    private final Map<String, Map<String, Object>> tracks = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger throttle = new AtomicInteger();
    private final AtomicInteger garbage = new AtomicInteger();
    private HttpServer server;

    /** Starts on a free loopback port. */
    public FakeDeezerServer start() {
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

    /** The DEEZER_BASE_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a track ({@code duration} in seconds, as Deezer sends it). */
    public FakeDeezerServer addTrack(String isrc, String title, String artist, String album, int durationSeconds) {
        Map<String, Object> t = new LinkedHashMap<>();
        long id = Math.abs((long) isrc.hashCode());
        t.put("id", id);
        t.put("readable", true);
        t.put("title", title);
        t.put("title_short", title);
        t.put("title_version", "");
        t.put("isrc", isrc);
        t.put("link", "https://www.deezer.com/track/" + id);
        t.put("duration", durationSeconds);
        t.put("track_position", 1);
        t.put("disk_number", 1);
        t.put("rank", 500000);
        t.put("release_date", "2016-01-01");
        t.put("explicit_lyrics", false);
        t.put("bpm", 120.0);
        t.put("gain", -8.2);
        t.put("contributors", List.of(Map.of("id", 75798, "name", artist, "role", "Main")));
        t.put("artist", Map.of("id", 75798, "name", artist, "type", "artist"));
        t.put("album", Map.of("id", 11483764, "title", album, "type", "album"));
        t.put("type", "track");
        tracks.put(isrc, t);
        return this;
    }

    /** The next {@code n} requests get the quota error (HTTP 200, code 4). */
    public FakeDeezerServer throttleNext(int n) {
        throttle.set(n);
        return this;
    }

    /** The next {@code n} requests get a body that is not JSON. */
    public FakeDeezerServer garbageNext(int n) {
        garbage.set(n);
        return this;
    }

    /** Requests received. */
    public int requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            Object body;
            if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                body = Map.of("error", Map.of("type", "Exception", "message", "Quota limit exceeded", "code", 4));
            } else if (garbage.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                byte[] bytes = "<html>502 Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
                return;
            } else if (path.startsWith("/track/isrc:") && tracks.containsKey(path.substring("/track/isrc:".length()))) {
                body = tracks.get(path.substring("/track/isrc:".length()));
            } else {
                body = Map.of("error", Map.of("type", "DataException", "message", "no data", "code", 800));
            }
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
