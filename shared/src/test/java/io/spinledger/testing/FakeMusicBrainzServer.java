package io.spinledger.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A local stand-in for MusicBrainz WS/2 that serves {@code /ws/2/isrc/<ISRC>}, {@code /ws/2/recording/<mbid>},
 * {@code /ws/2/work/<mbid>} (with its attributes, e.g. {@code "ASCAP ID"}), {@code /ws/2/release/<mbid>} and the
 * URL lookup {@code /ws/2/url?resource=<url>&inc=release-rels} in the real JSON shapes from registered fixtures, and checks what the real
 * service checks (reference/external-apis.md section 2), in this order:
 * <ol>
 *   <li>User-Agent of the form {@code Name/version ( contact )}, else HTTP 403;</li>
 *   <li>at most one request per {@code minInterval} per client address, else HTTP 503 (the request still counts);</li>
 *   <li>requests forced to fail with {@link #throttleNext}: HTTP 503;</li>
 *   <li>an ISRC not matching {@code ^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$} as sent (no upper-casing): HTTP 400
 *       {@code {"error":"Invalid isrc.","help":...}}; an unknown ISRC or MBID: HTTP 404
 *       {@code {"error":"Not Found","help":...}}.</li>
 * </ol>
 * {@code inc} is honoured: artist credits, ISRCs, work relations, work-level artist relations and the work's
 * artist relations appear only when asked for. The 403 and 503 bodies are this fake's own text (the real ones
 * are not documented). Reusable from other modules' tests through shared's test-jar.
 */
public final class FakeMusicBrainzServer implements AutoCloseable {
    private static final String HELP = "For usage, please see: https://musicbrainz.org/development/mmd";
    private static final Pattern ISRC = Pattern.compile("^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$");
    private static final Pattern MBID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final Pattern USER_AGENT = Pattern.compile("^\\S.*/\\S+ \\( \\S.* \\)$");
    private static final Map<String, String> WRITER_TYPE_IDS = Map.of(
            "composer", "d59d99ea-23d4-4a80-b066-edca32ee158f",
            "lyricist", "3e48faba-ec01-47fd-8e89-30e81161661c",
            "writer", "a255bca1-b157-4518-9108-7b147dc3fc68",
            "librettist", "7474ab81-486f-40b5-8685-3a4f8ea624cb");

    private final long minIntervalNanos;
    private final Map<String, List<String>> recordingsByIsrc = new ConcurrentHashMap<>();
    private final Map<String, RecordingFixture> recordings = new ConcurrentHashMap<>();
    private final Map<String, WorkFixture> works = new ConcurrentHashMap<>();
    private final Map<String, Long> lastArrivalByClient = new HashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger forcedThrottles = new AtomicInteger();
    private HttpServer server;

    /**
     * One request as the fake saw it.
     *
     * @param path         request path
     * @param query        raw query or null
     * @param userAgent    User-Agent header or null
     * @param status       HTTP status answered
     * @param arrivalNanos {@link System#nanoTime()} when the request arrived
     */
    public record Seen(String path, String query, String userAgent, int status, long arrivalNanos) {
    }

    /** A writer relation of a work: an artist related to the work by {@code type} (composer, lyricist...). */
    public record WriterFixture(String artistMbid, String name, String type) {
    }

    private record RecordingFixture(String mbid, String title, String artist, String artistMbid, Long lengthMs,
                                    List<String> isrcs, String workMbid) {
    }

    private record WorkFixture(String mbid, String title, List<String> iswcs, List<WriterFixture> writers,
                               Map<String, String> attributes) {
    }

    private record ReleaseFixture(String mbid, String title, String date, List<String> recordingMbids) {
    }

    /** Work attribute type ids confirmed in MusicBrainz's test database (reference/external-apis.md section 2). */
    private static final Map<String, String> ATTRIBUTE_TYPE_IDS = Map.of(
            "ASCAP ID", "d833318c-6c6a-370e-8b16-9cb15873ba76",
            "BMI ID", "c8ac7e55-fd45-3002-9f89-e8b43911a479",
            "JASRAC ID", "31048fcc-3dbb-3979-8f85-805afb933e0c");

    private final Map<String, ReleaseFixture> releases = new ConcurrentHashMap<>();
    private final Map<String, List<String>> releasesByUrl = new ConcurrentHashMap<>();

    /** A fake that allows 1 request per second per client, as musicbrainz.org does. */
    public FakeMusicBrainzServer() {
        this(Duration.ofSeconds(1));
    }

