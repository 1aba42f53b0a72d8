package io.spinledger.functions.httpapi;

import io.spinledger.soundtrack.SoundtrackFinder;
import io.spinledger.stage.enrich.EnrichmentJobs;
import io.spinledger.stage.enrich.EnrichmentStatusStore;
import io.spinledger.stage.enrich.IsrcEnricher;
import io.spinledger.stage.fallback.AcrBudget;
import io.spinledger.stage.fallback.AcrCloudGuard;
import io.spinledger.stage.match.LearnedReferences;
import io.spinledger.stage.rights.ProMapper;
import io.spinledger.stage.rights.SocietyRegistry;
import io.spinledger.stats.Counters;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.spinledger.external.acrcloud.AcrCloudClient;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.catalog.CatalogService;
import io.spinledger.catalog.TrackRepository;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.config.Settings;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import io.spinledger.ledger.Statements;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.stage.plays.PlayEvidenceView;
import io.spinledger.catalog.StationRepository;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.ports.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP functions, one bean per resource (each can be its own Lambda behind the HTTP API). Every bean
 * takes API Gateway HTTP API (payload 2.0) events; handlers see plain {@link ApiRequest}s.
 */
@Configuration(proxyBeanMethods = false)
public class HttpApiFunctions {
    private static final Instant STARTED = Instant.now();

    /** {@code POST /tracks}, {@code GET /tracks}, {@code GET /tracks/{id}}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> tracksApi(CatalogService catalog) {
        return ApiGatewayAdapter.adapt(new TracksApi(catalog)::handle);
    }

    /** {@code POST /stations}, {@code GET /stations}, {@code GET /stations/{id}}, {@code POST /stations/{id}/airchecks}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> stationsApi(StationRepository stations,
            ObjectStore objects, MessagePublisher publisher, Settings settings) {
        return ApiGatewayAdapter.adapt(new StationsApi(stations, objects, publisher, settings, Clock.systemUTC())::handle);
    }

    /** {@code POST /identify}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> identifyApi(FingerprintEngine engine,
            ChunkMatcher matcher, AudioDecoder decoder, TrackRepository tracks, AcrCloudGuard acr) {
        return ApiGatewayAdapter.adapt(new IdentifyApi(engine, matcher, decoder, tracks, acr)::handle);
    }

    /** {@code GET /plays}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> playsApi(PlayStore plays,
            StationRepository stations) {
        return ApiGatewayAdapter.adapt(new PlaysApi(plays, stations)::handle);
    }

    /** {@code GET /ledger/transactions?limit=}, {@code GET /ledger/balances}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ledgerApi(Ledger ledger) {
        return ApiGatewayAdapter.adapt(req -> {
            if (req.path().endsWith("/balances")) {
                return ApiResponse.json(200, Map.of("balances", ledger.balances()));
            }
            int limit;
            try {
                limit = Integer.parseInt(req.query("limit").orElse("100"));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be a whole number");
            }
            if (limit < 1 || limit > 1000) {
                throw ApiException.badRequest("limit must be 1..1000");
            }
            return ApiResponse.json(200, Map.of("transactions", ledger.transactions(limit)));
        });
    }

    /** {@code GET /plays/{id}/evidence}: play -> detections -> chunks -> rating -> ledger transactions. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> playEvidenceApi(PlayStore plays,
            StationRepository stations, Ledger ledger, Disputes disputes, RoyaltyCalculator calculator,
            ObjectStore objects, Settings settings) {
        return ApiGatewayAdapter.adapt(new EvidenceApi(new PlayLocator(plays, stations, ledger),
                new PlayEvidenceView(plays, stations::get, ledger, disputes, calculator, objects,
                        settings.storage().mediaBucket()))::handle);
    }

    /** {@code POST|GET /plays/{id}/disputes}, {@code POST /plays/{id}/disputes/{disputeId}/resolution}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> disputesApi(PlayStore plays,
            StationRepository stations, Ledger ledger, Disputes disputes) {
        return ApiGatewayAdapter.adapt(new DisputesApi(new PlayLocator(plays, stations, ledger), disputes,
                Clock.systemUTC())::handle);
    }

    /** {@code GET /statements?party=&from=&to=} (JSON, or CSV with {@code Accept: text/csv}). */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> statementsApi(Statements statements) {
        return ApiGatewayAdapter.adapt(new StatementsApi(statements)::handle);
    }

    /** {@code GET /exports/music-use-log}, {@code GET /exports/sound-recording-report}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> exportsApi(PlayStore plays,
            StationRepository stations) {
        return ApiGatewayAdapter.adapt(new ExportsApi(plays, stations)::handle);
    }

    /** {@code GET /isrc/{isrc}}, {@code POST /isrc/batch}, {@code GET /jobs/{id}}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> isrcApi(IsrcEnricher enricher,
            EnrichmentStatusStore statuses, EnrichmentJobs jobs) {
        return ApiGatewayAdapter.adapt(new IsrcApi(enricher, statuses, jobs)::handle);
    }

    /** {@code GET /pros}, {@code GET /pro-mappings?isrc=[&at=]} (shares, how decided, routing and fees). */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> prosApi(SocietyRegistry registry,
            ProMapper mapper, IsrcEnricher enricher, RoyaltyCalculator calculator, TrackRepository tracks) {
        return ApiGatewayAdapter.adapt(new ProsApi(registry, mapper, enricher, calculator, tracks)::handle);
    }

    /** {@code GET /soundtracks/{imdbId}[?title=]}: a film's soundtrack for TV cue sheets. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> soundtracksApi(SoundtrackFinder finder) {
        return ApiGatewayAdapter.adapt(new SoundtracksApi(finder)::handle);
    }

    /** {@code GET /stats}. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> statsApi(Counters counters, AcrBudget budget,
            AcrCloudGuard acr, LearnedReferences learned, EnrichmentStatusStore statuses) {
        return ApiGatewayAdapter.adapt(new StatsApi(counters, budget, acr, learned, statuses)::handle);
    }

    /** {@code GET /health}: up, how long, catalog and station counts. */
    @Bean
    public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> healthApi(StationRepository stations,
            TrackRepository tracks) {
        return ApiGatewayAdapter.adapt(req -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", "UP");
            m.put("startedAt", STARTED);
            m.put("stations", stations.list().size());
            m.put("tracks", tracks.list().size());
            return ApiResponse.json(200, m);
        });
    }
}
