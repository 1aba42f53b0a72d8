package io.spinledger.sim;

import io.spinledger.ports.ManualClock;
import io.spinledger.stage.fallback.AcrBudget;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.config.BucketName;
import io.spinledger.json.Json;
import io.spinledger.stage.capture.ChunkAudio;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.match.MatchStage;
import io.spinledger.config.FunctionCatalogue;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.stage.fallback.FallbackIdentifier;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.stage.plays.PlayAssembler;
import io.spinledger.stage.plays.PlayStore;
import io.spinledger.ports.Contention;
import io.spinledger.ports.InMemoryQueue;
import io.spinledger.ports.InMemoryTableStore;
import io.spinledger.stage.rights.ProMapper;
import io.spinledger.stage.rights.ReciprocalAgreements;
import io.spinledger.stage.rights.SocietyRegistry;
import io.spinledger.stage.posting.RoyaltyCalculator;
import io.spinledger.stage.posting.RoyaltyPoster;
import io.spinledger.stage.posting.RuleBook;
import io.spinledger.stage.enrich.DynamoEnrichmentCache;
import io.spinledger.stage.enrich.IsrcEnricher;
import io.spinledger.stage.enrich.EnrichStage;
import io.spinledger.stage.fallback.FallbackStage;
import io.spinledger.stage.plays.PlayAssemblyStage;
import io.spinledger.stage.posting.PostingStage;
import io.spinledger.stage.rights.RightsStage;
import io.spinledger.stats.Counters;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.ports.MessageQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One run of the whole pipeline under one seed, in one thread, on in-memory ports: the broadcast's chunks enter
 * as the match stage would emit them (detections, or chunks for the fallback stage), every queue delivers at
 * least once in random order with duplicates and delays, the process dies at random between any two side
 * effects (then the batch is delivered again after the visibility timeout), and the scheduled play posting runs
 * on the moving simulated clock. Everything random comes from the seed, so a run replays exactly.
 *
 * <p>After the broadcast the faults stop and the pipeline drains; then {@link Invariants} checks the end state.
 */
public final class Simulation {
    /** Deliveries of one message during which faults may fire; later ones run clean, so every message ends. */
    static final int FAULTY_RECEIVES = 3;
    /** How often the scheduled posting runs, ms (as {@code FunctionCatalogue}'s schedule). */
    static final long POSTING_EVERY_MS = 15_000;
    /** Latest simulated instant after the broadcast before a run counts as stuck, ms. */
    static final long MAX_DRAIN_MS = 3 * 3_600_000L;

    /** Simulated air start of every run. */
    public static final Instant START = Instant.parse("2026-11-20T06:00:00Z");

    private final long seed;
    private final Profile profile;
    private final boolean audio;

    /**
     * @param seed    the seed
     * @param profile how hard
     */
    public Simulation(long seed, Profile profile) {
        this(seed, profile, false);
    }

    /**
     * @param seed    the seed
     * @param profile how hard
     * @param audio   the slow mode: the truth is rendered to real audio ({@link AudioWorld}), cut by the capture
     *                chunker and matched by the real {@link MatchStage} (the profile's matcher noise is unused)
     */
    public Simulation(long seed, Profile profile, boolean audio) {
        this.seed = seed;
        this.profile = profile;
        this.audio = audio;
    }

    /**
     * The end state of a run and what was checked.
     *
     * @param seed           the seed
     * @param violations     broken invariants (empty when the run is sound)
     * @param airingFindings airings paid more than once (the plays issue), kept apart from the violations
     * @param stats          counts
     * @param fingerprint    digest of every table at the end (equal for two runs of one seed)
     */
    public record Outcome(long seed, List<String> violations, List<String> airingFindings, Stats stats,
                          String fingerprint) {
    }

    /**
     * Counts of one run, for the report.
     *
     * @param stations   stations simulated
     * @param minutes    broadcast minutes
     * @param chunks     chunks
     * @param deliveries queue deliveries
     * @param crashes    crashes injected
     * @param plays      plays at the end
     * @param posted     plays posted
     * @param superseded final plays a late change superseded
     */
    public record Stats(int stations, long minutes, int chunks, long deliveries, long crashes, int plays, int posted,
                        int superseded) {
    }

