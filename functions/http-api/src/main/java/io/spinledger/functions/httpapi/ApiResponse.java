package io.spinledger.functions.httpapi;

import io.spinledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP response from an API handler.
 *
 * @param status  HTTP status
 * @param headers response headers
 * @param body    body bytes
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

    /** A JSON response. */
    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Map.of("content-type", "application/json"),
                Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** A text response with the given content type. */
    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, Map.of("content-type", contentType), text.getBytes(StandardCharsets.UTF_8));
    }

    /** An error: {@code {"error": message}} with the status. */
    public static ApiResponse error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        return json(status, m);
    }
}
