package io.spinledger.stage.capture;

import static io.spinledger.ports.SortKeys.sortable;

import io.spinledger.config.TableName;
import io.spinledger.domain.Chunk;
import io.spinledger.json.Json;
import io.spinledger.ports.Condition;
import io.spinledger.ports.ConditionFailedException;
import io.spinledger.ports.Item;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.Write;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What became of every chunk of a station: the record the station's watermark is computed from. Capture registers
 * each chunk before announcing it; the match and fallback stages record its outcome; the plays stage
 * ({@code PlayStore}) reads the log to know up to which air time every chunk is accounted for.
 *
 * <p>Items in {@link TableName#DETECTIONS}: pk stationId, sk {@code CHUNK#<chunk start, ISO ms>#<chunkId>}, doc =
 * {@link Entry} JSON, attribute {@code state}. (Detections in that table have sort keys that begin with a digit, so
 * range queries over detections never see these.)
 *
 * <p>Every write is idempotent: registering twice keeps the first record, recording the same outcome twice writes the
 * same item, and a final outcome is never overwritten by {@link State#FALLBACK} (a redelivered match after the
 * fallback stage already answered).
 */
public final class ChunkLog {
    /** Sort key prefix of chunk records. */
    public static final String PREFIX = "CHUNK#";

    /** How long a chunk record is kept after its chunk aired, by default ({@code SPINLEDGER_CHUNK_LOG_RETENTION_DAYS}). */
    public static final java.time.Duration DEFAULT_RETENTION = java.time.Duration.ofDays(7);
    private final TableStore store;
    private final Clock clock;
    private volatile java.time.Duration retention = DEFAULT_RETENTION;

    /**
     * @param store the tables
     * @param clock processing time, stamped on records
     */
    public ChunkLog(TableStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Where a chunk stands. */
    public enum State {
        /** Captured, not yet matched. */
        PENDING,
        /** No local match; waiting for the fallback stage. */
        FALLBACK,
        /** Matched by the own index: its detections are listed. */
        MATCHED,
        /** Identified by the fallback (ACRCloud): its detection is listed. */
        IDENTIFIED,
        /** Audible, identified by nobody (reason given). */
        UNIDENTIFIED,
        /** Silence (nothing to identify). */
        SILENT,
        /** Unreadable audio. */
        CORRUPT,
        /** Given up on (reason given), e.g. not accounted for within the time limit. */
        FAILED;

        /** Whether nothing more will happen to the chunk in this state (its detections aside). */
        public boolean terminal() {
            return this != PENDING && this != FALLBACK;
        }
    }

    /**
     * One chunk's record.
     *
     * @param chunkId      chunk
     * @param stationId    station
     * @param startedAt    air time of its first sample
     * @param durationMs   its length, ms
     * @param state        where it stands
     * @param detectionIds detections it produced (MATCHED, IDENTIFIED); each must reach the plays stage before the
     *                     chunk counts as accounted for
     * @param reason       why (UNIDENTIFIED, FAILED, CORRUPT), else null
     * @param segmentEnd   no audio follows this chunk in its air-check (the end of the recording)
     * @param registeredAt processing time of the first record
     * @param updatedAt    processing time of the latest change
     */
    public record Entry(String chunkId, String stationId, Instant startedAt, long durationMs, State state,
                        List<String> detectionIds, String reason, boolean segmentEnd, Instant registeredAt,
                        Instant updatedAt) {
        public Entry {
            detectionIds = detectionIds == null ? List.of() : List.copyOf(detectionIds);
        }

        /** Air time just after its last sample. */
        public Instant endedAt() {
            return startedAt.plusMillis(durationMs);
        }
    }

    /**
     * Registers a captured chunk as PENDING (keeps an existing record).
     *
     * @param chunk      the chunk
     * @param segmentEnd whether it is the last chunk of its air-check
     */
    public void register(Chunk chunk, boolean segmentEnd) {
        Instant now = clock.instant();
        Entry e = new Entry(chunk.chunkId(), chunk.stationId(), chunk.startedAt(), chunk.durationMs(), State.PENDING,
                List.of(), null, segmentEnd, now, now);
        store.putIfAbsent(TableName.DETECTIONS, item(e));
    }

    /**
     * Records a chunk's outcome. FALLBACK does not replace a final outcome; a final outcome replaces anything.
     *
     * @param chunk        the chunk
     * @param state        its outcome
     * @param detectionIds the detections it produced (empty when none)
     * @param reason       why, or null
     */
    public void record(Chunk chunk, State state, List<String> detectionIds, String reason) {
        Instant now = clock.instant();
        Entry existing = get(chunk.stationId(), chunk.startedAt(), chunk.chunkId());
        if (existing != null && existing.state() == state && existing.detectionIds().equals(List.copyOf(detectionIds))) {
            return;
        }
        if (existing != null && existing.state().terminal() && !state.terminal()) {
            return;
        }
        Entry e = new Entry(chunk.chunkId(), chunk.stationId(), chunk.startedAt(), chunk.durationMs(), state,
                detectionIds, reason, existing != null && existing.segmentEnd(),
                existing == null ? now : existing.registeredAt(), now);
        Condition guard = state.terminal() ? Condition.ALWAYS
                : Condition.or(Condition.itemAbsent(), Condition.in("state",
                        List.of(State.PENDING.name(), State.FALLBACK.name())));
        try {
            store.write(Write.put(TableName.DETECTIONS, item(e), guard));
        } catch (ConditionFailedException raced) {
            // a final outcome landed first: it stands
        }
    }

    /**
     * Marks a chunk FAILED with a reason unless it reached a final state meanwhile.
     *
     * @param entry  the record as read
     * @param reason why it is given up on
     */
    public void fail(Entry entry, String reason) {
        Entry e = new Entry(entry.chunkId(), entry.stationId(), entry.startedAt(), entry.durationMs(), State.FAILED,
                entry.detectionIds(), reason, entry.segmentEnd(), entry.registeredAt(), clock.instant());
        try {
            store.write(Write.put(TableName.DETECTIONS, item(e), Condition.eq("state", entry.state().name())));
        } catch (ConditionFailedException raced) {
            // it moved on meanwhile
        }
    }

    /** One chunk's record, or null. */
    public Entry get(String stationId, Instant startedAt, String chunkId) {
        return store.get(TableName.DETECTIONS, stationId, sk(startedAt, chunkId))
                .map(i -> Json.read(i.doc(), Entry.class)).orElse(null);
    }

    /** Records of a station's chunks that started in {@code [from, to]}, by start. */
    public List<Entry> entries(String stationId, Instant from, Instant to) {
        return store.queryAll(TableName.DETECTIONS, stationId,
                        SkRange.between(PREFIX + sortable(from), PREFIX + sortable(to) + "~")).stream()
                .map(i -> Json.read(i.doc(), Entry.class)).toList();
    }

    /**
     * Sets how long chunk records are kept after their chunk aired (their TTL, {@code expiresAt}): the watermark needs
     * them for minutes, so days are plenty.
     *
     * @param keep the retention, positive
     * @return this log
     */
    public ChunkLog retainFor(java.time.Duration keep) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("chunk record retention must be positive, got " + keep);
        }
        this.retention = keep;
        return this;
    }

    private Item item(Entry e) {
        return Item.doc(e.stationId(), sk(e.startedAt(), e.chunkId()), Json.write(e)).with("state", e.state().name())
                .with(Item.EXPIRES_AT, e.startedAt().plus(retention).getEpochSecond());
    }

    private static String sk(Instant startedAt, String chunkId) {
        return PREFIX + sortable(startedAt) + "#" + chunkId;
    }
}
