package io.spinledger.stage.plays;

import static io.spinledger.ports.SortKeys.sortable;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.json.Json;
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
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detections and the plays derived from them, in a {@link TableStore} (DynamoDB when deployed).
 *
 * <p>Items:
 * <ul>
 *   <li>{@code DETECTIONS}: pk stationId, sk {@code <chunkStartedAt, ISO ms>#<detectionId>}, doc = the
 *       {@link DetectionMessage} JSON; attribute {@code trackId}.</li>
 *   <li>{@code PLAYS}: pk stationId, sk playId ({@code p-<13-digit start ms>-<hash>}), doc = {@link Play} JSON;
 *       attributes {@code status}, {@code version} (optimistic lock), {@code updatedAtMs}, {@code trackId},
 *       {@code postingKey} once posted.</li>
 *   <li>{@code PLAYS}, sk {@code LOCK#<trackId>}: a version counter per station and track; every change of that
 *       track's plays bumps it in the same transaction, so two consumers deriving the same plays at once cannot
 *       both win (the loser re-reads and derives again).</li>
 *   <li>{@code PLAYS}, sk {@code REVIEW#<detectionId>}: a late detection that would have changed a CLOSED or
 *       POSTED play, kept for review (a re-rate/reversal is a later step).</li>
 * </ul>
 *
 * <p>Lifecycle: OPEN (may still grow or be replaced) -> CLOSED (final; no detection changes it any more) ->
 * POSTED. A CLOSED or POSTED play is never deleted or rewritten by {@link #recordDetection}.
 */
public final class PlayStore {
    private static final Logger log = LoggerFactory.getLogger(PlayStore.class);
    private static final TableName PLAYS = TableName.PLAYS;
    private static final TableName DETECTIONS = TableName.DETECTIONS;
    private static final long INITIAL_HALF_WINDOW_MS = 3_600_000L;
    private static final long MAX_HALF_WINDOW_MS = 48 * 3_600_000L;
    private static final long EDGE_MARGIN_MS = 10 * 60_000L;
    private static final int MAX_ATTEMPTS = 25;

    private final TableStore store;
    private final PlayAssembler assembler;
    private final ToLongFunction<Instant> minPaidDurationMs;
    private final long playCloseAfterMs;
    private final Clock clock;
    private final Contention contention;

    /**
     * A store that retries lost races with {@link Contention#standard()}.
     *
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param playCloseAfterMs  an OPEN play closes once not updated for this long, ms
     * @param clock             source of {@code updatedAt} (processing time)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, long minPaidDurationMs, long playCloseAfterMs,
                     Clock clock) {
        this(store, assembler, minPaidDurationMs, playCloseAfterMs, clock, Contention.standard());
    }

    /**
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param playCloseAfterMs  an OPEN play closes once not updated for this long, ms
     * @param clock             source of {@code updatedAt} (processing time)
     * @param contention        how lost optimistic-concurrency races are retried (waits, jitter)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, long minPaidDurationMs, long playCloseAfterMs,
                     Clock clock, Contention contention) {
        this(store, assembler, start -> minPaidDurationMs, playCloseAfterMs, clock, contention);
    }

    /**
     * @param store             the tables
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs the rate card's minimum paid duration for a play that started at a given instant, ms
     *                          (the rate card is its only source: {@code RoyaltyCalculator#minPaidDurationMs})
     * @param playCloseAfterMs  an OPEN play closes once not updated for this long, ms
     * @param clock             source of {@code updatedAt} (processing time)
     * @param contention        how lost optimistic-concurrency races are retried (waits, jitter)
     */
    public PlayStore(TableStore store, PlayAssembler assembler, ToLongFunction<Instant> minPaidDurationMs,
                     long playCloseAfterMs, Clock clock, Contention contention) {
        this.store = store;
        this.assembler = assembler;
        this.minPaidDurationMs = minPaidDurationMs;
        this.playCloseAfterMs = playCloseAfterMs;
        this.clock = clock;
        this.contention = contention;
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

    /**
     * What {@link #recordDetection} did.
     *
     * @param newDetection false when the detection was already stored (a redelivery)
     * @param play         the OPEN play now holding the detection, or the final play that already held exactly
     *                     this group; empty when the detection went to review
     * @param superseded   ids of OPEN plays deleted because the group got a new id (an earlier detection arrived)
     * @param changed      whether any play was written or deleted
     * @param sentToReview whether the detection would have changed a CLOSED/POSTED play and was recorded for review
     */
    public record RecordOutcome(boolean newDetection, Optional<Play> play, List<String> superseded, boolean changed,
                                boolean sentToReview) {
    }

    /**
     * A late detection that would have changed a final play.
     *
     * @param stationId   station
     * @param detectionId the late detection
     * @param trackId     its track
     * @param playIds     the CLOSED/POSTED plays it would have changed
     * @param reason      why it was not applied
     * @param recordedAt  when it was recorded
     */
    public record Review(String stationId, String detectionId, String trackId, List<String> playIds, String reason,
                         Instant recordedAt) {
        public Review {
            playIds = List.copyOf(playIds);
        }
    }

    /**
     * Stores a detection (idempotently, keyed by station, chunk start and detection id) and re-derives the play
     * it belongs to from the stored detections of that station and track around it. Writes the play OPEN with
     * the group's latest recording metadata and PRO mapping, and deletes OPEN plays it supersedes, in one
     * transaction. Redelivery and any arrival order give the same plays.
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

    private boolean storeDetection(DetectionMessage m) {
        Detection d = m.detection();
        Item item = Item.doc(d.stationId(), detectionSk(d), Json.write(m))
                .with("trackId", d.trackId())
                .with("detectionId", d.detectionId());
        return store.putIfAbsent(DETECTIONS, item);
    }

    private RecordOutcome derive(DetectionMessage message, boolean inserted) {
        Detection d = message.detection();
        String stationId = d.stationId();
        String trackId = d.trackId();
        Long lockVersion = readLockVersion(stationId, trackId);

        long half = INITIAL_HALF_WINDOW_MS;
        long margin = assembler.playGapMs() + EDGE_MARGIN_MS;
        long center = d.chunkStartedAt().toEpochMilli();
        Map<String, DetectionMessage> messages;
        PlayAssembler.PlayGroup group;
        while (true) {
            messages = readDetections(stationId, trackId, Instant.ofEpochMilli(center - half),
                    Instant.ofEpochMilli(center + half));
            DetectionMessage stored = messages.get(d.detectionId());
            if (stored == null || (stored.recording() == null && message.recording() != null)
                    || (stored.proMapping() == null && message.proMapping() != null)) {
                messages.put(d.detectionId(), message);
            }
            List<PlayAssembler.PlayGroup> groups = assembler.assemble(messages.values().stream()
                    .map(DetectionMessage::detection).toList());
            group = PlayAssembler.containing(groups, d.detectionId());
            boolean nearEdge = group.startedAt().toEpochMilli() - (center - half) < margin
                    || (center + half) - group.endedAt().toEpochMilli() < margin;
            if (!nearEdge || half >= MAX_HALF_WINDOW_MS) {
                break;
            }
            half *= 2;
        }

        List<StoredPlay> existing = readPlays(stationId, Instant.ofEpochMilli(center - half),
                Instant.ofEpochMilli(center + half + margin)).stream()
                .filter(p -> p.play().trackId().equals(trackId)).toList();
        Set<String> groupIds = new HashSet<>(group.detectionIds());
        List<StoredPlay> overlapping = existing.stream()
                .filter(p -> p.play().detectionIds().stream().anyMatch(groupIds::contains)).toList();
        List<StoredPlay> finals = overlapping.stream().filter(p -> p.play().status() != Play.Status.OPEN).toList();
        if (!finals.isEmpty()) {
            if (finals.size() == 1 && finals.get(0).play().detectionIds().equals(group.detectionIds())) {
                return new RecordOutcome(inserted, Optional.of(finals.get(0).play()), List.of(), false, false);
            }
            List<String> ids = finals.stream().map(p -> p.play().playId()).toList();
            String reason = "detection " + d.detectionId() + " arrived after play(s) " + ids
                    + " became final; it would change them (re-rate/reversal needed)";
            log.warn("station {}: {}", stationId, reason);
            recordReview(new Review(stationId, d.detectionId(), trackId, ids, reason, clock.instant()));
            return new RecordOutcome(inserted, Optional.empty(), List.of(), false, true);
        }

        DetectionMessage latestRec = latest(group, messages, m -> m.recording() != null);
        DetectionMessage latestMap = latest(group, messages, m -> m.proMapping() != null);
        Recording recording = latestRec == null ? null : latestRec.recording();
        ProMapping mapping = latestMap == null ? null : latestMap.proMapping();
        Instant now = clock.instant();
        Play candidate = group.toPlay(recording, mapping, minPaidDurationMs.applyAsLong(group.startedAt()),
                Play.Status.OPEN, now);
        final String newId = group.playId();
        StoredPlay same = overlapping.stream().filter(p -> p.play().playId().equals(newId)).findFirst().orElse(null);
        List<StoredPlay> superseded = overlapping.stream().filter(p -> !p.play().playId().equals(newId)).toList();
        if (same != null && superseded.isEmpty() && withUpdatedAt(same.play(), now).equals(candidate)) {
            return new RecordOutcome(inserted, Optional.of(same.play()), List.of(), false, false);
        }

        List<Write> writes = new ArrayList<>();
        writes.add(lockUpdate(stationId, trackId, lockVersion));
        writes.add(Write.put(PLAYS, playItem(candidate, same == null ? 1 : same.version() + 1),
                same == null ? Condition.itemAbsent() : openAt(same.version())));
        for (StoredPlay old : superseded) {
            writes.add(Write.delete(PLAYS, stationId, old.play().playId(), openAt(old.version())));
        }
        store.transact(writes);
        List<String> supersededIds = superseded.stream().map(p -> p.play().playId()).toList();
        if (!supersededIds.isEmpty()) {
            log.info("station {}: play {} replaces {} (an earlier detection arrived)", stationId, newId, supersededIds);
        }
        return new RecordOutcome(inserted, Optional.of(candidate), supersededIds, true, false);
    }

    /** The group's detection message latest in air time that satisfies the test, or null. */
    private static DetectionMessage latest(PlayAssembler.PlayGroup group, Map<String, DetectionMessage> messages,
                                           java.util.function.Predicate<DetectionMessage> test) {
        List<Detection> ds = group.detections();
        for (int i = ds.size() - 1; i >= 0; i--) {
            DetectionMessage m = messages.get(ds.get(i).detectionId());
            if (m != null && test.test(m)) {
                return m;
            }
        }
        return null;
    }

    /** The condition that a stored play is still OPEN at {@code version}. */
    private static Condition openAt(long version) {
        return Condition.and(Condition.eq("status", Play.Status.OPEN.name()), Condition.eq("version", version));
    }

    private static Write.Update lockUpdate(String stationId, String trackId, Long seen) {
        Write.Update u = Write.update(PLAYS, stationId, "LOCK#" + trackId);
        if (seen == null) {
            return u.set("version", 1L).when(Condition.notExists("version"));
        }
        return u.set("version", seen + 1).when(Condition.eq("version", seen));
    }

    private Long readLockVersion(String stationId, String trackId) {
        Item item = store.get(PLAYS, stationId, "LOCK#" + trackId).orElse(null);
        return item == null || item.get("version") == null ? null : item.num("version", 0);
    }

    private Map<String, DetectionMessage> readDetections(String stationId, String trackId, Instant from, Instant to) {
        Map<String, DetectionMessage> out = new HashMap<>();
        for (Item item : store.queryAll(DETECTIONS, stationId, SkRange.between(sortable(from), sortable(to) + "~"),
                Condition.eq("trackId", trackId))) {
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

    /** Accepts both a full detection message and a bare detection (as another stage might store it). */
    private static DetectionMessage parseDetection(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node.has("detection")) {
                return Json.MAPPER.treeToValue(node, DetectionMessage.class);
            }
            return new DetectionMessage(Json.MAPPER.treeToValue(node, Detection.class), null, null);
        } catch (java.io.IOException e) {
            throw new Json.MalformedJsonException("stored detection is not valid JSON: " + e.getMessage(), e);
        }
    }

    private record StoredPlay(Play play, long version) {
    }

    private List<StoredPlay> readPlays(String stationId, Instant from, Instant to) {
        return store.queryAll(PLAYS, stationId, SkRange.between(playSkBound(from), playSkBound(to) + "~")).stream()
                .map(i -> new StoredPlay(Json.read(i.doc(), Play.class), i.num("version", 0))).toList();
    }

    /**
     * Plays of one station that started in {@code [from, to)}, oldest first.
     */
    public List<Play> queryPlays(String stationId, Instant from, Instant to) {
        return readPlays(stationId, from, to).stream().map(StoredPlay::play)
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

    /**
     * Closes every OPEN play not updated for {@code playCloseAfterMs} (at {@code now}): status CLOSED and
     * {@code royaltyEligible} fixed by its duration. Returns the plays that need posting: the ones closed now
     * (eligible or not, so the caller sees everything that became final) plus royalty-eligible plays that were
     * closed earlier and never posted (a crash between closing and posting). Plays closed by this call carry
     * {@code updatedAt == now}.
     *
     * <p>Uses a table scan filtered on status; fine at this stage, a status index is the next step.
     */
    public List<Play> closeDuePlays(Instant now) {
        Condition openOrClosed = Condition.in("status", List.of(Play.Status.OPEN.name(), Play.Status.CLOSED.name()));
        long dueBefore = now.toEpochMilli() - playCloseAfterMs;
        List<Play> out = new ArrayList<>();
        for (Item item : store.scanAll(PLAYS, openOrClosed)) {
            Play play = Json.read(item.doc(), Play.class);
            long version = item.num("version", 0);
            if (play.status() == Play.Status.CLOSED) {
                if (play.royaltyEligible()) {
                    out.add(play);
                }
                continue;
            }
            if (item.num("updatedAtMs", Long.MAX_VALUE) > dueBefore) {
                continue;
            }
            Play closed = copy(play, Play.Status.CLOSED,
                    play.durationMs() >= minPaidDurationMs.applyAsLong(play.startedAt()), now);
            if (transition(closed, version, Play.Status.OPEN, null)) {
                out.add(closed);
            }
        }
        out.sort(Comparator.comparing(Play::startedAt).thenComparing(Play::playId));
        return out;
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

    private boolean setFinalState(Play play, Play.Status status, boolean eligible, String postingKey) {
        try {
            return contention.call("final state of play " + play.playId(), MAX_ATTEMPTS, () -> {
                Item item = store.get(PLAYS, play.stationId(), play.playId()).orElse(null);
                if (item == null || item.doc() == null) {
                    return false;
                }
                Play current = Json.read(item.doc(), Play.class);
                if (current.status() == status && current.royaltyEligible() == eligible) {
                    return true;
                }
                if (current.status() != Play.Status.CLOSED) {
                    return false;
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
        Item item = playItem(next, version + 1);
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

    private void recordReview(Review review) {
        // keeps the first record when there is one
        store.putIfAbsent(PLAYS, Item.doc(review.stationId(), "REVIEW#" + review.detectionId(), Json.write(review)));
    }

    /** Late detections recorded for review at a station, by detection id. */
    public List<Review> reviews(String stationId) {
        return store.queryAll(PLAYS, stationId, SkRange.beginsWith("REVIEW#")).stream()
                .map(i -> Json.read(i.doc(), Review.class)).toList();
    }

    private static Item playItem(Play play, long version) {
        return Item.doc(play.stationId(), play.playId(), Json.write(play))
                .with("status", play.status().name())
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
                p.chunkIds(), p.recording(), p.proMapping(), updatedAt);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