    /** A fake that allows 1 request per {@code minInterval} per client (shorter intervals keep tests fast). */
    public FakeMusicBrainzServer(Duration minInterval) {
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Starts listening on a free loopback port. */
    public FakeMusicBrainzServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fake MusicBrainz", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:<port>}, to use as {@code MUSICBRAINZ_BASE_URL}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Stops the server. */
    public void stop() {
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** How many HTTP requests reached the fake (answered or refused). */
    public int requestCount() {
        return requests.get();
    }

    /** The requests seen so far, in arrival order. */
    public List<Seen> requests() {
        return Collections.unmodifiableList(seen);
    }

    /** Answers the next {@code n} otherwise acceptable requests with 503, as an overloaded service does. */
    public FakeMusicBrainzServer throttleNext(int n) {
        forcedThrottles.set(n);
        return this;
    }

    /**
     * Registers a recording reachable by its ISRCs.
     *
     * @param recordingMbid recording MBID (lower-case UUID)
     * @param lengthMs      length in ms or null
     * @param workMbid      MBID of the work it performs, or null
     * @param isrcs         ISRCs in normalised form
     */
    public FakeMusicBrainzServer addRecording(String recordingMbid, String title, String artist, Long lengthMs,
                                              String workMbid, String... isrcs) {
        String artistMbid = uuidFor("artist:" + artist);
        recordings.put(recordingMbid, new RecordingFixture(recordingMbid, title, artist, artistMbid, lengthMs,
                List.of(isrcs), workMbid));
        for (String isrc : isrcs) {
            recordingsByIsrc.computeIfAbsent(isrc, k -> new CopyOnWriteArrayList<>()).add(recordingMbid);
        }
        return this;
    }

    /** Registers a work with its ISWCs and writer relations. */
    public FakeMusicBrainzServer addWork(String workMbid, String title, List<String> iswcs, WriterFixture... writers) {
        return addWork(workMbid, title, iswcs, Map.of(), writers);
    }

    /**
     * Registers a work with its ISWCs, attributes (type -> value, e.g. {@code "ASCAP ID" -> "880123456"},
     * {@code "PRS tune code" -> "123456AB"}) and writer relations.
     */
    public FakeMusicBrainzServer addWork(String workMbid, String title, List<String> iswcs,
                                         Map<String, String> attributes, WriterFixture... writers) {
        works.put(workMbid, new WorkFixture(workMbid, title, List.copyOf(iswcs), List.of(writers),
                new LinkedHashMap<>(attributes)));
        return this;
    }

    /**
     * Registers a release of registered recordings (one medium, in order), optionally related to a URL such as a
     * film's IMDb page ({@code https://www.imdb.com/title/tt0110357/}) so the URL lookup finds it.
     *
     * @param linkedUrl URL the release is related to, or null
     */
    public FakeMusicBrainzServer addRelease(String releaseMbid, String title, String date, String linkedUrl,
                                            String... recordingMbids) {
        releases.put(releaseMbid, new ReleaseFixture(releaseMbid, title, date, List.of(recordingMbids)));
        if (linkedUrl != null) {
            releasesByUrl.computeIfAbsent(linkedUrl, k -> new CopyOnWriteArrayList<>()).add(releaseMbid);
        }
        return this;
    }

    /** A writer relation with a derived artist MBID. */
    public static WriterFixture writer(String name, String type) {
        return new WriterFixture(uuidFor("artist:" + name), name, type);
    }

    /** A stable lower-case UUID derived from a seed, for fixture MBIDs. */
    public static String uuidFor(String seed) {
        return java.util.UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        long arrival = System.nanoTime();
        requests.incrementAndGet();
        try (ex) {
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            String ua = ex.getRequestHeaders().getFirst("User-Agent");
            Reply reply = route(ex, path, query, ua, arrival);
            seen.add(new Seen(path, query, ua, reply.status(), arrival));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private record Reply(int status, String body) {
    }

    private Reply route(HttpExchange ex, String path, String query, String ua, long arrival) {
        if (ua == null || !USER_AGENT.matcher(ua).matches()) {
            return error(403, "User-Agent must be \"Application name/<version> ( contact-url or contact-email )\"");
        }
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        synchronized (lastArrivalByClient) {
            Long last = lastArrivalByClient.put(client, arrival);
            if (last != null && arrival - last < minIntervalNanos) {
                return error(503, "Your requests are exceeding the allowable rate limit ("
                        + TimeUnit.NANOSECONDS.toMillis(minIntervalNanos) + " ms between requests).");
            }
        }
        if (forcedThrottles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return error(503, "The server is overloaded; please try again later.");
        }
        if (!"GET".equals(ex.getRequestMethod())) {
            return error(405, "Method not allowed");
        }
        Set<String> inc = incOf(query);
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[1].equals("ws") && parts[2].equals("2") && parts[3].equals("url")) {
            return url(paramOf(query, "resource"), inc);
        }
        if (parts.length != 5 || !parts[1].equals("ws") || !parts[2].equals("2")) {
            return error(404, "Not Found");
        }
        String id = parts[4];
        return switch (parts[3]) {
            case "isrc" -> isrc(id, inc);
            case "recording" -> MBID.matcher(id).matches() ? recording(id, inc) : error(400, "Invalid mbid.");
            case "work" -> MBID.matcher(id).matches() ? work(id, inc) : error(400, "Invalid mbid.");
            case "release" -> MBID.matcher(id).matches() ? release(id, inc) : error(400, "Invalid mbid.");
            default -> error(404, "Not Found");
        };
    }

    private Reply isrc(String isrc, Set<String> inc) {
        if (!ISRC.matcher(isrc).matches()) {
            return error(400, "Invalid isrc.");
        }
        List<String> ids = recordingsByIsrc.get(isrc);
        if (ids == null || ids.isEmpty()) {
            return error(404, "Not Found");
        }
        List<Object> recs = new ArrayList<>();
        for (String id : ids) {
            recs.add(recordingJson(recordings.get(id), inc.contains("artist-credits"), false, false, false));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("isrc", isrc);
        root.put("recordings", recs);
        return new Reply(200, Json.write(root));
    }

    private Reply recording(String mbid, Set<String> inc) {
        RecordingFixture r = recordings.get(mbid);
        if (r == null) {
            return error(404, "Not Found");
        }
        return new Reply(200, Json.write(recordingJson(r, inc.contains("artist-credits"), inc.contains("isrcs"),
                inc.contains("work-rels"), inc.contains("work-level-rels") && inc.contains("artist-rels"))));
    }

    private Reply work(String mbid, Set<String> inc) {
        WorkFixture w = works.get(mbid);
        if (w == null) {
            return error(404, "Not Found");
        }
        return new Reply(200, Json.write(workJson(w, inc.contains("artist-rels"))));
    }

    private Reply url(String resource, Set<String> inc) {
        if (resource == null || resource.isBlank()) {
            return error(400, "Invalid resource.");
        }
        List<String> linked = releasesByUrl.get(resource);
        if (linked == null || linked.isEmpty()) {
            return error(404, "Not Found");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", uuidFor("url:" + resource));
        m.put("resource", resource);
        if (inc.contains("release-rels")) {
            List<Object> rels = new ArrayList<>();
            for (String id : linked) {
                ReleaseFixture r = releases.get(id);
                Map<String, Object> release = new LinkedHashMap<>();
                release.put("id", r.mbid());
                release.put("title", r.title());
                release.put("disambiguation", "");
                release.put("status", "Official");
                release.put("date", r.date());
                release.put("country", "XW");
                release.put("barcode", null);
                release.put("packaging", null);
                rels.add(relation("IMDb", uuidFor("type:release-imdb"), "backward", "release", release));
            }
            m.put("relations", rels);
        }
        return new Reply(200, Json.write(m));
    }

    private Reply release(String mbid, Set<String> inc) {
        ReleaseFixture r = releases.get(mbid);
        if (r == null) {
            return error(404, "Not Found");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.mbid());
        m.put("title", r.title());
        m.put("disambiguation", "");
        m.put("status", "Official");
        m.put("quality", "normal");
        m.put("date", r.date());
        m.put("country", "XW");
        m.put("barcode", null);
        m.put("packaging", null);
        Map<String, Object> medium = new LinkedHashMap<>();
        medium.put("position", 1);
        medium.put("title", "");
        medium.put("format", "Digital Media");
        medium.put("track-count", r.recordingMbids().size());
        medium.put("track-offset", 0);
        if (inc.contains("recordings")) {
            List<Object> tracks = new ArrayList<>();
            int position = 0;
            for (String recId : r.recordingMbids()) {
                RecordingFixture rec = recordings.get(recId);
                position++;
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("id", uuidFor("track:" + mbid + ":" + position));
                t.put("number", Integer.toString(position));
                t.put("position", position);
                t.put("title", rec.title());
                t.put("length", rec.lengthMs());
                Map<String, Object> recJson = recordingJson(rec, inc.contains("artist-credits"),
                        inc.contains("isrcs"), false, false);
                if (recJson.containsKey("artist-credit")) {
                    t.put("artist-credit", recJson.get("artist-credit"));
                }
                t.put("recording", recJson);
                tracks.add(t);
            }
            medium.put("tracks", tracks);
        }
        m.put("media", List.of(medium));
        return new Reply(200, Json.write(m));
    }

    private Map<String, Object> recordingJson(RecordingFixture r, boolean credits, boolean isrcs, boolean workRels,
                                              boolean workLevelRels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.mbid());
        m.put("title", r.title());
        m.put("length", r.lengthMs());
        m.put("disambiguation", "");
        m.put("video", false);
        m.put("first-release-date", "1999-06-21");
        if (credits) {
            Map<String, Object> artist = new LinkedHashMap<>();
            artist.put("id", r.artistMbid());
            artist.put("name", r.artist());
            artist.put("sort-name", r.artist());
            artist.put("disambiguation", "");
            artist.put("type", "Group");
            artist.put("type-id", "e431f5f6-b5d2-343d-8b36-72607fffb74b");
            artist.put("country", null);
            m.put("artist-credit", List.of(Map.of("name", r.artist(), "joinphrase", "", "artist", artist)));
        }
        if (isrcs) {
            m.put("isrcs", r.isrcs());
        }
        if (workRels) {
            List<Object> rels = new ArrayList<>();
            WorkFixture w = r.workMbid() == null ? null : works.get(r.workMbid());
            if (r.workMbid() != null) {
                Map<String, Object> work = w != null ? workJson(w, workLevelRels)
                        : new LinkedHashMap<>(Map.of("id", r.workMbid(), "title", r.title(), "iswcs", List.of()));
                rels.add(relation("performance", "a3005666-a872-32c3-ad06-98af558e99b0", "forward", "work", work));
            }
            m.put("relations", rels);
        }
        return m;
    }

    private Map<String, Object> workJson(WorkFixture w, boolean artistRels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.mbid());
        m.put("title", w.title());
        m.put("disambiguation", "");
        m.put("type", "Song");
        m.put("type-id", "f061270a-2fd6-32f1-a641-f0f8676d14e6");
        m.put("iswcs", w.iswcs());
        m.put("language", "eng");
        m.put("languages", List.of("eng"));
        List<Object> attributes = new ArrayList<>();
        w.attributes().forEach((type, value) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("type", type);
            a.put("type-id", ATTRIBUTE_TYPE_IDS.getOrDefault(type, uuidFor("work-attribute-type:" + type)));
            a.put("value", value);
            attributes.add(a);
        });
        m.put("attributes", attributes);
        if (artistRels) {
            List<Object> rels = new ArrayList<>();
            for (WriterFixture wr : w.writers()) {
                Map<String, Object> artist = new LinkedHashMap<>();
                artist.put("id", wr.artistMbid());
                artist.put("name", wr.name());
                artist.put("sort-name", wr.name());
                artist.put("disambiguation", "");
                artist.put("type", "Person");
                rels.add(relation(wr.type(), WRITER_TYPE_IDS.getOrDefault(wr.type(), uuidFor("type:" + wr.type())),
                        "backward", "artist", artist));
            }
            m.put("relations", rels);
        }
        return m;
    }

    private static Map<String, Object> relation(String type, String typeId, String direction, String targetType,
                                                Object target) {
        Map<String, Object> rel = new LinkedHashMap<>();
        rel.put("type", type);
        rel.put("type-id", typeId);
        rel.put("direction", direction);
        rel.put("begin", null);
        rel.put("end", null);
        rel.put("ended", false);
        rel.put("attributes", List.of());
        rel.put("attribute-values", Map.of());
        rel.put("attribute-ids", Map.of());
        rel.put("target-type", targetType);
        rel.put("source-credit", "");
        rel.put("target-credit", "");
        rel.put(targetType, target);
        return rel;
    }

    private static String paramOf(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(kv.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Set<String> incOf(String query) {
        if (query == null) {
            return Set.of();
        }
        for (String kv : query.split("&")) {
            if (kv.startsWith("inc=")) {
                String value = java.net.URLDecoder.decode(kv.substring(4), StandardCharsets.UTF_8);
                return new java.util.HashSet<>(List.of(value.split("[+ ]")));
            }
        }
        return Set.of();
    }

    private static Reply error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("help", HELP);
        return new Reply(status, Json.write(body));
    }
}
