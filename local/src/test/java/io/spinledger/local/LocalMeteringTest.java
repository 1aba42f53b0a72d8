package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /local/metering and {@code <data-dir>/metering.json} on a running local pipeline. */
class LocalMeteringTest {
    @TempDir
    Path data;

    @Test
    void snapshotIsServedAndWrittenOnClose() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        try (LocalPipeline pipeline = LocalPipeline.start(new LocalPipeline.Options(Optional.of(data), "127.0.0.1", 0,
                Map.of(), 1, false))) {
            HttpResponse<String> stations = http.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl()
                    + "/stations")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stations.statusCode()).isEqualTo(200);
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl()
                    + "/local/metering")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(200);
            JsonNode s = json.readTree(resp.body());
            assertThat(s.path("format").asText()).isEqualTo(LocalMetering.FORMAT);
            assertThat(s.path("uptimeMs").asLong()).isPositive();
            assertThat(s.path("stations").path("registered").asLong()).isZero();
            // the GET /stations call above was one stationsApi invocation, its scan attributed to it
            assertThat(s.path("counters").path("function.stationsApi.invocations").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(s.path("counters").path("function.stationsApi.aws.dynamodb.Scan").asLong())
                    .isGreaterThanOrEqualTo(1);
            assertThat(s.path("storage").path("s3").path("bucket").asText()).isNotEmpty();
            assertThat(s.path("storage").path("dynamodb").path("spinledger-stations").has("items")).isTrue();
            long listsBefore = s.path("counters").path("aws.s3.ListObjectsV2").asLong();
            JsonNode again = json.readTree(http.send(HttpRequest.newBuilder(URI.create(pipeline.baseUrl()
                    + "/local/metering")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(again.path("counters").path("aws.s3.ListObjectsV2").asLong())
                    .as("taking a snapshot is not metered").isEqualTo(listsBefore);
        }
        JsonNode written = json.readTree(Files.readString(data.resolve("metering.json")));
        assertThat(written.path("format").asText()).isEqualTo(LocalMetering.FORMAT);
        assertThat(written.path("counters").path("function.stationsApi.invocations").asLong()).isGreaterThanOrEqualTo(1);
    }
}