    /** Runs the seed and checks the invariants. */
    public Outcome run() {
        SplittableRandom random = new SplittableRandom(seed);
        AudioWorld world = audio ? AudioWorld.shared() : null;
        Broadcast broadcast = Broadcast.generate(random.split(), profile, START.toEpochMilli(),
                world == null ? null : world.catalogDurationsMs());
        Map<String, ChunkAudio> rendered = world == null ? Map.of() : world.render(broadcast, seed * 31 + 17);
        SplittableRandom chaos = random.split();
        ManualClock clock = new ManualClock(START);
        Faults faults = new Faults(chaos.split(), profile.crashRate());
        InMemoryTableStore memory = new InMemoryTableStore();
        FaultyTableStore tables = new FaultyTableStore(memory, faults);
        InMemoryObjectStore objects = new InMemoryObjectStore();

        Map<QueueName, InMemoryQueue> queues = new EnumMap<>(QueueName.class);
        SplittableRandom queueRandom = chaos.split();
        List<QueueName> used = new ArrayList<>(List.of(QueueName.FALLBACK, QueueName.DETECTION, QueueName.ENRICHED,
                QueueName.MAPPED));
        if (audio) {
            used.add(QueueName.CHUNK);
        }
        for (QueueName q : used) {
            queues.put(q, new InMemoryQueue(q.queueName(), Duration.ofSeconds(q.visibilityTimeoutSeconds()),
                    q.maxReceiveCount(), profile.duplicateRate(), queueRandom.split(), clock));
        }
        Set<String> sentDetections = new LinkedHashSet<>();
        List<String> fallbackChunks = new ArrayList<>();
        SimPublisher rawPublisher = new SimPublisher(queues, faults, chaos.split(), 2_000);
        MessagePublisher publisher = (queue, message) -> {
            if (queue == QueueName.DETECTION && message instanceof DetectionMessage m) {
                sentDetections.add(m.detection().detectionId());
            }
            if (audio && queue == QueueName.FALLBACK && message instanceof Chunk c
                    && !fallbackChunks.contains(c.chunkId())) {
                fallbackChunks.add(c.chunkId()); // the match stage found nothing local
            }
            rawPublisher.send(queue, message);
        };

        Settings settings = Settings.load(k -> null);
        Ledger ledger = new Ledger(tables, Contention.noWaits());
        RoyaltyCalculator calculator = new RoyaltyCalculator(RuleBook.bundled(), ReciprocalAgreements.bundled());
        PlayStore plays = new PlayStore(tables, PlayAssembler.from(settings.royalty()), calculator::minPaidDurationMs,
                settings.royalty().playCloseAfterMs(), clock, Contention.noWaits());
        RoyaltyPoster poster = new RoyaltyPoster(plays, ledger, calculator);
        ProMapper mapper = new ProMapper(SocietyRegistry.loadDefault());
        FakeAcrCloud acr = new FakeAcrCloud(broadcast, clock, faults, chaos.split(), profile);
        AcrBudget budget = new AcrBudget(tables, clock, profile.acrPerMinute(), profile.acrDailyBudget(), s -> 0);
        Counters counters = new Counters(tables, clock);
        FallbackIdentifier fallback = new FallbackIdentifier(acr, null, budget, null, counters, objects, tables,
                clock);
        IsrcEnricher enricher = new IsrcEnricher(new DynamoEnrichmentCache(tables, clock), null,
                IsrcEnricher.TransientPolicy.PARTIAL);
        Map<String, io.spinledger.domain.Track> catalog = new java.util.HashMap<>();
        broadcast.catalog().values().forEach(t -> catalog.put(t.trackId(), t.meta()));
        io.spinledger.catalog.TrackRepository registered = new io.spinledger.catalog.TrackRepository(memory);
        catalog.values().forEach(registered::put); // the catalog as registered before the broadcast
        Stages stages = new Stages(publisher, new FallbackStage(fallback::identify, plays.chunkLog()),
                new EnrichStage(id -> Optional.ofNullable(catalog.get(id)), id -> Optional.empty(), enricher::enrich),
                new RightsStage(mapper), new PlayAssemblyStage(poster));
        stages.clockNow = clock::instant;

        Map<String, Station> stations = new java.util.HashMap<>();
        broadcast.stations().forEach(s -> stations.put(s.stationId(), s));
        PostingStage posting = new PostingStage(poster, id -> Optional.ofNullable(stations.get(id)));
        Map<QueueName, Consumer<String>> consumers = new EnumMap<>(Map.of(
                QueueName.FALLBACK, stages::fallback,
                QueueName.DETECTION, stages::enrich,
                QueueName.ENRICHED, stages::rights,
                QueueName.MAPPED, stages::assemble));
        Map<QueueName, Integer> batch = new EnumMap<>(Map.of(QueueName.FALLBACK, batchSize("acrcloudFallback", 5),
                QueueName.DETECTION, batchSize("isrcEnrichment", 10), QueueName.ENRICHED, batchSize("proMapping", 10),
                QueueName.MAPPED, batchSize("playAssembly", 10)));
        if (audio) {
            // with the capture's chunk step: the look-back and look-forward read neighbouring chunks, in any order
            ChunkMatcher matcher = new ChunkMatcher(objects, world.engine(), Long.MAX_VALUE, clock, Broadcast.STEP_MS);
            synchronized (world) {
                matcher.refreshIfDue(); // once, under a lock (the engine is shared by the seeds of this JVM)
            }
            MatchStage match = new MatchStage(matcher::match, (counter, key) -> { }, plays.chunkLog());
            consumers.put(QueueName.CHUNK, body -> match.handle(Json.read(body, Chunk.class), publisher));
            batch.put(QueueName.CHUNK, batchSize("fingerprintMatch", 5));
        }

        // the fast mode's match stage: the broadcast says what the matcher made of each chunk
        MatchStage fastMatch = new MatchStage(c -> {
            throw new IllegalStateException("the fast mode emits the generated outcome");
        }, (counter, key) -> { }, plays.chunkLog());
        List<Broadcast.ChunkOutcome> outcomes = broadcast.outcomes();
        long[] readyAt = new long[outcomes.size()];
        for (int i = 0; i < readyAt.length; i++) {
            Chunk c = outcomes.get(i).chunk();
            readyAt[i] = c.startedAt().toEpochMilli() + c.durationMs() + chaos.nextLong(4_000);
        }
        List<String> violations = new ArrayList<>();
        int next = 0;
        long nextPosting = START.toEpochMilli() + POSTING_EVERY_MS;
        long activeUntil = broadcast.endMs() + 60_000;
        List<QueueName> order = new ArrayList<>(queues.keySet());
        long deliveries = 0;
        while (true) {
            long now = clock.millis();
            boolean active = now < activeUntil;
            faults.arm(false);
            for (; next < outcomes.size() && readyAt[next] <= now; next++) {
                Broadcast.ChunkOutcome o = outcomes.get(next);
                if (audio) {
                    // the capture stage: the chunk's WAV in the media bucket, the chunk to the match stage
                    ChunkAudio a = rendered.get(o.chunk().chunkId());
                    String key = BucketName.chunkKey(o.chunk().stationId(), a.startedAt(), o.chunk().chunkId());
                    byte[] wav = Wav.write(new Pcm(a.samples(), a.sampleRateHz()));
                    objects.put(key, wav, "audio/wav");
                    acr.register(wav, o.chunk().chunkId());
                    Chunk chunk = new Chunk(o.chunk().chunkId(), o.chunk().stationId(), a.startedAt(), a.durationMs(), key,
                            a.sampleRateHz(), "sim");
                    plays.chunkLog().register(chunk, false);
                    publisher.send(QueueName.CHUNK, chunk);
                } else if (o.detections().isEmpty()) {
                    byte[] wav = chunkWav(next);
                    objects.put(o.chunk().objectKey(), wav, "audio/wav");
                    acr.register(wav, o.chunk().chunkId());
                    fallbackChunks.add(o.chunk().chunkId());
                    plays.chunkLog().register(o.chunk(), false);
                    fastMatch.emit(o.chunk(), new ChunkMatcher.Outcome(ChunkMatcher.Kind.UNMATCHED, List.of(), null),
                            publisher);
                } else {
                    plays.chunkLog().register(o.chunk(), false);
                    fastMatch.emit(o.chunk(), new ChunkMatcher.Outcome(ChunkMatcher.Kind.MATCHED, o.detections(), null),
                            publisher);
                }
            }
            shuffle(order, chaos);
            for (QueueName q : order) {
                if (chaos.nextDouble() < 0.35) {
                    continue; // this consumer is busy or cold this second
                }
                List<MessageQueue.Received> got = queues.get(q).receive(batch.get(q));
                deliveries += got.size();
                List<MessageQueue.Received> done = new ArrayList<>();
                // a crash fails the whole batch, so faults fire only while every message of it is young: a message
                // on its 4th or 5th receive is never dragged to the dead-letter queue by a batch-mate's crash
                boolean faulty = active && got.stream().allMatch(m -> m.receiveCount() <= FAULTY_RECEIVES);
                try {
                    for (MessageQueue.Received m : got) {
                        faults.arm(faulty);
                        try {
                            consumers.get(q).accept(m.body());
                            done.add(m);
                        } catch (RuntimeException e) {
                            lastError(m, e);
                        }
                    }
                    done.forEach(queues.get(q)::delete);
                } catch (SimulatedCrash crash) {
                    // the invocation died: SQS deletes nothing of the batch; all of it comes back after the timeout
                } finally {
                    faults.arm(false);
                }
            }
            if (now >= nextPosting) {
                faults.arm(active && chaos.nextDouble() < 0.5);
                try {
                    var report = posting.handle(clock.instant());
                    if (Stages.TRACE != null && !report.closedPlayIds().isEmpty()) {
                        System.err.println("TRACE " + clock.instant() + " closed " + report.closedPlayIds() + " posted "
                                + report.posted().stream().map(t -> t.playId()).toList());
                    }
                } catch (SimulatedCrash crash) {
                    // the scheduled run died; the next one carries on
                } finally {
                    faults.arm(false);
                }
                nextPosting = now + POSTING_EVERY_MS - 3_000 + chaos.nextLong(6_001);
            }
            if (!active && next >= outcomes.size() && queues.values().stream().allMatch(q -> q.depth() == 0)
                    && unfinishedPlays(memory) == 0 && now > nextPosting - POSTING_EVERY_MS + 1) {
                break;
            }
            if (now > broadcast.endMs() + MAX_DRAIN_MS) {
                violations.add("the pipeline did not drain within " + MAX_DRAIN_MS / 60_000 + " simulated minutes: "
                        + queues.values().stream().map(q -> q.name() + "=" + q.depth()).toList() + ", "
                        + unfinishedPlays(memory) + " plays not final");
                break;
            }
            clock.advance(java.time.Duration.ofMillis(500 + chaos.nextLong(1_001)));
        }
        Invariants inv = new Invariants(broadcast, memory, plays, ledger, calculator, fallback, acr, profile, stations);
        violations.addAll(inv.check(queues, sentDetections, fallbackChunks, lastErrors));
        Stats stats = new Stats(broadcast.stations().size(), (broadcast.endMs() - broadcast.startMs()) / 60_000,
                outcomes.size(), deliveries, faults.crashes(), inv.playCount(), inv.postedCount(), inv.supersededCount());
        return new Outcome(seed, violations, List.copyOf(inv.airingFindings()), stats, inv.fingerprint());
    }

