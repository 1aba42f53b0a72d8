package io.spinledger.play;

import static io.spinledger.storage.DynamoSupport.n;
import static io.spinledger.storage.DynamoSupport.num;
import static io.spinledger.storage.DynamoSupport.s;
import static io.spinledger.storage.DynamoSupport.sortable;
import static io.spinledger.storage.DynamoSupport.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.domain.Detection;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.json.Json;
import io.spinledger.storage.DynamoSupport;
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
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Detections and the plays derived from them, in DynamoDB.
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
    private static final String PLAYS = TableName.PLAYS.tableName();
    private static final String DETECTIONS = TableName.DETECTIONS.tableName();
    private static final long INITIAL_HALF_WINDOW_MS = 3_600_000L;
    private static final long MAX_HALF_WINDOW_MS = 48 * 3_600_000L;
    private static final long EDGE_MARGIN_MS = 10 * 60_000L;
    private static final int MAX_ATTEMPTS = 25;

    private final DynamoDbClient dynamo;
    private final PlayAssembler assembler;
    private final long minPaidDurationMs;
    private final long playCloseAfterMs;
    private final Clock clock;

    /**
     * @param dynamo            DynamoDB client (tables provisioned)
     * @param assembler         how detections merge into plays
     * @param minPaidDurationMs plays shorter than this are not royalty-eligible, ms
     * @param playCloseAfterMs  an OPEN play closes once not updated for this long, ms
     * @param clock             source of {@code updatedAt} (processing time)
     */
    public PlayStore(DynamoDbClient dynamo, PlayAssembler assembler, long minPaidDurationMs, long playCloseAfterMs,
                     Clock clock) {
        this.dynamo = dynamo;
        this.assembler = assembler;
        this.minPaidDurationMs = minPaidDurationMs;
        this.playCloseAfterMs = playCloseAfterMs;
        this.clock = clock;
    }

    /** A store configured from the royalty settings, on the system UTC clock. */
    public static PlayStore create(DynamoDbClient dynamo, Settings.Royalty royalty) {
        return new PlayStore(dynamo, PlayAssembler.from(royalty), royalty.minPaidDurationMs(),
                royalty.playCloseAfterMs(), Clock.systemUTC());
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
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return derive(message, inserted);
            } catch (TransactionCanceledException e) {
                if (!DynamoSupport.retryable(e)) {
                    throw e;
                }
                log.debug("play derivation for {} lost a race ({}), attempt {}", d.detectionId(),
                        DynamoSupport.reasonCodes(e), attempt);
                backoff(attempt);
            }
        }
        throw new IllegalStateException("could not derive the play of detection " + d.detectionId() + " after "
                + MAX_ATTEMPTS + " attempts (contention)");
    }

    private boolean storeDetection(DetectionMessage m) {
        Detection d = m.detection();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableName.PK, s(d.stationId()));
        item.put(TableName.SK, s(detectionSk(d)));
        item.put(TableName.DOC, s(Json.write(m)));
        item.put("trackId", s(d.trackId()));
        item.put("detectionId", s(d.detectionId()));
        try {
            dynamo.putItem(r -> r.tableName(DETECTIONS).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableName.PK)));
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
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
        Play candidate = group.toPlay(recording, mapping, minPaidDurationMs, Play.Status.OPEN, now);
        final String newId = group.playId();
        StoredPlay same = overlapping.stream().filter(p -> p.play().playId().equals(newId)).findFirst().orElse(null);
        List<StoredPlay> superseded = overlapping.stream().filter(p -> !p.play().playId().equals(newId)).toList();
        if (same != null && superseded.isEmpty() && withUpdatedAt(same.play(), now).equals(candidate)) {
            return new RecordOutcome(inserted, Optional.of(same.play()), List.of(), false, false);
        }

        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(lockUpdate(stationId, trackId, lockVersion)).build());
        Put.Builder put = Put.builder().tableName(PLAYS).item(playItem(candidate, same == null ? 1 : same.version() + 1));
        if (same == null) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", TableName.PK));
        } else {
            put.conditionExpression("#st = :open AND #ver = :ver")
                    .expressionAttributeNames(Map.of("#st", "status", "#ver", "version"))
                    .expressionAttributeValues(Map.of(":open", s(Play.Status.OPEN.name()), ":ver", n(same.version())));
        }
        writes.add(TransactWriteItem.builder().put(put.build()).build());
        for (StoredPlay old : superseded) {
            writes.add(TransactWriteItem.builder().delete(Delete.builder().tableName(PLAYS)
                    .key(key(stationId, old.play().playId()))
                    .conditionExpression("#st = :open AND #ver = :ver")
                    .expressionAttributeNames(Map.of("#st", "status", "#ver", "version"))
                    .expressionAttributeValues(Map.of(":open", s(Play.Status.OPEN.name()), ":ver", n(old.version())))
                    .build()).build());
        }
        dynamo.transactWriteItems(r -> r.transactItems(writes));
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

    private Update lockUpdate(String stationId, String trackId, Long seen) {
        Update.Builder u = Update.builder().tableName(PLAYS).key(key(stationId, "LOCK#" + trackId))
                .updateExpression("SET #ver = :next")
                .expressionAttributeNames(Map.of("#ver", "version"));
        if (seen == null) {
            return u.conditionExpression("attribute_not_exists(#ver)")
                    .expressionAttributeValues(Map.of(":next", n(1))).build();
        }
        return u.conditionExpression("#ver = :seen")
                .expressionAttributeValues(Map.of(":next", n(seen + 1), ":seen", n(seen))).build();
    }

    private Long readLockVersion(String stationId, String trackId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(PLAYS).key(key(stationId, "LOCK#" + trackId))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("version") ? null : num(item, "version", 0);
    }

    private Map<String, DetectionMessage> readDetections(String stationId, String trackId, Instant from, Instant to) {
        QueryRequest q = QueryRequest.builder().tableName(DETECTIONS).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .filterExpression("trackId = :track")
                .expressionAttributeNames(Map.of("#pk", TableName.PK, "#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":pk", s(stationId), ":from", s(sortable(from)),
                        ":to", s(sortable(to) + "~"), ":track", s(trackId)))
                .build();
        Map<String, DetectionMessage> out = new HashMap<>();
        for (Map<String, AttributeValue> item : DynamoSupport.queryAll(dynamo, q)) {
            DetectionMessage m = parseDetection(str(item, TableName.DOC));
            out.put(m.detection().detectionId(), m);
        }
        return out;
    }

    /**
     * Stored detections of a station whose chunk started in {@code [from, to]}, oldest first.
     */
    public List<DetectionMessage> detections(String stationId, Instant from, Instant to) {
        QueryRequest q = QueryRequest.builder().tableName(DETECTIONS).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", TableName.PK, "#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":pk", s(stationId), ":from", s(sortable(from)),
                        ":to", s(sortable(to) + "~")))
                .build();
        return DynamoSupport.queryAll(dynamo, q).stream().map(i -> parseDetection(str(i, TableName.DOC))).toList();
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
        QueryRequest q = QueryRequest.builder().tableName(PLAYS).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", TableName.PK, "#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":pk", s(stationId), ":from", s(playSkBound(from)),
                        ":to", s(playSkBound(to) + "~")))
                .build();
        return DynamoSupport.queryAll(dynamo, q).stream()
                .map(i -> new StoredPlay(Json.read(str(i, TableName.DOC), Play.class), num(i, "version", 0))).toList();
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
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(PLAYS).key(key(stationId, playId))
                .consistentRead(true)).item();
        return item == null || !item.containsKey(TableName.DOC) || !playId.startsWith("p-")
                ? Optional.empty() : Optional.of(Json.read(str(item, TableName.DOC), Play.class));
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
        ScanRequest scan = ScanRequest.builder().tableName(PLAYS).consistentRead(true)
                .filterExpression("#st IN (:open, :closed)")
                .expressionAttributeNames(Map.of("#st", "status"))
                .expressionAttributeValues(Map.of(":open", s(Play.Status.OPEN.name()),
                        ":closed", s(Play.Status.CLOSED.name())))
                .build();
        long dueBefore = now.toEpochMilli() - playCloseAfterMs;
        List<Play> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : DynamoSupport.scanAll(dynamo, scan)) {
            Play play = Json.read(str(item, TableName.DOC), Play.class);
            long version = num(item, "version", 0);
            if (play.status() == Play.Status.CLOSED) {
                if (play.royaltyEligible()) {
                    out.add(play);
                }
                continue;
            }
            if (num(item, "updatedAtMs", Long.MAX_VALUE) > dueBefore) {
                continue;
            }
            Play closed = copy(play, Play.Status.CLOSED, play.durationMs() >= minPaidDurationMs, now);
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
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(PLAYS)
                    .key(key(play.stationId(), play.playId())).consistentRead(true)).item();
            if (item == null || !item.containsKey(TableName.DOC)) {
                return false;
            }
            Play current = Json.read(str(item, TableName.DOC), Play.class);
            if (current.status() == status && current.royaltyEligible() == eligible) {
                return true;
            }
            if (current.status() != Play.Status.CLOSED) {
                return false;
            }
            if (transition(copy(current, status, eligible, current.updatedAt()), num(item, "version", 0),
                    Play.Status.CLOSED, postingKey)) {
                return true;
            }
        }
        throw new IllegalStateException("could not update play " + play.playId() + " (contention)");
    }

    /** Conditional rewrite of a play from {@code from} at {@code version}; false when someone changed it first. */
    private boolean transition(Play next, long version, Play.Status from, String postingKey) {
        Map<String, AttributeValue> item = playItem(next, version + 1);
        if (postingKey != null) {
            item.put("postingKey", s(postingKey));
        }
        try {
            dynamo.putItem(r -> r.tableName(PLAYS).item(item).conditionExpression("#st = :from AND #ver = :ver")
                    .expressionAttributeNames(Map.of("#st", "status", "#ver", "version"))
                    .expressionAttributeValues(Map.of(":from", s(from.name()), ":ver", n(version))));
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    private void recordReview(Review review) {
        Map<String, AttributeValue> item = new HashMap<>(key(review.stationId(), "REVIEW#" + review.detectionId()));
        item.put(TableName.DOC, s(Json.write(review)));
        try {
            dynamo.putItem(r -> r.tableName(PLAYS).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", TableName.PK)));
        } catch (ConditionalCheckFailedException alreadyRecorded) {
            // keep the first record
        }
    }

    /** Late detections recorded for review at a station, by detection id. */
    public List<Review> reviews(String stationId) {
        QueryRequest q = QueryRequest.builder().tableName(PLAYS).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :p)")
                .expressionAttributeNames(Map.of("#pk", TableName.PK, "#sk", TableName.SK))
                .expressionAttributeValues(Map.of(":pk", s(stationId), ":p", s("REVIEW#")))
                .build();
        return DynamoSupport.queryAll(dynamo, q).stream().map(i -> Json.read(str(i, TableName.DOC), Review.class))
                .toList();
    }

    private static Map<String, AttributeValue> playItem(Play play, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(play.stationId(), play.playId()));
        item.put(TableName.DOC, s(Json.write(play)));
        item.put("status", s(play.status().name()));
        item.put("version", n(version));
        item.put("updatedAtMs", n(play.updatedAt().toEpochMilli()));
        item.put("trackId", s(play.trackId()));
        return item;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(TableName.PK, s(pk), TableName.SK, s(sk));
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

    private static void backoff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * Math.min(attempt, 10) + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
