package io.spinledger.functions.support;

import io.spinledger.external.acrcloud.AcrCloudClient;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.catalog.CatalogService;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.fallback.FallbackIdentifier;
import io.spinledger.stage.match.LearnedReferences;
import io.spinledger.stage.fallback.MusicGate;
import io.spinledger.stage.fallback.AcrBudget;
import io.spinledger.stage.fallback.AcrCloudGuard;
import io.spinledger.stats.Counters;
import io.spinledger.external.deezer.DeezerClient;
import io.spinledger.stage.enrich.EnrichmentJobs;
import io.spinledger.stage.enrich.EnrichmentStatusStore;
import io.spinledger.external.spotify.SpotifyClient;
import java.time.Duration;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.stage.enrich.DynamoEnrichmentCache;
import io.spinledger.stage.enrich.IsrcEnricher;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.ledger.Disputes;
import io.spinledger.ledger.Ledger;
import io.spinledger.ledger.Statements;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.ports.TableStore;
import io.spinledger.stage.rights.ProMapper;
import io.spinledger.stage.rights.ReciprocalAgreements;
import io.spinledger.stage.rights.SocietyRegistry;
import io.spinledger.soundtrack.DynamoSoundtrackCache;
import io.spinledger.soundtrack.SoundtrackFinder;
import io.spinledger.stage.posting.RateCard;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.posting.RoyaltyPoster;
import io.spinledger.stage.posting.RuleBook;
import java.time.Clock;
import io.spinledger.catalog.TrackRepository;
import io.spinledger.config.Settings;
import io.spinledger.catalog.StationRepository;
import io.spinledger.aws.AwsClients;
import io.spinledger.aws.DynamoTableStore;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.ports.ObjectStore;
import io.spinledger.aws.S3ObjectStore;
import io.spinledger.aws.SqsPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Beans every function may use: settings (from the environment, see {@link Settings}), AWS clients and the
 * stores built on them. All lazy, so a function creates only the clients it needs (faster cold starts).
 */
@Configuration(proxyBeanMethods = false)
@Lazy
public class CoreConfiguration {

    /** Settings from environment variables and system properties (unless the runtime supplied its own). */
    @Bean
    @ConditionalOnMissingBean
    public Settings settings() {
        return Settings.fromEnvironment();
    }

    /** S3 client. */
    @Bean(destroyMethod = "close")
    public S3Client s3Client(Settings settings) {
        return AwsClients.s3(settings.aws());
    }

    /** SQS client. */
    @Bean(destroyMethod = "close")
    public SqsClient sqsClient(Settings settings) {
        return AwsClients.sqs(settings.aws());
    }

    /** DynamoDB client. */
    @Bean(destroyMethod = "close")
    public DynamoDbClient dynamoDbClient(Settings settings) {
        return AwsClients.dynamo(settings.aws());
    }

    /** The tables (DynamoDB behind the {@link TableStore} port). */
    @Bean
    public TableStore tableStore(DynamoDbClient dynamo) {
        return new DynamoTableStore(dynamo);
    }

    /** The media bucket, as configured ({@code SPINLEDGER_MEDIA_BUCKET}, see {@link Settings.Storage}). */
    @Bean
    public ObjectStore objectStore(S3Client s3, Settings settings) {
        return new S3ObjectStore(s3, settings.storage().mediaBucket());
    }

    /** Queue publisher. */
    @Bean
    public MessagePublisher messagePublisher(SqsClient sqs) {
        return new SqsPublisher(sqs);
    }

    /** The catalog. */
    @Bean
    public TrackRepository trackRepository(TableStore tables) {
        return new TrackRepository(tables);
    }

    /** What became of every chunk: the source of each station's watermark. */
    @Bean
    public io.spinledger.stage.capture.ChunkLog chunkLog(TableStore tables, Settings settings) {
        return new io.spinledger.stage.capture.ChunkLog(tables, java.time.Clock.systemUTC())
                .retainFor(java.time.Duration.ofDays(settings.retention().chunkLogDays()));
    }

    /** Stations, health and capture leases. */
    @Bean
    public StationRepository stationRepository(TableStore tables) {
        return new StationRepository(tables);
    }

    /** Decoder for uploads and air-checks, at the capture sample rate. */
    @Bean
    public AudioDecoder audioDecoder(Settings settings) {
        return new AudioDecoder(settings.capture().sampleRateHz(), 60L * 60 * 1000);
    }

