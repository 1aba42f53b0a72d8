package io.spinledger.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spinledger.external.acrcloud.AcrSignature;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for ACRCloud's identify API v1 ({@code POST /v1/identify}) that checks what the real service
 * checks and answers in its real JSON shapes (reference/external-apis.md section 1):
 * <ul>
 *   <li>not {@code multipart/form-data} -&gt; status 3002 "Invalid ContentType";</li>
 *   <li>a missing field, {@code sample_bytes} not equal to the sample's length, a {@code data_type} other than
 *       audio/fingerprint or a {@code signature_version} other than 1 -&gt; 3006 "Invalid parameters";</li>
 *   <li>an unknown {@code access_key} -&gt; 3001 "Missing/Invalid Access Key";</li>
 *   <li>a signature that is not Base64 HMAC-SHA1 of the string to sign under the secret -&gt; 3014 "Invalid signature".</li>
 * </ul>
 * A valid request is answered by the first queued answer ({@link #enqueue}), else by the first rule whose sample
 * predicate matches ({@link #answer}), else "No result" (1001). Every answer is HTTP 200 unless queued with
 * {@link #enqueueHttpStatus}. Usable from other modules' tests through shared's test-jar:
 * <pre>{@code
 * try (var acr = new FakeAcrCloudServer("key", "secret").start()) {
 *     acr.answer(FakeAcrCloudServer.any(), FakeAcrCloudServer.matchJson("acr1", "Title", "Artist", "GBAAA9900303", 95, 9040, 295000));
 *     // configure the client with host = acr.baseUrl()
 * }
 * }</pre>
 */
public final class FakeAcrCloudServer implements AutoCloseable {
    private static final Pattern DISPOSITION_NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern DISPOSITION_FILENAME = Pattern.compile("filename=\"([^\"]*)\"");
    private static final List<String> REQUIRED = List.of("access_key", "sample_bytes", "timestamp", "signature",
            "data_type", "signature_version");

    private final Map<String, String> secretsByKey = new LinkedHashMap<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Deque<Canned> queue = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** A canned HTTP answer, sent after {@code delayMs} (to provoke client timeouts). */
    private record Canned(int httpStatus, String body, long delayMs) {
        Canned(int httpStatus, String body) {
            this(httpStatus, body, 0);
        }
    }

    private record Rule(Predicate<byte[]> when, java.util.function.Function<byte[], String> body) {
    }

    /**
     * One request as the fake saw it.
     *
     * @param fields     text fields by name
     * @param sample     bytes of the {@code sample} part (empty when absent)
     * @param statusCode the ACRCloud status the fake answered with (-1 for a queued HTTP error)
     */
    public record Received(Map<String, String> fields, byte[] sample, int statusCode) {
    }

    /** A fake that knows one project. */
    public FakeAcrCloudServer(String accessKey, String accessSecret) {
        secretsByKey.put(accessKey, accessSecret);
    }

    /** Starts listening on a free loopback port. */
    public FakeAcrCloudServer start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fake ACRCloud", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return this;
    }

    /** {@code http://127.0.0.1:<port>}, to use as {@code ACRCLOUD_HOST}. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Stops the server. */
    public void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** How many HTTP requests reached the fake (valid or not). */
    public int requestCount() {
        return requests.get();
    }

    /** The requests seen so far, in order. */
    public List<Received> received() {
        return Collections.unmodifiableList(received);
    }

    /** Registers another project's credentials. */
    public synchronized FakeAcrCloudServer addProject(String accessKey, String accessSecret) {
        secretsByKey.put(accessKey, accessSecret);
        return this;
    }

    /** Answers valid requests whose sample matches {@code when} with this JSON body (rules checked in order). */
    public FakeAcrCloudServer answer(Predicate<byte[]> when, String jsonBody) {
        rules.add(new Rule(when, s -> jsonBody));
        return this;
    }

    /**
     * Answers valid requests with what {@code responder} computes from the sample bytes (e.g. a recogniser that
     * knows some songs and answers with the real play offset); a null answer falls through to the next rule.
     */
    public FakeAcrCloudServer answerWith(java.util.function.Function<byte[], String> responder) {
        rules.add(new Rule(s -> true, responder));
        return this;
    }

    /** Answers the next valid request with this JSON body (HTTP 200), before any rule. */
    public synchronized FakeAcrCloudServer enqueue(String jsonBody) {
        queue.add(new Canned(200, jsonBody));
        return this;
    }

    /** Answers the next valid request with this HTTP status and an empty body (e.g. 502). */
    public synchronized FakeAcrCloudServer enqueueHttpStatus(int httpStatus) {
        queue.add(new Canned(httpStatus, ""));
        return this;
    }

    /** Answers the next valid request only after {@code delayMs} (a client with a shorter timeout gives up). */
    public synchronized FakeAcrCloudServer enqueueSlow(long delayMs, String jsonBody) {
        queue.add(new Canned(200, jsonBody, delayMs));
        return this;
    }

    /** Drops every queued answer. */
    public synchronized FakeAcrCloudServer clearQueue() {
        queue.clear();
        return this;
    }

    /** A predicate matching every sample. */
    public static Predicate<byte[]> any() {
        return s -> true;
    }

    /** A predicate matching exactly these sample bytes. */
    public static Predicate<byte[]> sampleEquals(byte[] sample) {
        byte[] copy = sample.clone();
        return s -> Arrays.equals(s, copy);
    }

    /** The real "No result" body: {@code {"status":{"msg":"No result","code":1001,"version":"1.0"}}}. */
    public static String noResultJson() {
        return statusJson(1001, "No result");
    }

    /** A status-only body, e.g. {@code statusJson(3003, "Limit exceeded")}. */
    public static String statusJson(int code, String msg) {
        return Json.write(Map.of("status", Map.of("msg", msg, "code", code, "version", "1.0")));
    }

    /**
     * A single music match in the identify response shape.
     *
     * @param isrc may be null for {@code "external_ids": {}}
     */
    public static String matchJson(String acrid, String title, String artist, String isrc, int score,
                                   long playOffsetMs, long durationMs) {
        Map<String, Object> ids = new LinkedHashMap<>();
        if (isrc != null) {
            ids.put("isrc", isrc);
        }
        Map<String, Object> music = new LinkedHashMap<>();
        music.put("acrid", acrid);
        music.put("title", title);
        music.put("artists", List.of(Map.of("name", artist)));
        music.put("album", Map.of("name", title + " (Single)"));
        music.put("label", "Fake Label");
        music.put("release_date", "2015-10-23");
        music.put("duration_ms", durationMs);
        music.put("score", score);
        music.put("result_from", 3);
        music.put("play_offset_ms", playOffsetMs);
        music.put("db_begin_time_offset_ms", Math.max(0, playOffsetMs - 9280));
        music.put("db_end_time_offset_ms", playOffsetMs);
        music.put("sample_begin_time_offset_ms", 0);
        music.put("sample_end_time_offset_ms", 9280);
        music.put("external_ids", ids);
        music.put("external_metadata", Map.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("status", Map.of("msg", "Success", "code", 0, "version", "1.0"));
        root.put("result_type", 0);
        root.put("cost_time", 0.71);
        root.put("metadata", Map.of("timestamp_utc", "2026-05-01 10:00:00", "music", List.of(music)));
        return Json.write(root);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(ex.getRequestMethod()) || !"/v1/identify".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, "{\"error\":\"Not Found\"}");
                return;
            }
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            String boundary = boundary(contentType);
            if (boundary == null) {
                answerStatus(ex, Map.of(), new byte[0], 3002, "Invalid ContentType");
                return;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            byte[] sample;
            try {
                sample = parseMultipart(body, boundary, fields);
            } catch (RuntimeException e) {
                answerStatus(ex, fields, new byte[0], 3006, "Invalid parameters");
                return;
            }
            int code = validate(fields, sample);
            if (code != 0) {
                answerStatus(ex, fields, sample == null ? new byte[0] : sample, code, switch (code) {
                    case 3001 -> "Missing/Invalid Access Key";
                    case 3014 -> "Invalid signature";
                    default -> "Invalid parameters";
                });
                return;
            }
            Canned canned;
            synchronized (this) {
                canned = queue.poll();
            }
            if (canned == null) {
                String json = rules.stream().filter(r -> r.when().test(sample)).map(r -> r.body().apply(sample))
                        .filter(java.util.Objects::nonNull).findFirst().orElse(noResultJson());
                canned = new Canned(200, json);
            }
            int status = -1;
            if (canned.httpStatus() == 200) {
                status = statusCodeOf(canned.body());
            }
            received.add(new Received(Map.copyOf(fields), sample, status));
            if (canned.delayMs() > 0) {
                try {
                    Thread.sleep(canned.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply(ex, canned.httpStatus(), canned.body());
        }
    }

    private static int statusCodeOf(String json) {
        try {
            Object st = Json.read(json, Map.class).get("status");
            return st instanceof Map<?, ?> m && m.get("code") instanceof Number n ? n.intValue() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** 0 when valid, else the ACRCloud status code to answer. */
    private int validate(Map<String, String> fields, byte[] sample) {
        if (sample == null || REQUIRED.stream().anyMatch(f -> fields.get(f) == null)) {
            return fields.get("access_key") == null ? 3001 : 3006;
        }
        String secret;
        synchronized (this) {
            secret = secretsByKey.get(fields.get("access_key"));
        }
        if (secret == null) {
            return 3001;
        }
        String dataType = fields.get("data_type");
        if (!"1".equals(fields.get("signature_version")) || !(dataType.equals("audio") || dataType.equals("fingerprint"))) {
            return 3006;
        }
        String expected = AcrSignature.sign(fields.get("access_key"), secret, dataType, fields.get("timestamp"));
        if (!expected.equals(fields.get("signature"))) {
            return 3014;
        }
        if (!fields.get("sample_bytes").equals(Integer.toString(sample.length))) {
            return 3006;
        }
        return 0;
    }

    private void answerStatus(HttpExchange ex, Map<String, String> fields, byte[] sample, int code, String msg)
            throws IOException {
        received.add(new Received(Map.copyOf(fields), sample, code));
        reply(ex, 200, statusJson(code, msg));
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase().startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /** Fills text fields; returns the {@code sample} file part's bytes or null when there is none. */
    private static byte[] parseMultipart(byte[] body, String boundary, Map<String, String> fields) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] headerEnd = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] sample = null;
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("no boundary in body");
        }
        pos += delimiter.length;
        while (pos + 2 <= body.length && !(body[pos] == '-' && body[pos + 1] == '-')) {
            pos += 2; // CRLF after the delimiter
            int hEnd = indexOf(body, headerEnd, pos);
            if (hEnd < 0) {
                throw new IllegalArgumentException("part without header end");
            }
            String headers = new String(body, pos, hEnd - pos, StandardCharsets.UTF_8);
            int start = hEnd + headerEnd.length;
            int end = indexOf(body, nextDelimiter, start);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated part");
            }
            Matcher name = DISPOSITION_NAME.matcher(headers);
            if (!name.find()) {
                throw new IllegalArgumentException("part without name");
            }
            byte[] content = Arrays.copyOfRange(body, start, end);
            if (DISPOSITION_FILENAME.matcher(headers).find() && name.group(1).equals("sample")) {
                sample = content;
            } else {
                fields.put(name.group(1), new String(content, StandardCharsets.UTF_8));
            }
            pos = end + nextDelimiter.length;
        }
        return sample;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