    private final Map<String, String> lastErrors = new java.util.HashMap<>();

    private void lastError(MessageQueue.Received m, RuntimeException e) {
        lastErrors.put(m.messageId(), e.toString());
    }

    /** Plays not yet final or settled, and stations waiting to re-derive a late detection's air time. */
    private static int unfinishedPlays(InMemoryTableStore memory) {
        int n = 0;
        for (var item : memory.dump(TableName.PLAYS)) {
            if (item.sk().equals("TIMELINE") && item.num("rederive", 0) == 1) {
                n++; // a late detection waits for the next posting run to re-derive its air time
                continue;
            }
            String status = item.str("status");
            if (status == null || !item.sk().startsWith("p-")) {
                continue;
            }
            if (status.equals("OPEN") || item.num("unsettled", 0) == 1) {
                n++;
            }
        }
        return n;
    }

    private static int batchSize(String function, int fallback) {
        return FunctionCatalogue.ALL.stream().filter(f -> f.definition().equals(function)).findFirst()
                .map(FunctionCatalogue.Function::batchSize).filter(b -> b > 0).orElse(fallback);
    }

    /** A short WAV that differs for every chunk (the fake ACRCloud recognises chunks by their bytes). */
    private static byte[] chunkWav(int n) {
        short[] pcm = new short[32];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (((n >> (i % 16)) & 1) == 1 ? 1000 + i : -1000 - i);
        }
        return Wav.mono16(pcm, 11025);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom r) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /** Seed of this run. */
    public long seed() {
        return seed;
    }
}
