package io.spinledger.functions.httpapi;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as the API handlers see it (no AWS types).
 *
 * @param method      upper-case HTTP method
 * @param path        raw path
 * @param pathParams  values of the route's {placeholders}
 * @param query       query parameters
 * @param headers     headers, lower-case names
 * @param body        raw body bytes (decoded from base64 when API Gateway encoded it), never null
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
                         Map<String, String> headers, byte[] body) {
    public ApiRequest {
        pathParams = pathParams == null ? Map.of() : Map.copyOf(pathParams);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** A query parameter, blank treated as absent. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(s -> !s.isBlank());
    }

    /** A header by (case-insensitive) name. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The content type, lower-case, or "". */
    public String contentType() {
        return header("content-type").orElse("");
    }
}
