package io.spinledger.stage.enrich;

import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.TableStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Enrichment status per ISRC in DynamoDB (table {@link TableName#CACHE}, pk {@code enrich-status}, sk the ISRC, no
 * TTL): pending, in progress, completed, partial or failed, with a retry count, so a scheduled run can retry what
 * failed and refresh what is old ({@link #due}), and operators can see coverage.
 */
public final class EnrichmentStatusStore {
    private static final String PK = "enrich-status";
    private final DocumentTable table;
    private final Clock clock;

    /** Where an ISRC's enrichment stands. */
    public enum State { PENDING, IN_PROGRESS, COMPLETED, PARTIAL, FAILED }

    /**
     * One ISRC's status.
     *
     * @param isrc       normalised ISRC
     * @param state      where it stands
     * @param retryCount look-ups after the first that ended PARTIAL or FAILED
     * @param createdAt  first seen
     * @param updatedAt  last change
     * @param lastError  why the last look-up was partial or failed, or null
     */
    public record Status(String isrc, State state, int retryCount, Instant createdAt, Instant updatedAt,
                         String lastError) {
    }

    /**
     * @param store  the tables
     * @param clock  time source
     */
    public EnrichmentStatusStore(TableStore store, Clock clock) {
        this.table = new DocumentTable(store, TableName.CACHE);
        this.clock = clock;
    }

    /** One ISRC's status. */
    public Optional<Status> get(String isrc) {
        return table.get(PK, isrc, Status.class);
    }

    /** Every status, by ISRC. */
    public List<Status> all() {
        return table.query(PK, "!", "\uffff", Status.class);
    }

    /** Marks an ISRC pending unless it is already known (then its status is kept). */
    public Status pending(String isrc) {
        Instant now = clock.instant();
        Status s = new Status(isrc, State.PENDING, 0, now, now, null);
        return table.putIfAbsent(PK, isrc, s) ? s : get(isrc).orElse(s);
    }

    /** Puts an ISRC (back) in the queue of the scheduled run, keeping its retry count. */
    public Status requeue(String isrc) {
        Instant now = clock.instant();
        Status old = get(isrc).orElse(null);
        Status s = new Status(isrc, State.PENDING, old == null ? 0 : old.retryCount(),
                old == null ? now : old.createdAt(), now, old == null ? null : old.lastError());
        table.put(PK, isrc, s);
        return s;
    }

    /** Marks a look-up started. */
    public void begin(String isrc) {
        Instant now = clock.instant();
        Status old = get(isrc).orElse(new Status(isrc, State.PENDING, 0, now, now, null));
        table.put(PK, isrc, new Status(isrc, State.IN_PROGRESS, old.retryCount(), old.createdAt(), now,
                old.lastError()));
    }

    /**
     * Records how a look-up ended; PARTIAL and FAILED count a retry when it was not the first look-up.
     *
     * @param error why partial/failed, or null
     */
    public Status finish(String isrc, State state, String error) {
        Instant now = clock.instant();
        Status old = get(isrc).orElse(null);
        boolean firstTry = old == null || (old.retryCount() == 0 && old.lastError() == null
                && (old.state() == State.PENDING || old.state() == State.IN_PROGRESS));
        int retries = old == null ? 0 : old.retryCount() + (firstTry ? 0 : 1);
        if (state == State.COMPLETED) {
            error = null;
        }
        Status s = new Status(isrc, state, retries, old == null ? now : old.createdAt(), now, error);
        table.put(PK, isrc, s);
        return s;
    }

    /**
     * ISRCs a scheduled run should look up now, oldest first, at most {@code limit}: pending ones, failed ones with
     * fewer than {@code maxRetries} retries, partial ones not updated for {@code partialRetryAfterMs}, and anything
     * not updated for {@code refreshAfterMs}. In-progress ones older than 15 minutes count as failed (a crashed run).
     */
    public List<String> due(Settings.Enrichment policy, int limit) {
        Instant now = clock.instant();
        List<Status> due = new ArrayList<>();
        for (Status s : all()) {
            Duration age = Duration.between(s.updatedAt(), now);
            boolean pick = switch (s.state()) {
                case PENDING -> true;
                case FAILED -> s.retryCount() < policy.maxRetries();
                case PARTIAL -> age.toMillis() >= policy.partialRetryAfterMs();
                case IN_PROGRESS -> age.toMinutes() >= 15;
                case COMPLETED -> false;
            } || age.toMillis() >= policy.refreshAfterMs();
            if (pick) {
                due.add(s);
            }
        }
        return due.stream().sorted(java.util.Comparator.comparing(Status::updatedAt)).limit(limit)
                .map(Status::isrc).toList();
    }

    /** How many ISRCs are in each state. */
    public Map<State, Long> counts() {
        Map<State, Long> out = new TreeMap<>();
        for (State st : State.values()) {
            out.put(st, 0L);
        }
        all().forEach(s -> out.merge(s.state(), 1L, Long::sum));
        return out;
    }
}
