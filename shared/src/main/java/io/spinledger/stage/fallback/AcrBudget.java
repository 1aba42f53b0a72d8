package io.spinledger.stage.fallback;

import io.spinledger.config.TableName;
import io.spinledger.ports.Condition;
import io.spinledger.ports.Item;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.Write;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * ACRCloud call budgets shared by every function instance: counters in DynamoDB (table {@link TableName#CACHE},
 * pk {@code acr-budget}, numeric attribute {@code used}) for the current UTC minute, the UTC day, and the UTC day
 * of one station. {@link #tryAcquire} increments all of them in one transaction, each only while it is under its
 * limit, so concurrent callers never overspend and a refused call spends nothing. Counters expire (TTL) two days
 * after their period.
 */
public final class AcrBudget {
    private static final String PK = "acr-budget";
    private final TableStore store;
    private final TableName table = TableName.CACHE;
    private final Clock clock;
    private final int perMinute;
    private final int perDay;
    private final java.util.function.ToIntFunction<String> perStationDay;

    /** The answer of {@link #tryAcquire}. */
    public enum Grant {
        /** counted: make the call */
        GRANTED,
        /** the shared per-minute limit is reached: try again in a minute */
        MINUTE_LIMIT,
        /** the day's budget of all stations is spent */
        DAY_BUDGET_SPENT,
        /** the station's day budget is spent */
        STATION_BUDGET_SPENT
    }

    /**
     * Today's use.
     *
     * @param day   UTC day
     * @param used  calls counted today
     * @param limit the daily budget
     */
    public record Usage(LocalDate day, long used, int limit) {
        /** Calls left today (never negative). */
        public long left() {
            return Math.max(0, limit - used);
        }
    }

    /**
     * @param store         the tables
     * @param clock         time source (UTC minute and day)
     * @param perMinute     calls per minute, all instances together
     * @param perDay        calls per UTC day, all stations together
     * @param perStationDay calls per UTC day for a station id (0 or less = no station limit)
     */
    public AcrBudget(TableStore store, Clock clock, int perMinute, int perDay,
                     java.util.function.ToIntFunction<String> perStationDay) {
        this.store = store;
        this.clock = clock;
        this.perMinute = perMinute;
        this.perDay = perDay;
        this.perStationDay = perStationDay;
    }

    /**
     * Counts one call for a station if every limit allows it.
     *
     * @return GRANTED when counted; otherwise which limit refused (nothing counted)
     */
    public Grant tryAcquire(String stationId) {
        Instant now = clock.instant();
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
        String minute = now.truncatedTo(ChronoUnit.MINUTES).toString();
        long expires = now.plus(2, ChronoUnit.DAYS).getEpochSecond();
        List<Write.Update> items = new ArrayList<>();
        List<Grant> refusals = new ArrayList<>();
        items.add(increment("minute#" + minute, perMinute, expires));
        refusals.add(Grant.MINUTE_LIMIT);
        items.add(increment("day#" + day, perDay, expires));
        refusals.add(Grant.DAY_BUDGET_SPENT);
        int station = perStationDay.applyAsInt(stationId);
        if (station > 0) {
            items.add(increment("day#" + day + "#station#" + stationId, station, expires));
            refusals.add(Grant.STATION_BUDGET_SPENT);
        }
        try {
            store.transact(items);
            return Grant.GRANTED;
        } catch (TransactionCancelledException e) {
            for (int i = 0; i < refusals.size(); i++) {
                if (e.conditionFailed(i)) {
                    return refusals.get(i);
                }
            }
            throw e;
        }
    }

    /** Today's use of the global daily budget. */
    public Usage today() {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return new Usage(day, used("day#" + day), perDay);
    }

    /** Today's use of a station's budget (limit 0 = none). */
    public Usage today(String stationId) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return new Usage(day, used("day#" + day + "#station#" + stationId), perStationDay.applyAsInt(stationId));
    }

    private long used(String sk) {
        return store.get(table, PK, sk).map(i -> i.num("used", 0)).orElse(0L);
    }

    private Write.Update increment(String sk, int limit, long expires) {
        return Write.update(table, PK, sk).set(Item.EXPIRES_AT, expires).add("used", 1)
                .when(Condition.or(Condition.notExists("used"), Condition.lt("used", (long) limit)));
    }
}