    /** The fingerprint engine: the index lives in the media bucket and is kept in memory while warm. */
    @Bean
    public FingerprintEngine fingerprintEngine(ObjectStore objects, Settings settings) {
        FingerprintConfig config = FingerprintConfig.defaults();
        MatchThresholds thresholds = new MatchThresholds(settings.match().minAlignedTriplets(),
                settings.match().minConfidence());
        return new FingerprintEngine(config, thresholds, new IndexStore(objects, config));
    }

    /** Registers reference tracks. */
    @Bean
    public CatalogService catalogService(TrackRepository tracks, ObjectStore objects, FingerprintEngine engine,
                                         AudioDecoder decoder) {
        return new CatalogService(tracks, objects, engine, decoder, Clock.systemUTC());
    }

    /**
     * The audio of the chunks this process cut last (three per stream a capture worker may hold: a chunk and the two a look-back reads), so matching at
     * the edge reads them from memory.
     */
    @Bean
    public io.spinledger.stage.capture.RecentAudio recentAudio(Settings settings) {
        return new io.spinledger.stage.capture.RecentAudio(
                3 * Math.max(1, settings.workers().streamsPerWorker() * Math.max(1, settings.workers().local())));
    }

    /** Matches stored chunks (those this process cut from memory). */
    @Bean
    public ChunkMatcher chunkMatcher(ObjectStore objects, FingerprintEngine engine, Settings settings,
                                     io.spinledger.stage.capture.RecentAudio recentAudio) {
        return new ChunkMatcher(objects, engine, settings.match().indexRefreshMs(), Clock.systemUTC(),
                settings.capture().chunkMs() - settings.capture().chunkOverlapMs(), recentAudio);
    }

    /** ACRCloud identify client (inactive without credentials). */
    @Bean
    public AcrCloudClient acrCloudClient(Settings settings) {
        return new AcrCloudClient(settings.acrcloud());
    }

    /** ACRCloud behind a circuit breaker and retries. */
    @Bean
    public AcrCloudGuard acrCloudGuard(AcrCloudClient acr, Settings settings) {
        return new AcrCloudGuard(acr, settings.fallback(), Clock.systemUTC());
    }

    /** ACRCloud budgets counted in DynamoDB (per minute, per day, per station). */
    @Bean
    public AcrBudget acrBudget(TableStore tables, Settings settings) {
        return new AcrBudget(tables, Clock.systemUTC(), settings.acrcloud().requestsPerMinute(),
                settings.fallback().dailyBudget(), settings.fallback()::budgetOf);
    }

    /** Operational counters for GET /stats. */
    @Bean
    public Counters counters(TableStore tables) {
        return new Counters(tables, Clock.systemUTC());
    }

    /** References learned from ACRCloud answers. */
    @Bean
    public LearnedReferences learnedReferences(ObjectStore objects, TableStore tables, FingerprintEngine engine) {
        return new LearnedReferences(objects, tables, engine, Clock.systemUTC());
    }

    /** The fallback stage's logic: gate, budget, guarded ACRCloud, learning. */
    @Bean
    public FallbackIdentifier fallbackIdentifier(AcrCloudGuard acr, AcrBudget budget, LearnedReferences learned,
                                                 Counters counters, ObjectStore objects, TableStore tables,
                                                 Settings settings) {
        Settings.Fallback f = settings.fallback();
        MusicGate gate = f.gateEnabled()
                ? new MusicGate(new MusicGate.Config(0.005, 0.8, f.gateMinMusicScore())) : null;
        return new FallbackIdentifier(acr, gate, budget, f.learn() ? learned : null, counters, objects, tables,
                Clock.systemUTC());
    }

    /** Enrichment status per ISRC. */
    @Bean
    public EnrichmentStatusStore enrichmentStatusStore(TableStore tables) {
        return new EnrichmentStatusStore(tables, Clock.systemUTC());
    }

    /** Bulk enrichment jobs. */
    @Bean
    public EnrichmentJobs enrichmentJobs(TableStore tables, EnrichmentStatusStore statuses) {
        return new EnrichmentJobs(tables, statuses, Clock.systemUTC());
    }

