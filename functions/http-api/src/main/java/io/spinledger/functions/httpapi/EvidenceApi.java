package io.spinledger.functions.httpapi;

import io.spinledger.stage.plays.PlayEvidenceView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /plays/{id}/evidence[?stationId=]}: the chain behind a play's money, as JSON: the play, its
 * detections (match offsets, confidence, source), the chunks they came from (object keys in the media bucket
 * and whether the audio is still stored), the rating under the rule version (every factor), the ledger
 * transactions (postings, reversals, holds, releases; which are active), disputes and the audit trail
 * ({@link PlayEvidenceView}).
 */
final class EvidenceApi {
    private final PlayLocator locator;
    private final PlayEvidenceView view;

    EvidenceApi(PlayLocator locator, PlayEvidenceView view) {
        this.locator = locator;
        this.view = view;
    }

    ApiResponse handle(ApiRequest req) {
        PlayEvidenceView.PlayEvidence e = view.of(locator.find(req.pathParams().get("id"), req.query("stationId")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("play", PlaysApi.view(e.play()));
        out.put("detections", e.detections());
        out.put("chunks", e.chunks());
        e.rating().ifPresent(r -> out.put("rating", r));
        out.put("transactions", e.transactions());
        out.put("disputes", e.disputes());
        out.put("audit", e.audit());
        return ApiResponse.json(200, out);
    }
}
