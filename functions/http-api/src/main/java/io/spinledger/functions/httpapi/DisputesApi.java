package io.spinledger.functions.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.domain.Play;
import io.spinledger.json.Json;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * Disputes of a play's royalty.
 * <ul>
 *   <li>{@code POST /plays/{id}/disputes} body {@code {"reason": "..."}}: opens a dispute, holds the play's
 *       postings; 201 with the dispute, 409 when one is already open.</li>
 *   <li>{@code GET /plays/{id}/disputes}: the play's disputes.</li>
 *   <li>{@code POST /plays/{id}/disputes/{disputeId}/resolution} body
 *       {@code {"outcome": "RELEASE"|"REVERSE", "reason": "..."}}: resolves it; 409 when resolved otherwise.</li>
 * </ul>
 * The actor is the {@code X-SpinLedger-User} header (or {@code "actor"} in the body; default {@code api}).
 */
final class DisputesApi {
    private final PlayLocator locator;
    private final Disputes disputes;
    private final Clock clock;

    DisputesApi(PlayLocator locator, Disputes disputes, Clock clock) {
        this.locator = locator;
        this.disputes = disputes;
        this.clock = clock;
    }

    ApiResponse handle(ApiRequest req) {
        Play play = locator.find(req.pathParams().get("id"), req.query("stationId"));
        if (req.method().equals("GET")) {
            return ApiResponse.json(200, Map.of("disputes", disputes.disputes(play.playId())));
        }
        JsonNode body = req.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.read(req.bodyText(), JsonNode.class);
        String reason = body.path("reason").asText("").trim();
        if (reason.isEmpty()) {
            throw ApiException.badRequest("reason is required");
        }
        String actor = req.header("x-spinledger-user").orElse(body.path("actor").asText("api"));
        String disputeId = req.pathParams().get("disputeId");
        try {
            if (disputeId == null) {
                return ApiResponse.json(201, disputes.open(play.playId(), reason, actor, clock.instant()));
            }
            Disputes.Outcome outcome;
            try {
                outcome = Disputes.Outcome.valueOf(body.path("outcome").asText("").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("outcome must be RELEASE or REVERSE");
            }
            return ApiResponse.json(200, disputes.resolve(play.playId(), disputeId, outcome, reason, actor,
                    clock.instant()));
        } catch (Disputes.DisputeStateException | Ledger.ConflictException e) {
            throw new ApiException(409, e.getMessage());
        }
    }
}