    /**
     * ISRC enrichment waterfall: catalog, DynamoDB cache, MusicBrainz, Spotify and Deezer (when configured), with
     * statuses and the configured TTLs.
     */
    @Bean
    public IsrcEnricher isrcEnricher(TableStore tables, Settings settings, EnrichmentStatusStore statuses,
                                     Counters counters) {
        MusicBrainzClient mb = settings.musicbrainz().enabled() ? new MusicBrainzClient(settings.musicbrainz()) : null;
        SpotifyClient spotify = settings.spotify().enabled() ? new SpotifyClient(settings.spotify()) : null;
        DeezerClient deezer = settings.deezer().enabled() ? new DeezerClient(settings.deezer()) : null;
        return new IsrcEnricher(new DynamoEnrichmentCache(tables, Clock.systemUTC()), mb, spotify, deezer, statuses,
                Duration.ofMillis(settings.enrichment().foundTtlMs()),
                Duration.ofMillis(settings.enrichment().failureTtlMs()),
                hit -> counters.increment(hit ? Counters.CACHE_HITS : Counters.CACHE_MISSES),
                IsrcEnricher.TransientPolicy.PARTIAL);
    }

    /**
     * Film soundtracks for cue sheets: MusicBrainz (when enabled), the catalog, Spotify (when configured),
     * cached in the CACHE table for the enrichment TTLs.
     */
    @Bean
    public SoundtrackFinder soundtrackFinder(TableStore tables, TrackRepository tracks, Settings settings) {
        MusicBrainzClient mb = settings.musicbrainz().enabled() ? new MusicBrainzClient(settings.musicbrainz()) : null;
        SpotifyClient spotify = settings.spotify().enabled() ? new SpotifyClient(settings.spotify()) : null;
        return new SoundtrackFinder(mb, tracks::list, spotify, new DynamoSoundtrackCache(tables, Clock.systemUTC()),
                Duration.ofMillis(settings.enrichment().foundTtlMs()),
                Duration.ofMillis(settings.enrichment().failureTtlMs()));
    }

    /** The performing-rights societies. */
    @Bean
    public SocietyRegistry societyRegistry() {
        return SocietyRegistry.loadDefault();
    }

    /** Society mapper. */
    @Bean
    public ProMapper proMapper(SocietyRegistry registry) {
        return new ProMapper(registry);
    }

    /** Detections and plays in the tables. */
    @Bean
    public PlayStore playStore(TableStore tables, Settings settings, RoyaltyCalculator calculator) {
        return PlayStore.create(tables, settings.royalty(), calculator::minPaidDurationMs).retainFor(
                java.time.Duration.ofDays(settings.retention().detectionDays()),
                java.time.Duration.ofDays(settings.retention().chunkLogDays()));
    }

    /** The double-entry ledger. */
    @Bean
    public Ledger ledger(TableStore tables) {
        return new Ledger(tables);
    }

    /**
     * The royalty rules: the bundled versioned rate cards ({@code ratecards/*.json}, chosen by each play's start),
     * unless {@code SPINLEDGER_RULE_VERSION} names a version that is not bundled, in which case the flat card
     * the settings describe applies to every play.
     */
    @Bean
    public RoyaltyCalculator royaltyCalculator(Settings settings, ReciprocalAgreements agreements) {
        RuleBook bundled = RuleBook.bundled();
        return bundled.version(settings.royalty().ruleVersion()).isPresent()
                ? new RoyaltyCalculator(bundled, agreements)
                : new RoyaltyCalculator(RuleBook.single(RateCard.from(settings.royalty())), agreements);
    }

    /** The reciprocal agreements between societies ({@code pro/agreements.json}). */
    @Bean
    public ReciprocalAgreements reciprocalAgreements() {
        return ReciprocalAgreements.bundled();
    }

    /** Play assembly, closing and posting. */
    @Bean
    public RoyaltyPoster royaltyPoster(PlayStore plays, Ledger ledger, RoyaltyCalculator calculator) {
        return new RoyaltyPoster(plays, ledger, calculator);
    }

    /** Disputes of plays' royalties (held accounts). */
    @Bean
    public Disputes disputes(Ledger ledger) {
        return new Disputes(ledger);
    }

    /** Statements derived from postings. */
    @Bean
    public Statements statements(Ledger ledger) {
        return new Statements(ledger);
    }
}
