package io.spinledger.functions.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.domain.Recording;
import io.spinledger.domain.id.Isrc;
import io.spinledger.json.Json;
import io.spinledger.stage.enrich.EnrichmentJobs;
import io.spinledger.stage.enrich.EnrichmentStatusStore;
import io.spinledger.stage.enrich.IsrcEnricher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /isrc/{isrc}}: the enriched recording (any ISRC spelling; 400 when not an ISRC) with per-field
 * provenance and the ISRC's enrichment status. {@code POST /isrc/batch} with {@code {"isrcs":[...]}} (1 to 50)
 * starts a bulk job (202 with its id); the scheduled enrichment run works it off. {@code GET /jobs/{id}}: total,
 * processed, succeeded, failed.
 */
final class IsrcApi {
    private final IsrcEnricher enricher;
    private final EnrichmentStatusStore statuses;
    private final EnrichmentJobs jobs;

    IsrcApi(IsrcEnricher enricher, EnrichmentStatusStore statuses, EnrichmentJobs jobs) {
        this.enricher = enricher;
        this.statuses = statuses;
        this.jobs = jobs;
    }

    ApiResponse handle(ApiRequest req) {
        if (req.path().startsWith("/jobs/")) {
            String id = req.pathParams().get("id");
            return ApiResponse.json(200, jobs.progress(id).orElseThrow(() -> ApiException.notFound("no job " + id)));
        }
        if (req.method().equals("POST")) {
            return batch(req);
        }
        String raw = req.pathParams().get("isrc");
        Isrc isrc = Isrc.tryParse(raw).orElseThrow(() -> ApiException.badRequest("not an ISRC: \"" + raw
                + "\" (expected CC-XXX-YY-NNNNN: 2 letters, 3 letters/digits, 7 digits)"));
        Recording r = enricher.enrich(null, isrc.value());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isrc", isrc.value());
        out.put("recording", r);
        out.put("partial", IsrcEnricher.isPartial(r));
        out.put("status", statuses.get(isrc.value()).orElse(null));
        return ApiResponse.json(200, out);
    }

    private ApiResponse batch(ApiRequest req) {
        JsonNode body = Json.read(req.bodyText(), JsonNode.class);
        JsonNode list = body == null ? null : body.get("isrcs");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("send {\"isrcs\": [\"GBAAA9900303\", ...]} (1 to "
                    + EnrichmentJobs.MAX_ISRCS + ")");
        }
        List<String> isrcs = new ArrayList<>();
        list.forEach(n -> isrcs.add(n.asText()));
        try {
            EnrichmentJobs.Job job = jobs.start(isrcs);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("jobId", job.jobId());
            out.put("total", job.isrcs().size() + job.invalid().size());
            out.put("invalid", job.invalid());
            out.put("status", "/jobs/" + job.jobId());
            return ApiResponse.json(202, out);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
