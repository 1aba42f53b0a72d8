package io.spinledger.functions.httpapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.spinledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts an API handler to API Gateway's HTTP API (payload format 2.0): event in, handler call, response
 * out. {@link ApiException}s and malformed JSON become 4xx answers with a reason; anything else a 500.
 */
public final class ApiGatewayAdapter {
    private static final Logger log = LoggerFactory.getLogger(ApiGatewayAdapter.class);

    private ApiGatewayAdapter() {
    }

    /** Wraps a handler as a Lambda-shaped HTTP function. */
    public static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> adapt(Function<ApiRequest, ApiResponse> handler) {
        return event -> {
            ApiResponse resp;
            try {
                resp = handler.apply(toRequest(event));
            } catch (ApiException e) {
                resp = ApiResponse.error(e.status(), e.getMessage());
            } catch (Json.MalformedJsonException e) {
                resp = ApiResponse.error(400, e.getMessage());
            } catch (Exception e) {
                log.error("{} failed", event.getRouteKey(), e);
                resp = ApiResponse.error(500, "internal error: " + e.getClass().getSimpleName());
            }
            return toResponse(resp);
        };
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent e) {
        Map<String, String> headers = new HashMap<>();
        if (e.getHeaders() != null) {
            e.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        byte[] body = e.getBody() == null ? new byte[0]
                : e.getIsBase64Encoded() ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
        String method = e.getRequestContext() != null && e.getRequestContext().getHttp() != null
                ? e.getRequestContext().getHttp().getMethod() : e.getRouteKey().split(" ")[0];
        return new ApiRequest(method.toUpperCase(Locale.ROOT), e.getRawPath(), e.getPathParameters(),
                e.getQueryStringParameters(), headers, body);
    }

    static APIGatewayV2HTTPResponse toResponse(ApiResponse r) {
        String ct = r.headers().getOrDefault("content-type", "");
        boolean text = ct.startsWith("application/json") || ct.startsWith("text/");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(r.status()).withHeaders(r.headers())
                .withBody(text ? new String(r.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(r.body()))
                .withIsBase64Encoded(!text).build();
    }
}
