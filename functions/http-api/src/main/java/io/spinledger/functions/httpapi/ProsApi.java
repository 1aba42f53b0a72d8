package io.spinledger.functions.httpapi;

import io.spinledger.domain.Recording;
import io.spinledger.isrc.Isrc;
import io.spinledger.isrc.IsrcEnricher;
import io.spinledger.pro.ProMapper;
import io.spinledger.pro.SocietyRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /pros}: every society (CISAC code, country, whether the code is confirmed) and the default society
 * per country. {@code GET /pro-mappings?isrc=}: the enriched recording's society shares with how each was
 * decided and the notes on what was assumed.
 */
final class ProsApi {
    private final SocietyRegistry registry;
    private final ProMapper mapper;
    private final IsrcEnricher enricher;

    ProsApi(SocietyRegistry registry, ProMapper mapper, IsrcEnricher enricher) {
        this.registry = registry;
        this.mapper = mapper;
        this.enricher = enricher;
    }

    ApiResponse handle(ApiRequest req) {
        if (req.path().endsWith("/pros")) {
            Map<String, String> defaults = new LinkedHashMap<>();
            for (String c : registry.countriesWithDefault()) {
                registry.defaultFor(c).ifPresent(s -> defaults.put(c, s.code()));
            }
            return ApiResponse.json(200, Map.of("societies", registry.all(), "countryDefaults", defaults));
        }
        String raw = req.query("isrc").orElseThrow(() -> ApiException.badRequest("the isrc query parameter is required"));
        Isrc isrc = Isrc.tryParse(raw).orElseThrow(() -> ApiException.badRequest("not an ISRC: \"" + raw + "\""));
        Recording r = enricher.enrich(null, isrc.value());
        ProMapper.Result result = mapper.explain(r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isrc", isrc.value());
        out.put("iswc", r.iswc());
        out.put("workTitle", r.workTitle());
        out.put("writers", r.writers());
        out.put("shares", result.mapping().shares());
        out.put("inferred", result.mapping().inferred());
        out.put("notes", result.notes());
        out.put("provenance", r.provenance());
        return ApiResponse.json(200, out);
    }
}
