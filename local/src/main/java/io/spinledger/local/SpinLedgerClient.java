package io.spinledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A small client of SpinLedger's HTTP API, used by the demo and the integration tests (so both exercise the
 * same endpoints a user's scripts would).
 */
public final class SpinLedgerClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private final String baseUrl;
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofMinutes(2))
            .readTimeout(Duration.ofMinutes(2)).build();

    /** @param baseUrl e.g. {@code http://127.0.0.1:8080} */
    public SpinLedgerClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * An HTTP answer.
     *
     * @param status HTTP status
     * @param body   body text
     */
    public record Answer(int status, String body) {
        /** The body as JSON. */
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    /** {@code POST /tracks} with an audio file and metadata. */
    public Answer registerTrack(Path audio, Map<String, Object> metadata) {
        try {
            return registerTrack(Files.readAllBytes(audio), audio.getFileName().toString(), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST /tracks} with audio bytes and metadata. */
    public Answer registerTrack(byte[] audio, String fileName, Map<String, Object> metadata) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("audio", fileName, RequestBody.create(audio, MediaType.get("application/octet-stream")))
                .addFormDataPart("metadata", null, RequestBody.create(Json.write(metadata), JSON)).build();
        return call(new Request.Builder().url(baseUrl + "/tracks").post(body).build());
    }

    /** {@code POST /stations}. */
    public Answer createStation(Map<String, Object> station) {
        return call(new Request.Builder().url(baseUrl + "/stations")
                .post(RequestBody.create(Json.write(station), JSON)).build());
    }

    /** {@code POST /stations/{id}/airchecks}. */
    public Answer uploadAircheck(String stationId, byte[] audio, String startedAt) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("audio", "aircheck", RequestBody.create(audio, MediaType.get("application/octet-stream")))
                .addFormDataPart("startedAt", startedAt).build();
        return call(new Request.Builder().url(baseUrl + "/stations/" + stationId + "/airchecks").post(body).build());
    }

    /** {@code POST /identify}. */
    public Answer identify(byte[] audio) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("audio", "clip", RequestBody.create(audio, MediaType.get("application/octet-stream")))
                .build();
        return call(new Request.Builder().url(baseUrl + "/identify").post(body).build());
    }

    /** A GET, e.g. {@code get("/plays?stationId=x")}. */
    public Answer get(String pathAndQuery) {
        return call(new Request.Builder().url(baseUrl + pathAndQuery).get().build());
    }

    /** A GET with an Accept header. */
    public Answer get(String pathAndQuery, String accept) {
        return call(new Request.Builder().url(baseUrl + pathAndQuery).header("Accept", accept).get().build());
    }

    /** A raw POST with a content type. */
    public Answer post(String path, String contentType, byte[] body) {
        return call(new Request.Builder().url(baseUrl + path)
                .post(RequestBody.create(body, MediaType.get(contentType))).build());
    }

    private Answer call(Request request) {
        try (Response r = http.newCall(request).execute()) {
            return new Answer(r.code(), r.body() == null ? "" : r.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.url() + " failed: " + e.getMessage(), e);
        }
    }
}
