package io.spinledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** Waiting for plays in the end-to-end tests: what an operator does by polling {@code GET /plays}. */
final class Plays {
    private Plays() {
    }

    /**
     * Fires playPosting and polls {@code GET /plays} for a station around {@code from} (-60 s .. +1 h)
     * until at least {@code atLeast} plays exist and none is still OPEN, or the timeout passes.
     *
     * @return the last answer's {@code plays} array (the caller asserts on it)
     */
    static JsonNode awaitClosed(LocalPipeline pipeline, SpinLedgerClient client, String stationId, Instant from,
                                int atLeast, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String q = "/plays?stationId=" + stationId + "&from=" + from.minusSeconds(60) + "&to=" + from.plusSeconds(3600);
        JsonNode plays = null;
        while (Instant.now().isBefore(deadline)) {
            pipeline.fire("playPosting");
            plays = client.get(q).json().get("plays");
            long closed = 0;
            for (JsonNode p : plays) {
                closed += p.get("status").asText().equals("OPEN") ? 0 : 1;
            }
            if (plays.size() >= atLeast && closed == plays.size()) {
                return plays;
            }
            Thread.sleep(1_000);
        }
        return plays;
    }
}
