package io.spinledger.aws;

import io.spinledger.ports.SortKeys;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Small helpers for the DynamoDB stores: attribute values, fixed-width sortable instants, paginated reads and
 * reading cancellation reasons of a failed transaction.
 */
public final class DynamoSupport {
    /**
     * ISO-8601 UTC with exactly three fraction digits ({@code 2026-01-02T03:04:05.000Z}), so that sort keys built
     * from instants sort by time ({@link Instant#toString()} drops zero fractions and would not).
     */
    public static final DateTimeFormatter SORTABLE_INSTANT = SortKeys.SORTABLE_INSTANT;

    private DynamoSupport() {
    }

    /** Formats an instant with {@link #SORTABLE_INSTANT} (millisecond precision). */
    public static String sortable(Instant instant) {
        return SortKeys.sortable(instant);
    }

    /** A string attribute. */
    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    /** A number attribute. */
    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The string value of an attribute, or null when absent. */
    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    /** The numeric value of an attribute, or {@code def} when absent. */
    public static long num(Map<String, AttributeValue> item, String name, long def) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? def : Long.parseLong(v.n());
    }

    /** All items of a query, following pagination. */
    public static List<Map<String, AttributeValue>> queryAll(DynamoDbClient dynamo, QueryRequest request) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(out::add);
        return out;
    }

    /** All items of a scan, following pagination. */
    public static List<Map<String, AttributeValue>> scanAll(DynamoDbClient dynamo, ScanRequest request) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        dynamo.scanPaginator(request).items().forEach(out::add);
        return out;
    }

    /** The cancellation reason codes of a failed transaction, in request order ("None" for items that passed). */
    public static List<String> reasonCodes(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                ? e.cancellationReasons().stream().map(CancellationReason::code).map(c -> c == null ? "None" : c).toList()
                : List.of();
    }

    /**
     * Whether a cancelled transaction is worth retrying after re-reading: a condition failed (someone else
     * changed an item first) or a concurrent transaction conflicted.
     */
    public static boolean retryable(TransactionCanceledException e) {
        return reasonCodes(e).stream().anyMatch(c -> c.equals("ConditionalCheckFailed")
                || c.equals("TransactionConflict"));
    }
}
