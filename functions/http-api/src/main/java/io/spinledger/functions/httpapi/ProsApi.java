package io.spinledger.functions.httpapi;

import io.spinledger.catalog.TrackRepository;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.id.Isrc;
import io.spinledger.stage.enrich.IsrcEnricher;
import io.spinledger.stage.rights.ProMapper;
import io.spinledger.stage.rights.ReciprocalAgreements;
import io.spinledger.stage.rights.SocietyRegistry;
import io.spinledger.stage.posting.RateCard;
import io.spinledger.stage.posting.RoyaltyCalculator;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /pros}: every society (CISAC code, country, whether the code is confirmed) and the default society
 * per country, and the reciprocal agreements on file. {@code GET /pro-mappings?isrc=[&at=<instant>]}: the
 * recording (the catalog's track with that ISRC first, then the enrichment waterfall) and its society shares with how
 * each was decided and how far to trust it, the notes on what was assumed, the problems that refused a
 * declaration, and the effective routing under the rules in force at {@code at} (default now): which society
 * collects each share locally, the admin fee it keeps and on what basis (local member, reciprocal agreement, no
 * agreement on file, suspense). 400 for a missing or malformed ISRC or instant.
 */
final class ProsApi {
    private final SocietyRegistry registry;
    private final ProMapper mapper;
    private final IsrcEnricher enricher;
    private final RoyaltyCalculator calculator;
    private final TrackRepository tracks;

    ProsApi(SocietyRegistry registry, ProMapper mapper, IsrcEnricher enricher, RoyaltyCalculator calculator,
            TrackRepository tracks) {
        this.tracks = tracks;
        this.registry = registry;
        this.mapper = mapper;
        this.enricher = enricher;
        this.calculator = calculator;
    }

    ApiResponse handle(ApiRequest req) {
        if (req.path().endsWith("/pros")) {
            Map<String, String> defaults = new LinkedHashMap<>();
            for (String c : registry.countriesWithDefault()) {
                registry.defaultFor(c).ifPresent(s -> defaults.put(c, s.code()));
            }
            return ApiResponse.json(200, Map.of("societies", registry.all(), "countryDefaults", defaults,
                    "agreements", calculator.agreements().all()));
        }
        String raw = req.query("isrc").orElseThrow(() -> ApiException.badRequest("the isrc query parameter is required"));
        Isrc isrc = Isrc.tryParse(raw).orElseThrow(() -> ApiException.badRequest("not an ISRC: \"" + raw + "\""));
        Instant at = req.query("at").map(ProsApi::instant).orElseGet(Instant::now);
        // the catalog's declared writers come first, as in the pipeline (a scan: the catalog has no ISRC index yet)
        Track catalogTrack = tracks.list().stream().filter(t -> isrc.value().equals(t.isrc())).findFirst()
                .orElse(null);
        Recording r = enricher.enrich(catalogTrack, isrc.value());
        ProMapper.Result result = mapper.explain(r);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("isrc", isrc.value());
        out.put("catalogTrackId", catalogTrack == null ? null : catalogTrack.trackId());
        out.put("iswc", r.iswc());
        out.put("workTitle", r.workTitle());
        out.put("writers", r.writers());
        out.put("societyWorkIds", r.societyWorkIds());
        out.put("shares", result.mapping().shares());
        out.put("inferred", result.mapping().inferred());
        out.put("refused", result.refused());
        out.put("problems", result.problems());
        out.put("notes", result.notes());
        out.put("routing", routing(result.mapping().shares(), at));
        out.put("provenance", r.provenance());
        return ApiResponse.json(200, out);
    }

    /** Per share: who collects it locally under the rules in force at {@code at}, and what fee it keeps. */
    private Map<String, Object> routing(List<SocietyShare> shares, Instant at) {
        Map<String, Object> out = new LinkedHashMap<>();
        RateCard card;
        try {
            card = calculator.rules().forInstant(at);
        } catch (IllegalArgumentException e) {
            card = calculator.rateCard();
        }
        out.put("ruleVersion", card.ruleVersion());
        out.put("at", at);
        RateCard.FeeRule fees = card.fees();
        if (fees == null) {
            out.put("note", "rules " + card.ruleVersion() + " take no admin fees: each society is paid its share");
            out.put("shares", List.of());
            return out;
        }
        out.put("collectingSociety", fees.homeSociety());
        registry.byCode(fees.homeSociety()).ifPresent(s -> out.put("collectingSocietyName", s.name()));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (SocietyShare s : shares) {
            ReciprocalAgreements.Routing route = fees.route(s.societyCode(), calculator.agreements(), at);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("societyCode", s.societyCode());
            line.put("societyName", s.societyName());
            line.put("party", s.party());
            line.put("sharePercent", s.sharePercent());
            line.put("collectingSociety", route.collectingSociety());
            line.put("adminFeePercent", route.adminFeePercent());
            line.put("basis", route.basis());
            line.put("note", route.note());
            lines.add(line);
        }
        out.put("shares", lines);
        return out;
    }

    private static Instant instant(String raw) {
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("at must be an ISO-8601 instant such as 2026-08-03T07:00:00Z, got \""
                    + raw + "\"");
        }
    }
}
