package io.spinledger.stage.plays;

import static io.spinledger.ports.SortKeys.sortable;

import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.json.Json;
import io.spinledger.stage.capture.ChunkLog;
import io.spinledger.ports.Condition;
import io.spinledger.ports.ConditionFailedException;
import io.spinledger.ports.Contention;
import io.spinledger.ports.Item;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.Write;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detections, the station timeline of plays derived from them, and each station's watermark, in a
 * {@link TableStore} (DynamoDB when deployed).
 *
 * <p>Items:
 * <ul>
 *   <li>{@code DETECTIONS}: pk stationId, sk {@code <chunkStartedAt, ISO ms>#<detectionId>}, doc = the
 *       {@link DetectionMessage} JSON; attribute {@code trackId}. The same partition holds the station's
 *       {@link ChunkLog} (sk {@code CHUNK#...}).</li>
 *   <li>{@code PLAYS}: pk stationId, sk playId ({@code p-<13-digit start ms>-<hash>}), doc = {@link Play} JSON;
 *       attributes {@code status}, {@code version} (optimistic lock), {@code updatedAtMs}, {@code trackId},
 *       {@code unsettled} (1 while the posting stage still has to bring the ledger in line), {@code postingKey}
 *       once posted.</li>
 *   <li>{@code PLAYS}, sk {@code TIMELINE}: the station's progress: {@code finalizedThroughMs} (plays that start
 *       before it are final), {@code watermarkMs} (air time up to which every chunk is accounted for),
 *       {@code rederive}/{@code rederiveFromMs} (a late detection changed the final region from there), and a
 *       {@code version} that every change of the station's plays bumps in the same transaction, so two consumers
 *       deriving at once cannot both win (the loser re-reads and derives again).</li>
 * </ul>
 *
 * <p>Lifecycle, in event time: a detection is stored and the plays around it are re-derived as OPEN
 * (<em>provisional</em>). A play becomes final (CLOSED) when the station's <b>watermark</b> passes its end plus the
 * play gap: every chunk that started before the watermark has an outcome in the {@link ChunkLog} (matched,
 * identified, unidentified, silent, corrupt, failed) and every detection it produced is stored here. Processing
 * time plays no part, except that a chunk not accounted for within the account timeout is recorded FAILED (its
 * message was dead-lettered), and a station whose capture registered no chunk for {@code stationIdleMs} counts as
 * off air (its watermark passes everything captured; an air-check's last chunk says so at once). The posting stage
 * posts CLOSED plays (POSTED). A detection that arrives for the final region marks the station for re-derivation:
 * the next run recomputes that region, and a final play that changed is rewritten (the posting stage reverses its
 * posting and posts the new form) or SUPERSEDED (its posting reversed). Nothing is parked for review.
 *
 * <p>Stations without any chunk record (detections stored by some other route) fall back to the old rule: their
 * plays become final once none changed for {@code stationIdleMs}.
 */
public final class PlayStore {
    private static final Logger log = LoggerFactory.getLogger(PlayStore.class);
    private static final TableName PLAYS = TableName.PLAYS;
    private static final TableName DETECTIONS = TableName.DETECTIONS;
    /** How long a detection is kept after its chunk aired, by default ({@code SPINLEDGER_DETECTION_RETENTION_DAYS}). */
    public static final java.time.Duration DEFAULT_DETECTION_RETENTION = java.time.Duration.ofDays(90);
    private volatile java.time.Duration detectionRetention = DEFAULT_DETECTION_RETENTION;
    private static final long INITIAL_HALF_WINDOW_MS = 10 * 60_000L;
    private static final long MAX_HALF_WINDOW_MS = 48 * 3_600_000L;
    private static final long EDGE_MARGIN_MS = 5 * 60_000L;
    /** Chunk records re-read behind the stored watermark, and air re-derived before a late change, ms. */
    private static final long LOOKBACK_MS = 5 * 60_000L;
    /** A chunk not accounted for this long after it was registered is recorded FAILED (default), ms. */
    public static final long DEFAULT_ACCOUNT_TIMEOUT_MS = 60 * 60_000L;
    private static final int MAX_FINALS_PER_RUN = 30;
    private static final int MAX_ATTEMPTS = 25;
    private static final String TIMELINE = "TIMELINE";
    private static final long NONE = Long.MIN_VALUE;
    /** "No end" in air time (year 9999: still a sortable ISO instant). */
    private static final long OPEN_END = 253_370_764_800_000L;

    private final TableStore store;
    private final PlayAssembler assembler;
    private final ToLongFunction<Instant> minPaidDurationMs;
    private final long stationIdleMs;
    private final long accountTimeoutMs;
    private final Clock clock;
    private final Contention contention;
    private final ChunkLog chunks;
    private final io.spinledger.catalog.TrackRepository tracks;

    /**
     * A store that retries lost races with {@link Contention#standard()}.
     *
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param stationIdleMs     a station with no new chunk for this long counts as off air, ms
     * @param clock             processing time
     */
    public PlayStore(TableStore store, PlayAssembler assembler, long minPaidDurationMs, long stationIdleMs,
                     Clock clock) {
        this(store, assembler, minPaidDurationMs, stationIdleMs, clock, Contention.standard());
    }

    /**
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param stationIdleMs     a station with no new chunk for this long counts as off air, ms
     * @param clock             processing time
     * @param contention        how lost optimistic-concurrency races are retried (waits, jitter)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, long minPaidDurationMs, long stationIdleMs,
                     Clock clock, Contention contention) {
        this(store, assembler, start -> minPaidDurationMs, stationIdleMs, clock, contention);
    }

    /**
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs the rate card's minimum paid duration for a play that started at a given instant, ms
     *                          (the rate card is its only source: {@code RoyaltyCalculator#minPaidDurationMs})
     * @param stationIdleMs     a station with no new chunk for this long counts as off air, ms
     * @param clock             processing time
     * @param contention        how lost optimistic-concurrency races are retried (waits, jitter)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, ToLongFunction<Instant> minPaidDurationMs,
                     long stationIdleMs, Clock clock, Contention contention) {
        this(store, assembler, minPaidDurationMs, stationIdleMs, DEFAULT_ACCOUNT_TIMEOUT_MS, clock, contention);
    }

    /**
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs the rate card's minimum paid duration by play start, ms
     * @param stationIdleMs     a station with no new chunk for this long counts as off air, ms
     * @param accountTimeoutMs  a chunk not accounted for this long after it was registered is recorded FAILED, ms
     * @param clock             processing time
     * @param contention        how lost optimistic-concurrency races are retried (waits, jitter)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, ToLongFunction<Instant> minPaidDurationMs,
                     long stationIdleMs, long accountTimeoutMs, Clock clock, Contention contention) {
        this.store = store;
        this.assembler = assembler;
        this.minPaidDurationMs = minPaidDurationMs;
        this.stationIdleMs = stationIdleMs;
        this.accountTimeoutMs = accountTimeoutMs;
        this.clock = clock;
        this.contention = contention;
        this.chunks = new ChunkLog(store, clock);
        this.tracks = new io.spinledger.catalog.TrackRepository(store);
    }

    /**
     * A store configured from the royalty settings, on the system UTC clock.
     *
     * @param minPaidDurationMs the rate card's minimum paid duration by play start, ms (see the constructor)
     */
    public static PlayStore create(TableStore store, Settings.Royalty royalty,
                                   ToLongFunction<Instant> minPaidDurationMs) {
        return new PlayStore(store, PlayAssembler.from(royalty), minPaidDurationMs, royalty.playCloseAfterMs(),
                Clock.systemUTC(), Contention.standard());
    }

    /** The chunk log the watermark is computed from (same tables). */
    public ChunkLog chunkLog() {
        return chunks;
    }

    /**
     * What {@link #recordDetection} did.
     *
     * @param newDetection false when the detection was already stored (a redelivery)
     * @param play         the OPEN play now holding the detection (or holding it as an alternative), or the final
     *                     play that already held exactly this group; empty when the detection was late
     * @param superseded   ids of OPEN plays deleted because the timeline around the detection changed
     * @param changed      whether any play or the station's timeline was written
     * @param late         whether the detection fell into the station's final region (the next posting run
     *                     re-derives it, revising the plays and postings it changes)
     */
    public record RecordOutcome(boolean newDetection, Optional<Play> play, List<String> superseded, boolean changed,
                                boolean late) {
    }

    /**
     * A station's progress in event time.
     *
     * @param stationId         station
     * @param watermark         air time up to which every chunk is accounted for (null: none yet)
     * @param finalizedThrough  plays that start before it are final (null: none yet)
     * @param rederiveFrom      a late detection changed the final region from here (null: none pending)
     */
    public record Progress(String stationId, Instant watermark, Instant finalizedThrough, Instant rederiveFrom) {
    }

    /**
     * Stores a detection (idempotently, keyed by station, chunk start and detection id) and re-derives the station's
     * provisional plays around it from its stored detections (every track: a station airs one thing at a time).
     * Writes them OPEN with the latest recording metadata and PRO mapping, and deletes OPEN plays they replace, in
     * one transaction. A detection in the station's final region only marks the station for re-derivation.
     * Redelivery and any arrival order give the same plays.
     *
     * @throws IllegalArgumentException when the message has no detection, station, track or detection id
     * @throws IllegalStateException    when concurrent writers kept winning for 25 attempts
     */
    public RecordOutcome recordDetection(DetectionMessage message) {
        Detection d = message == null ? null : message.detection();
        if (d == null || blank(d.detectionId()) || blank(d.stationId()) || blank(d.trackId())
                || d.chunkStartedAt() == null) {
            throw new IllegalArgumentException("detection message needs detectionId, stationId, trackId, chunkStartedAt");
        }
        boolean inserted = storeDetection(message);
        try {
            return contention.call("play derivation for " + d.detectionId(), MAX_ATTEMPTS,
                    () -> derive(message, inserted));
        } catch (TransactionCancelledException e) {
            if (!e.retryable()) {
                throw e;
            }
            throw new IllegalStateException("could not derive the play of detection " + d.detectionId() + " after "
                    + MAX_ATTEMPTS + " attempts (contention)", e);
        }
    }

    /**
     * Sets how long detections and chunk records are kept after their chunk aired (their TTL, {@code expiresAt}).
     * A play is final within minutes of its end and posted at the next posting run, so the defaults (90 days for
     * detections, the evidence behind a paid play; 7 days for chunk records, which the watermark needs for minutes)
     * keep them well past that; the play itself and its postings are never expired.
     *
     * @param detections     detection retention, positive
     * @param chunkRecords   chunk record retention, positive
     * @return this store
     */
    public PlayStore retainFor(java.time.Duration detections, java.time.Duration chunkRecords) {
        if (detections.isNegative() || detections.isZero()) {
            throw new IllegalArgumentException("detection retention must be positive, got " + detections);
        }
        this.detectionRetention = detections;
        chunks.retainFor(chunkRecords);
        return this;
    }

    private boolean storeDetection(DetectionMessage m) {
        Detection d = m.detection();
        Item item = Item.doc(d.stationId(), detectionSk(d), Json.write(m))
                .with("trackId", d.trackId())
                .with("detectionId", d.detectionId())
                .with(Item.EXPIRES_AT, d.chunkStartedAt().plus(detectionRetention).getEpochSecond());
        return store.putIfAbsent(DETECTIONS, item);
    }

    /** The station's timeline item: its values and version (null version: not written yet). */
    private record Timeline(long finalizedThroughMs, long watermarkMs, long rederiveFromMs, Long version) {
        boolean rederive() {
            return rederiveFromMs != NONE;
        }
    }

    private Timeline readTimeline(String stationId) {
        Item item = store.get(PLAYS, stationId, TIMELINE).orElse(null);
        if (item == null) {
            return new Timeline(NONE, NONE, NONE, null);
        }
        boolean rederive = item.num("rederive", 0) == 1;
        return new Timeline(item.num("finalizedThroughMs", NONE), item.num("watermarkMs", NONE),
                rederive ? item.num("rederiveFromMs", NONE) : NONE,
                item.get("version") == null ? null : item.num("version", 0));
    }

    /** An update of the timeline item that bumps its version, conditional on the version read. */
    private static Write.Update timelineUpdate(String stationId, Timeline seen) {
        Write.Update u = Write.update(PLAYS, stationId, TIMELINE);
        if (seen.version() == null) {
            return u.set("version", 1L).when(Condition.notExists("version"));
        }
        return u.set("version", seen.version() + 1).when(Condition.eq("version", seen.version()));
    }

    /** Air span a group may influence: its own and its alternatives' seconds, widened by the play gap. */
    private long[] span(PlayAssembler.PlayGroup g) {
        long start = g.startedAt().toEpochMilli();
        long end = g.endedAt().toEpochMilli();
        for (Play.Alternative a : g.alternatives()) {
            start = Math.min(start, a.startedAt().toEpochMilli());
            end = Math.max(end, a.endedAt().toEpochMilli());
        }
        return new long[] {start - assembler.playGapMs(), end + assembler.playGapMs()};
    }

    private RecordOutcome derive(DetectionMessage message, boolean inserted) {
        Detection d = message.detection();
        String stationId = d.stationId();
        Timeline timeline = readTimeline(stationId);

        long half = INITIAL_HALF_WINDOW_MS;
        long center = d.matchStartedAt().toEpochMilli();
        Map<String, DetectionMessage> messages;
        List<PlayAssembler.PlayGroup> groups;
        PlayAssembler.PlayGroup group;
        long[] span;
        while (true) {
            messages = readDetections(stationId, center - half, center + half);
            DetectionMessage stored = messages.get(d.detectionId());
            if (stored == null || (stored.recording() == null && message.recording() != null)
                    || (stored.proMapping() == null && message.proMapping() != null)) {
                messages.put(d.detectionId(), message);
            }
            groups = assemble(messages);
            group = PlayAssembler.containing(groups, d.detectionId());
            span = span(group);
            boolean nearEdge = span[0] - (center - half) < EDGE_MARGIN_MS || (center + half) - span[1] < EDGE_MARGIN_MS;
            if (!nearEdge || half >= MAX_HALF_WINDOW_MS) {
                break;
            }
            half *= 2;
        }
        final long[] s = span;
        final long gapMs = assembler.playGapMs();
        List<StoredPlay> stored = readPlays(stationId, s[0] - half, s[1]).stream()
                .filter(p -> p.play().status() != Play.Status.SUPERSEDED && overlaps(p.play(), s[0], s[1])).toList();
        // the group's own seconds (and its alternatives'): linking to a final play would have put that play's
        // detections into this group, so only a start before the final bound or a shared second is a late change
        boolean touchesFinal = s[0] + gapMs < timeline.finalizedThroughMs()
                || stored.stream().anyMatch(p -> p.play().status() != Play.Status.OPEN
                && overlaps(p.play(), s[0] + gapMs, s[1] - gapMs));
        List<StoredPlay> finals = stored.stream().filter(p -> p.play().status() != Play.Status.OPEN).toList();
        stored = stored.stream().filter(p -> p.play().status() == Play.Status.OPEN).toList();
        if (touchesFinal) {
            final String gid = group.playId();
            StoredPlay same = finals.stream().filter(p -> p.play().playId().equals(gid)).findFirst().orElse(null);
            if (same != null
                    && sameDerivation(same.play(), toPlay(group, messages, Play.Status.CLOSED, clock.instant()))) {
                return new RecordOutcome(inserted, Optional.of(same.play()), List.of(), false, false);
            }
            if (timeline.rederive() && timeline.rederiveFromMs() <= s[0]) {
                return new RecordOutcome(inserted, Optional.empty(), List.of(), false, true);
            }
            long from = timeline.rederive() ? Math.min(timeline.rederiveFromMs(), s[0]) : s[0];
            store.transact(List.of(timelineUpdate(stationId, timeline).set("rederive", 1L).set("rederiveFromMs", from)));
            log.info("station {}: detection {} arrived for the final region (from {}); it will be re-derived",
                    stationId, d.detectionId(), Instant.ofEpochMilli(from));
            return new RecordOutcome(inserted, Optional.empty(), List.of(), true, true);
        }

        Instant now = clock.instant();
        List<Play> targets = new ArrayList<>();
        Play mine = null;
        for (PlayAssembler.PlayGroup g : groups) {
            if (g.endedAt().toEpochMilli() >= s[0] && g.startedAt().toEpochMilli() <= s[1]
                    && g.startedAt().toEpochMilli() >= timeline.finalizedThroughMs()) {
                Play p = toPlay(g, messages, Play.Status.OPEN, now);
                targets.add(p);
                if (g.playId().equals(group.playId())) {
                    mine = p;
                }
            }
        }
        Map<String, StoredPlay> byId = new HashMap<>();
        stored.forEach(p -> byId.put(p.play().playId(), p));
        List<Write> writes = new ArrayList<>();
        writes.add(timelineUpdate(stationId, timeline));
        Set<String> targetIds = new HashSet<>();
        for (Play p : targets) {
            targetIds.add(p.playId());
            StoredPlay same = byId.get(p.playId());
            if (same == null) {
                StoredPlay elsewhere = store.get(PLAYS, stationId, p.playId())
                        .map(i -> new StoredPlay(Json.read(i.doc(), Play.class), i.num("version", 0))).orElse(null);
                if (elsewhere != null && elsewhere.play().status() == Play.Status.OPEN) {
                    same = elsewhere;
                }
            }
            if (same != null && withUpdatedAt(same.play(), now).equals(p)) {
                continue;
            }
            writes.add(Write.put(PLAYS, playItem(p, same == null ? 1 : same.version() + 1, false),
                    same == null ? Condition.itemAbsent() : openAt(same.version())));
        }
        List<String> superseded = new ArrayList<>();
        for (StoredPlay old : stored) {
            if (!targetIds.contains(old.play().playId())) {
                writes.add(Write.delete(PLAYS, stationId, old.play().playId(), openAt(old.version())));
                superseded.add(old.play().playId());
            }
        }
        if (writes.size() == 1) {
            return new RecordOutcome(inserted, Optional.ofNullable(mine), List.of(), false, false);
        }
        store.transact(writes);
        if (!superseded.isEmpty()) {
            log.info("station {}: plays {} replaced around detection {}", stationId, superseded, d.detectionId());
        }
        return new RecordOutcome(inserted, Optional.ofNullable(mine), superseded, true, false);
    }

    private static boolean overlaps(Play p, long from, long to) {
        return p.endedAt().toEpochMilli() >= from && p.startedAt().toEpochMilli() <= to;
    }

    /** The timeline of some stored detections; a track heard with an ISRC anywhere is keyed by that ISRC. */
    private List<PlayAssembler.PlayGroup> assemble(Map<String, DetectionMessage> messages) {
        Map<String, String> isrcOf = new TreeMap<>();
        for (DetectionMessage m : new TreeMap<>(messages).values()) {
            String isrc = m.recording() != null && m.recording().isrc() != null ? m.recording().isrc()
                    : m.detection().evidence().get("isrc");
            if (isrc != null && !isrc.isBlank()) {
                isrcOf.putIfAbsent(m.detection().trackId(),
                        "isrc:" + isrc.replace("-", "").trim().toUpperCase(java.util.Locale.ROOT));
            }
        }
        return assembler.assemble(messages.values().stream().map(DetectionMessage::detection).toList(),
                det -> isrcOf.getOrDefault(det.trackId(), "track:" + det.trackId()), this::trackDurationMs);
    }

    /** Recording lengths by track id, ms (0: unknown); the catalog's lengths do not change. */
    private final Map<String, Long> durations = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The length of a detection's recording, ms: from its evidence ({@code trackDurationMs}, or ACRCloud's
     * {@code durationMs}), else from the catalog; 0 when unknown.
     */
    private long trackDurationMs(Detection d) {
        for (String key : List.of("trackDurationMs", "durationMs")) {
            String v = d.evidence().get(key);
            if (v != null) {
                try {
                    return Math.max(0, Long.parseLong(v.trim()));
                } catch (NumberFormatException ignored) {
                    // not a number: look further
                }
            }
        }
        return durations.computeIfAbsent(d.trackId(), id -> tracks.get(id).map(t -> t.durationMs()).orElse(0L));
    }

    private Play toPlay(PlayAssembler.PlayGroup g, Map<String, DetectionMessage> messages, Play.Status status,
                        Instant now) {
        DetectionMessage latestRec = latest(g, messages, m -> m.recording() != null);
        DetectionMessage latestMap = latest(g, messages, m -> m.proMapping() != null);
        return g.toPlay(latestRec == null ? null : latestRec.recording(),
                latestMap == null ? null : latestMap.proMapping(), minPaidDurationMs.applyAsLong(g.startedAt()),
                status, now);
    }

    /** Whether two plays say the same (lifecycle, eligibility and processing time aside). */
    private static boolean sameDerivation(Play a, Play b) {
        return copy(a, Play.Status.OPEN, false, Instant.EPOCH).equals(copy(b, Play.Status.OPEN, false, Instant.EPOCH));
    }

    /** The group's detection message latest in air time (of the group's own track) that satisfies the test. */
    private static DetectionMessage latest(PlayAssembler.PlayGroup group, Map<String, DetectionMessage> messages,
                                           java.util.function.Predicate<DetectionMessage> test) {
        List<Detection> ds = group.detections();
        DetectionMessage any = null;
        for (int i = ds.size() - 1; i >= 0; i--) {
            DetectionMessage m = messages.get(ds.get(i).detectionId());
            if (m != null && test.test(m)) {
                if (ds.get(i).trackId().equals(group.trackId())) {
                    return m;
                }
                any = any == null ? m : any;
            }
        }
        return any;
    }

    /** The condition that a stored play is still OPEN at {@code version}. */
    private static Condition openAt(long version) {
        return Condition.and(Condition.eq("status", Play.Status.OPEN.name()), Condition.eq("version", version));
    }

    private Map<String, DetectionMessage> readDetections(String stationId, long fromMs, long toMs) {
        Map<String, DetectionMessage> out = new HashMap<>();
        // a detection's chunk starts up to one chunk before its match start
        Instant from = Instant.ofEpochMilli(Math.max(0, fromMs - 60_000));
        Instant to = Instant.ofEpochMilli(Math.max(0, Math.min(toMs, OPEN_END)));
        for (Item item : store.queryAll(DETECTIONS, stationId, SkRange.between(sortable(from), sortable(to) + "~"))) {
            DetectionMessage m = parseDetection(item.doc());
            out.put(m.detection().detectionId(), m);
        }
        return out;
    }

    /**
     * Stored detections of a station whose chunk started in {@code [from, to]}, oldest first.
     */
    public List<DetectionMessage> detections(String stationId, Instant from, Instant to) {
        return store.queryAll(DETECTIONS, stationId, SkRange.between(sortable(from), sortable(to) + "~")).stream()
                .map(i -> parseDetection(i.doc())).toList();
    }

    /** Parsed detection documents by their JSON (immutable once stored), most recently used last. */
    private static final int PARSED_CACHE_SIZE = 8_192;
    private static final Map<String, DetectionMessage> PARSED = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1_024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DetectionMessage> eldest) {
                    return size() > PARSED_CACHE_SIZE;
                }
            });

    /** Accepts both a full detection message and a bare detection (as another stage might store it). */
    private static DetectionMessage parseDetection(String json) {
        DetectionMessage cached = PARSED.get(json);
        if (cached != null) {
            return cached;
        }
        DetectionMessage m;
        try {
            m = json.contains("\"detection\"") ? Json.MAPPER.readValue(json, DetectionMessage.class)
                    : new DetectionMessage(Json.MAPPER.readValue(json, Detection.class), null, null);
        } catch (java.io.IOException e) {
            throw new Json.MalformedJsonException("stored detection is not valid JSON: " + e.getMessage(), e);
        }
        if (m.detection() == null) {
            throw new Json.MalformedJsonException("stored detection has no detection: " + json, null);
        }
        PARSED.put(json, m);
        return m;
    }

    private record StoredPlay(Play play, long version) {
    }

    private List<StoredPlay> readPlays(String stationId, long fromMs, long toMs) {
        Instant from = Instant.ofEpochMilli(Math.max(0, fromMs));
        Instant to = Instant.ofEpochMilli(Math.max(0, Math.min(toMs, OPEN_END)));
        return store.queryAll(PLAYS, stationId, SkRange.between(playSkBound(from), playSkBound(to) + "~")).stream()
                .map(i -> new StoredPlay(Json.read(i.doc(), Play.class), i.num("version", 0))).toList();
    }

    /**
     * Plays of one station that started in {@code [from, to)}, oldest first; SUPERSEDED plays are left out.
     */
    public List<Play> queryPlays(String stationId, Instant from, Instant to) {
        return readPlays(stationId, from.toEpochMilli(), to.toEpochMilli()).stream().map(StoredPlay::play)
                .filter(p -> p.status() != Play.Status.SUPERSEDED)
                .filter(p -> !p.startedAt().isBefore(from) && p.startedAt().isBefore(to)).toList();
    }

    /** SUPERSEDED plays of one station that started in {@code [from, to)} (audit), oldest first. */
    public List<Play> supersededPlays(String stationId, Instant from, Instant to) {
        return readPlays(stationId, from.toEpochMilli(), to.toEpochMilli()).stream().map(StoredPlay::play)
                .filter(p -> p.status() == Play.Status.SUPERSEDED)
                .filter(p -> !p.startedAt().isBefore(from) && p.startedAt().isBefore(to)).toList();
    }

    /**
     * Plays of the listed stations that started in {@code [from, to)}, ordered by start then play id.
     */
    public List<Play> queryAll(Collection<String> stationIds, Instant from, Instant to) {
        List<Play> out = new ArrayList<>();
        for (String stationId : stationIds) {
            out.addAll(queryPlays(stationId, from, to));
        }
        out.sort(Comparator.comparing(Play::startedAt).thenComparing(Play::playId));
        return out;
    }

    /** One play, or empty. */
    public Optional<Play> get(String stationId, String playId) {
        Item item = store.get(PLAYS, stationId, playId).orElse(null);
        return item == null || item.doc() == null || !playId.startsWith("p-")
                ? Optional.empty() : Optional.of(Json.read(item.doc(), Play.class));
    }

    /** A station's progress in event time (all null before its first finalization run). */
    public Progress progress(String stationId) {
        Timeline t = readTimeline(stationId);
        return new Progress(stationId, instantOrNull(t.watermarkMs()), instantOrNull(t.finalizedThroughMs()),
                instantOrNull(t.rederiveFromMs()));
    }

    private static Instant instantOrNull(long ms) {
        return ms == NONE ? null : Instant.ofEpochMilli(Math.min(ms, OPEN_END));
    }

    /**
     * Makes final every play the station watermarks have passed, re-derives final regions that late detections
     * changed, and returns the plays the posting stage must settle: CLOSED plays not yet posted or marked not paid
     * (a revised play among them), and SUPERSEDED plays whose postings are not reversed yet. Plays made final by
     * this call carry {@code updatedAt == now}.
     *
     * <p>Finds the stations to look at with a table scan filtered on status and flags; a status index is the next
     * step.
     *
     * @param now processing time (chunk account timeout, station idleness; stamps the changes)
     */
    public List<Play> closeDuePlays(Instant now) {
        Condition due = Condition.or(Condition.eq("status", Play.Status.OPEN.name()), Condition.eq("unsettled", 1L),
                Condition.eq("rederive", 1L));
        Set<String> stations = new java.util.TreeSet<>();
        for (Item item : store.scanAll(PLAYS, due)) {
            stations.add(item.pk());
        }
        List<Play> out = new ArrayList<>();
        for (String stationId : stations) {
            try {
                contention.call("finalization of " + stationId, MAX_ATTEMPTS, () -> {
                    finalizeStation(stationId, now);
                    return null;
                });
            } catch (TransactionCancelledException e) {
                log.warn("station {}: finalization lost to concurrent writers; next run", stationId);
            }
            for (Item item : store.queryAll(PLAYS, stationId, SkRange.beginsWith("p-"), Condition.eq("unsettled", 1L))) {
                out.add(Json.read(item.doc(), Play.class));
            }
        }
        out.sort(Comparator.comparing(Play::startedAt).thenComparing(Play::playId));
        return out;
    }

    /** Watermark of a station: the air time everything before is accounted for, and the end of what was captured. */
    private record Mark(long watermarkMs, long coveredUntilMs) {
    }

    private Mark watermark(String stationId, Timeline timeline, Instant now) {
        long from = timeline.watermarkMs() == NONE ? 0 : Math.max(0, timeline.watermarkMs() - LOOKBACK_MS);
        List<ChunkLog.Entry> entries = chunks.entries(stationId, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(OPEN_END));
        if (entries.isEmpty()) {
            if (timeline.watermarkMs() != NONE) {
                return new Mark(timeline.watermarkMs(), timeline.watermarkMs());
            }
            // no chunk log: detections from elsewhere; final once nothing changed for the idle time
            long quietSince = 0;
            for (Item item : store.queryAll(PLAYS, stationId, SkRange.beginsWith("p-"),
                    Condition.eq("status", Play.Status.OPEN.name()))) {
                quietSince = Math.max(quietSince, item.num("updatedAtMs", 0));
            }
            return now.toEpochMilli() - quietSince >= stationIdleMs ? new Mark(OPEN_END, NONE) : new Mark(NONE, NONE);
        }
        long covered = NONE;
        long lastRegistered = 0;
        for (ChunkLog.Entry e : entries) {
            covered = Math.max(covered, e.endedAt().toEpochMilli());
            lastRegistered = Math.max(lastRegistered, e.registeredAt().toEpochMilli());
        }
        Set<String> stored = new HashSet<>();
        for (Item item : store.queryAll(DETECTIONS, stationId, SkRange.between(
                sortable(entries.get(0).startedAt().minusMillis(60_000)), sortable(Instant.ofEpochMilli(covered)) + "~"))) {
            String id = item.str("detectionId");
            if (id != null) {
                stored.add(id);
            }
        }
        for (ChunkLog.Entry e : entries) {
            boolean accounted = e.state().terminal() && stored.containsAll(e.detectionIds());
            if (accounted) {
                continue;
            }
            if (now.toEpochMilli() - e.registeredAt().toEpochMilli() >= accountTimeoutMs) {
                String reason = "not accounted for within " + accountTimeoutMs / 60_000 + " min (state " + e.state()
                        + (e.state().terminal() ? ", detections missing" : "") + "): a message was dead-lettered?";
                log.warn("station {}: chunk {} {}", stationId, e.chunkId(), reason);
                if (!e.state().terminal()) {
                    chunks.fail(e, reason);
                }
                continue;
            }
            return new Mark(e.startedAt().toEpochMilli(), covered);
        }
        ChunkLog.Entry last = entries.get(entries.size() - 1);
        boolean offAir = last.segmentEnd() || now.toEpochMilli() - lastRegistered >= stationIdleMs;
        return new Mark(offAir ? OPEN_END : covered, covered);
    }

    private void finalizeStation(String stationId, Instant now) {
        Timeline timeline = readTimeline(stationId);
        Mark mark = watermark(stationId, timeline, now);
        long gap = assembler.playGapMs();
        long f = timeline.finalizedThroughMs();
        long regionStart = timeline.rederive() ? Math.min(f == NONE ? OPEN_END : f,
                timeline.rederiveFromMs() - LOOKBACK_MS) : f;
        if (mark.watermarkMs() == NONE) {
            return;
        }
        long lowest = regionStart == NONE ? 0 : regionStart;
        long upper = mark.watermarkMs() >= OPEN_END ? (mark.coveredUntilMs() == NONE ? OPEN_END : mark.coveredUntilMs())
                : mark.watermarkMs();
        long half = INITIAL_HALF_WINDOW_MS;
        Map<String, DetectionMessage> messages;
        List<PlayAssembler.PlayGroup> groups;
        while (true) {
            long lo = regionStart == NONE ? 0 : lowest - half;
            long hi = upper == OPEN_END ? OPEN_END : upper + half;
            messages = readDetections(stationId, lo, hi);
            groups = assemble(messages);
            final long lo2 = lo;
            boolean nearEdge = regionStart != NONE && groups.stream().anyMatch(g ->
                    g.startedAt().toEpochMilli() - lo2 < EDGE_MARGIN_MS && g.endedAt().toEpochMilli() >= lowest);
            if (!nearEdge || half >= MAX_HALF_WINDOW_MS) {
                break;
            }
            half *= 2;
        }
        List<PlayAssembler.PlayGroup> finals = new ArrayList<>();
        long firstOpen = OPEN_END;
        for (PlayAssembler.PlayGroup g : groups) {
            if (g.endedAt().toEpochMilli() < lowest) {
                continue;
            }
            if (g.endedAt().toEpochMilli() + gap < mark.watermarkMs()) {
                finals.add(g);
            } else {
                firstOpen = Math.min(firstOpen, g.startedAt().toEpochMilli());
            }
        }
        long newF = mark.watermarkMs() >= OPEN_END ? OPEN_END : mark.watermarkMs() - gap;
        newF = Math.min(newF, firstOpen);
        final long bound = newF;
        finals.removeIf(g -> g.startedAt().toEpochMilli() >= bound);
        if (finals.size() > MAX_FINALS_PER_RUN) {
            newF = finals.get(MAX_FINALS_PER_RUN).startedAt().toEpochMilli();
            finals = finals.subList(0, MAX_FINALS_PER_RUN);
        }
        if (newF >= OPEN_END) {
            long end = f == NONE ? 0 : f;
            for (PlayAssembler.PlayGroup g : finals) {
                end = Math.max(end, g.endedAt().toEpochMilli() + 1);
            }
            newF = end;
        }
        if (f != NONE) {
            newF = Math.max(newF, f);
        }
        final long regionEnd = newF;
        List<StoredPlay> stored = regionStart == NONE && finals.isEmpty() ? List.of()
                : readPlays(stationId, lowest - half, regionEnd).stream()
                .filter(p -> p.play().status() != Play.Status.SUPERSEDED)
                .filter(p -> p.play().endedAt().toEpochMilli() >= lowest
                        && p.play().startedAt().toEpochMilli() < regionEnd).toList();
        Map<String, StoredPlay> byId = new HashMap<>();
        stored.forEach(p -> byId.put(p.play().playId(), p));

        List<Write> writes = new ArrayList<>();
        Write.Update tl = timelineUpdate(stationId, timeline).set("finalizedThroughMs", newF);
        long storedMark = mark.watermarkMs() >= OPEN_END ? mark.coveredUntilMs() : mark.watermarkMs();
        if (storedMark != NONE) {
            tl = tl.set("watermarkMs", storedMark);
        }
        if (timeline.rederive()) {
            tl = tl.set("rederive", 0L);
        }
        writes.add(tl);
        Set<String> finalIds = new HashSet<>();
        int revised = 0;
        for (PlayAssembler.PlayGroup g : finals) {
            finalIds.add(g.playId());
            Play candidate = toPlay(g, messages, Play.Status.CLOSED, now);
            StoredPlay same = byId.get(g.playId());
            if (same == null) {
                StoredPlay any = store.get(PLAYS, stationId, g.playId())
                        .map(i -> new StoredPlay(Json.read(i.doc(), Play.class), i.num("version", 0))).orElse(null);
                if (any != null) {
                    same = any;
                }
            }
            if (same == null) {
                writes.add(Write.put(PLAYS, playItem(candidate, 1, true), Condition.itemAbsent()));
            } else if (same.play().status() == Play.Status.OPEN) {
                writes.add(Write.put(PLAYS, playItem(candidate, same.version() + 1, true), openAt(same.version())));
            } else if (!sameDerivation(same.play(), candidate)) {
                revised++;
                writes.add(Write.put(PLAYS, playItem(candidate, same.version() + 1, true),
                        Condition.eq("version", same.version())));
            }
        }
        List<String> supersededIds = new ArrayList<>();
        for (StoredPlay old : stored) {
            if (finalIds.contains(old.play().playId())) {
                continue;
            }
            if (old.play().status() == Play.Status.OPEN) {
                writes.add(Write.delete(PLAYS, stationId, old.play().playId(), openAt(old.version())));
            } else {
                supersededIds.add(old.play().playId());
                writes.add(Write.put(PLAYS, playItem(copy(old.play(), Play.Status.SUPERSEDED, old.play().royaltyEligible(),
                        now), old.version() + 1, true), Condition.eq("version", old.version())));
            }
        }
        if (writes.size() == 1 && newF == f && !timeline.rederive() && storedMark == timeline.watermarkMs()) {
            return;
        }
        store.transact(writes);
        if (revised > 0 || !supersededIds.isEmpty()) {
            log.info("station {}: late detections revised {} final play(s), superseded {}", stationId, revised,
                    supersededIds);
        }
    }

    /**
     * Marks a CLOSED play POSTED, remembering the ledger idempotency key. Idempotent.
     *
     * @return true when the play is now POSTED (also when it already was), false when it is missing or not CLOSED
     */
    public boolean markPosted(Play play, String postingKey) {
        return setFinalState(play, Play.Status.POSTED, play.royaltyEligible(), postingKey);
    }

    /**
     * Marks a CLOSED play as not paid: stays CLOSED with {@code royaltyEligible=false}, so it is not returned for
     * posting again.
     *
     * @return true when the play is now CLOSED and not eligible
     */
    public boolean markNotPaid(Play play) {
        return setFinalState(play, Play.Status.CLOSED, false, null);
    }

    /**
     * Marks a SUPERSEDED play settled (its postings are reversed), so it is not returned for posting again.
     * Idempotent.
     *
     * @return true when the play is SUPERSEDED and settled now
     */
    public boolean markSettled(Play play) {
        try {
            return contention.call("settling play " + play.playId(), MAX_ATTEMPTS, () -> {
                Item item = store.get(PLAYS, play.stationId(), play.playId()).orElse(null);
                if (item == null || item.doc() == null) {
                    return false;
                }
                if (!Play.Status.SUPERSEDED.name().equals(item.str("status"))) {
                    return false;
                }
                if (item.num("unsettled", 0) == 0) {
                    return true;
                }
                if (transition(Json.read(item.doc(), Play.class), item.num("version", 0), Play.Status.SUPERSEDED,
                        null)) {
                    return true;
                }
                throw new LostRace();
            }, e -> e instanceof LostRace);
        } catch (LostRace e) {
            throw new IllegalStateException("could not settle play " + play.playId() + " (contention)");
        }
    }

    private boolean setFinalState(Play play, Play.Status status, boolean eligible, String postingKey) {
        try {
            return contention.call("final state of play " + play.playId(), MAX_ATTEMPTS, () -> {
                Item item = store.get(PLAYS, play.stationId(), play.playId()).orElse(null);
                if (item == null || item.doc() == null) {
                    return false;
                }
                Play current = Json.read(item.doc(), Play.class);
                if (current.status() == status && current.royaltyEligible() == eligible
                        && item.num("unsettled", 0) == 0) {
                    return true;
                }
                if (current.status() != Play.Status.CLOSED || !sameDerivation(current, play)) {
                    return false; // not closed, or revised since the caller read it: the next run settles it
                }
                if (transition(copy(current, status, eligible, current.updatedAt()), item.num("version", 0),
                        Play.Status.CLOSED, postingKey)) {
                    return true;
                }
                throw new LostRace();
            }, e -> e instanceof LostRace);
        } catch (LostRace e) {
            throw new IllegalStateException("could not update play " + play.playId() + " (contention)");
        }
    }

    /** Someone changed the play between our read and our conditional write; read again. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("the play changed under us", null, false, false);
        }
    }

    /** Conditional rewrite of a play from {@code from} at {@code version}; false when someone changed it first. */
    private boolean transition(Play next, long version, Play.Status from, String postingKey) {
        Item item = playItem(next, version + 1, false);
        if (postingKey != null) {
            item = item.with("postingKey", postingKey);
        }
        try {
            store.write(Write.put(PLAYS, item, Condition.and(Condition.eq("status", from.name()),
                    Condition.eq("version", version))));
            return true;
        } catch (ConditionFailedException raced) {
            return false;
        }
    }

    private static Item playItem(Play play, long version, boolean unsettled) {
        return Item.doc(play.stationId(), play.playId(), Json.write(play))
                .with("status", play.status().name())
                .with("unsettled", unsettled ? 1L : 0L)
                .with("version", version)
                .with("updatedAtMs", play.updatedAt().toEpochMilli())
                .with("trackId", play.trackId());
    }

    /** Sort key of a detection: chunk start (ISO, ms) + "#" + detection id. */
    public static String detectionSk(Detection d) {
        return sortable(d.chunkStartedAt()) + "#" + d.detectionId();
    }

    private static String playSkBound(Instant t) {
        return String.format("p-%013d", Math.max(0, t.toEpochMilli()));
    }

    private static Play withUpdatedAt(Play p, Instant updatedAt) {
        return copy(p, p.status(), p.royaltyEligible(), updatedAt);
    }

    private static Play copy(Play p, Play.Status status, boolean eligible, Instant updatedAt) {
        return new Play(p.playId(), p.stationId(), p.trackId(), p.title(), p.artists(), p.isrc(), p.startedAt(),
                p.endedAt(), p.durationMs(), p.confidence(), p.source(), eligible, status, p.detectionIds(),
                p.chunkIds(), p.recording(), p.proMapping(), updatedAt, p.alternatives());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
