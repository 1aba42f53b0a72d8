package io.spinledger.acrcloud;

import io.spinledger.config.TableName;
import io.spinledger.storage.DynamoSupport;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * ACRCloud call budgets shared by every function instance: counters in DynamoDB (table {@link TableName#CACHE},
 * pk {@code acr-budget}, numeric attribute {@code used}) for the current UTC minute, the UTC day, and the UTC day
 * of one station. {@link #tryAcquire} increments all of them in one transaction, each only while it is under its
 * limit, so concurrent callers never overspend and a refused call spends nothing. Counters expire (TTL) two days
 * after their period.
 */
public final class AcrBudget {
    private static final String PK = "acr-budget";
    private final DynamoDbClient dynamo;
    private final String table = TableName.CACHE.tableName();
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
     * @param dynamo        DynamoDB
     * @param clock         time source (UTC minute and day)
     * @param perMinute     calls per minute, all instances together
     * @param perDay        calls per UTC day, all stations together
     * @param perStationDay calls per UTC day for a station id (0 or less = no station limit)
     */
    public AcrBudget(DynamoDbClient dynamo, Clock clock, int perMinute, int perDay,
                     java.util.function.ToIntFunction<String> perStationDay) {
        this.dynamo = dynamo;
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
        List<TransactWriteItem> items = new ArrayList<>();
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
            dynamo.transactWriteItems(r -> r.transactItems(items));
            return Grant.GRANTED;
        } catch (TransactionCanceledException e) {
            List<String> reasons = DynamoSupport.reasonCodes(e);
            for (int i = 0; i < reasons.size() && i < refusals.size(); i++) {
                if ("ConditionalCheckFailed".equals(reasons.get(i))) {
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
        var item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(TableName.PK, AttributeValue.fromS(PK), TableName.SK, AttributeValue.fromS(sk)))).item();
        return item == null ? 0 : DynamoSupport.num(item, "used", 0);
    }

    private TransactWriteItem increment(String sk, int limit, long expires) {
        return TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of(TableName.PK, AttributeValue.fromS(PK), TableName.SK, AttributeValue.fromS(sk)))
                .updateExpression("SET #e = :e ADD used :one")
                .conditionExpression("attribute_not_exists(used) OR used < :limit")
                .expressionAttributeNames(Map.of("#e", TableName.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":e", DynamoSupport.n(expires), ":one", DynamoSupport.n(1),
                        ":limit", DynamoSupport.n(limit)))).build();
    }
}
