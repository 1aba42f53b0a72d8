package io.spinledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spinledger.stats.Metering;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does locally what API Gateway's HTTP API does: matches a request to a route ({@code "GET /tracks/{id}"}),
 * turns it into a payload-format 2.0 {@link APIGatewayV2HTTPEvent} (binary and multipart bodies base64),
 * invokes the route's function and writes its {@link APIGatewayV2HTTPResponse}. Binds to loopback unless told
 * otherwise.
 */
final class HttpGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpGateway.class);
    private static final long MAX_BODY_BYTES = 100L * 1024 * 1024;

    /** A route and the function that serves it. */
    record Route(String method, String pathTemplate, String functionName,
                 Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
        Map<String, String> match(String method, String path) {
            if (!this.method.equals(method)) {
                return null;
            }
            String[] t = pathTemplate.split("/");
            String[] p = path.split("/");
            if (t.length != p.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < t.length; i++) {
                if (t[i].startsWith("{") && t[i].endsWith("}")) {
                    params.put(t[i].substring(1, t[i].length() - 1), URLDecoder.decode(p[i], StandardCharsets.UTF_8));
                } else if (!t[i].equals(p[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    private final HttpServer server;
    private final List<Route> routes;

    HttpGateway(String bindAddress, int port, List<Route> routes) throws IOException {
        this.routes = List.copyOf(routes);
        this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port actually bound. */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = ex.getRequestURI().getRawPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            Route route = null;
            Map<String, String> params = null;
            boolean pathKnown = false;
            for (Route r : routes) {
                Map<String, String> m = r.match(method, path);
                if (m != null) {
                    route = r;
                    params = m;
                    break;
                }
                if (r.match(r.method(), path) != null) {
                    pathKnown = true;
                }
            }
            if (route == null) {
                send(ex, pathKnown ? 405 : 404, Map.of("content-type", "application/json"),
                        ("{\"error\":\"" + (pathKnown ? "method not allowed" : "no such endpoint") + ": " + method
                                + " " + path + "\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = ex.getRequestBody().readNBytes((int) MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                send(ex, 413, Map.of("content-type", "application/json"),
                        "{\"error\":\"request body larger than 100 MB\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            APIGatewayV2HTTPEvent event = toEvent(ex, method, path, route, params, body);
            Route r = route;
            APIGatewayV2HTTPResponse resp = Metering.invoke(r.functionName(), () -> r.function().apply(event));
            byte[] out = resp.getBody() == null ? new byte[0]
                    : resp.getIsBase64Encoded() ? Base64.getDecoder().decode(resp.getBody())
                    : resp.getBody().getBytes(StandardCharsets.UTF_8);
            send(ex, resp.getStatusCode(), resp.getHeaders() == null ? Map.of() : resp.getHeaders(), out);
        } catch (Exception e) {
            log.error("HTTP {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            try {
                send(ex, 500, Map.of("content-type", "application/json"),
                        "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // connection gone
            }
        }
    }

    private static APIGatewayV2HTTPEvent toEvent(HttpExchange ex, String method, String path, Route route,
                                                 Map<String, String> params, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String rawQuery = ex.getRequestURI().getRawQuery();
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null) {
            for (String kv : rawQuery.split("&")) {
                if (kv.isEmpty()) {
                    continue;
                }
                int i = kv.indexOf('=');
                String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
                String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        boolean text = contentType.startsWith("application/json") || contentType.startsWith("text/");
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp(ex.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", "")).build();
        APIGatewayV2HTTPEvent.RequestContext ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(http).withRouteKey(route.method() + " " + route.pathTemplate()).withStage("$default")
                .withRequestId(java.util.UUID.randomUUID().toString()).withTimeEpoch(System.currentTimeMillis())
                .build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0")
                .withRouteKey(route.method() + " " + route.pathTemplate()).withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery).withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(params.isEmpty() ? null : params).withRequestContext(ctx)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text).build();
    }

    private static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /**
     * Adds a route of the local runtime itself (no function, not metered, not on AWS): {@code GET path} answers
     * the JSON {@code json} supplies, to loopback clients only (403 otherwise).
     */
    void local(String path, Supplier<String> json) {
        server.createContext(path, ex -> {
            try (ex) {
                if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
                    send(ex, 403, Map.of("content-type", "application/json"),
                            "{\"error\":\"local clients only\"}".getBytes(StandardCharsets.UTF_8));
                } else if (!"GET".equalsIgnoreCase(ex.getRequestMethod())) {
                    send(ex, 405, Map.of("content-type", "application/json"),
                            "{\"error\":\"method not allowed\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(ex, 200, Map.of("content-type", "application/json"),
                            json.get().getBytes(StandardCharsets.UTF_8));
                }
            } catch (RuntimeException e) {
                log.error("GET {} failed", path, e);
                send(ex, 500, Map.of("content-type", "application/json"),
                        "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    /** Routes in registration order (for the start-up banner). */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        routes.forEach(r -> out.add(r.method() + " " + r.pathTemplate() + " -> " + r.functionName()));
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
