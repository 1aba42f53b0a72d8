package io.spinledger.aws;

import io.spinledger.stats.Metering;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Counts what an AWS SDK v2 client is billed for, in {@link Metering} (names in its class comment), attributed
 * to the function running on the calling thread: every request attempt as {@code aws.<service>.<operation>}
 * (service lower case: {@code s3}, {@code sqs}, {@code dynamodb}); S3 bytes put and got; SQS empty receives,
 * messages received, batch entries and body bytes sent; DynamoDB request units.
 *
 * <p>DynamoDB units come from the service itself: the interceptor asks every item operation for
 * {@code ReturnConsumedCapacity=TOTAL} (no charge, a few bytes more in the response) and adds the capacity the
 * response reports, in thousandths ({@code aws.dynamodb.wru.milli}, {@code aws.dynamodb.rru.milli}); that is the
 * on-demand bill, eventually consistent half units and transactional double units included. A response
 * without consumed capacity (an emulator that does not report it) is counted from sizes instead: 1 write unit
 * per item written, half a read unit per item read (eventually consistent, items under 4 KB), and
 * {@code aws.dynamodb.estimated} counts such requests.
 */
public final class MeteringInterceptor implements ExecutionInterceptor {

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof PutItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof UpdateItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof DeleteItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof GetItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof QueryRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof ScanRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchGetItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchWriteItemRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactGetItemsRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactWriteItemsRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof ExecuteStatementRequest p && p.returnConsumedCapacity() == null) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Metering.addInScope(prefix(attributes), 1);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String p = prefix(attributes);
        SdkRequest req = context.request();
        SdkResponse resp = context.response();
        if (req instanceof PutObjectRequest put) {
            long bytes = put.contentLength() != null ? put.contentLength()
                    : context.requestBody().flatMap(b -> b.optionalContentLength()).orElse(0L);
            Metering.addInScope(p + ".bytes", bytes);
        } else if (resp instanceof GetObjectResponse get && get.contentLength() != null) {
            Metering.addInScope(p + ".bytes", get.contentLength());
        } else if (resp instanceof ReceiveMessageResponse rec) {
            int n = rec.hasMessages() ? rec.messages().size() : 0;
            Metering.addInScope(n == 0 ? p + ".empty" : p + ".messages", n == 0 ? 1 : n);
        } else if (req instanceof SendMessageRequest send) {
            Metering.addInScope("aws.sqs.SendMessage.bytes", utf8(send.messageBody()));
        } else if (req instanceof SendMessageBatchRequest batch) {
            Metering.addInScope(p + ".entries", batch.entries().size());
            long bytes = 0;
            for (SendMessageBatchRequestEntry e : batch.entries()) {
                bytes += utf8(e.messageBody());
            }
            Metering.addInScope("aws.sqs.SendMessage.bytes", bytes);
        } else if (req instanceof DeleteMessageBatchRequest batch) {
            Metering.addInScope(p + ".entries", batch.entries().size());
        } else if (req instanceof ChangeMessageVisibilityBatchRequest batch) {
            Metering.addInScope(p + ".entries", batch.entries().size());
        } else {
            dynamo(req, resp);
        }
    }

    private static void dynamo(SdkRequest req, SdkResponse resp) {
        if (resp instanceof PutItemResponse r) {
            write(r.consumedCapacity(), 1);
        } else if (resp instanceof UpdateItemResponse r) {
            write(r.consumedCapacity(), 1);
        } else if (resp instanceof DeleteItemResponse r) {
            write(r.consumedCapacity(), 1);
        } else if (resp instanceof TransactWriteItemsResponse r) {
            write(r.consumedCapacity(), 2 * ((TransactWriteItemsRequest) req).transactItems().size());
        } else if (resp instanceof BatchWriteItemResponse r) {
            int items = ((BatchWriteItemRequest) req).requestItems().values().stream().mapToInt(List::size).sum();
            write(r.consumedCapacity(), items);
        } else if (resp instanceof GetItemResponse r) {
            read(r.consumedCapacity(), 1);
        } else if (resp instanceof QueryResponse r) {
            read(r.consumedCapacity(), Math.max(1, r.count() == null ? 1 : r.count()));
        } else if (resp instanceof ScanResponse r) {
            read(r.consumedCapacity(), Math.max(1, r.scannedCount() == null ? 1 : r.scannedCount()));
        } else if (resp instanceof BatchGetItemResponse r) {
            int items = ((BatchGetItemRequest) req).requestItems().values().stream()
                    .mapToInt(k -> k.keys().size()).sum();
            read(r.consumedCapacity(), items);
        } else if (resp instanceof TransactGetItemsResponse r) {
            read(r.consumedCapacity(), 4 * ((TransactGetItemsRequest) req).transactItems().size());
        } else if (resp instanceof ExecuteStatementResponse r) {
            read(r.consumedCapacity() == null ? List.of() : List.of(r.consumedCapacity()), 1);
        }
    }

    private static void write(ConsumedCapacity c, int itemsIfUnknown) {
        write(c == null ? List.of() : List.of(c), itemsIfUnknown);
    }

    private static void write(List<ConsumedCapacity> c, int itemsIfUnknown) {
        units("aws.dynamodb.wru.milli", c, 1000L * itemsIfUnknown, true);
    }

    private static void read(ConsumedCapacity c, int halfUnitsIfUnknown) {
        read(c == null ? List.of() : List.of(c), halfUnitsIfUnknown);
    }

    private static void read(List<ConsumedCapacity> c, int halfUnitsIfUnknown) {
        units("aws.dynamodb.rru.milli", c, 500L * halfUnitsIfUnknown, false);
    }

    private static void units(String counter, List<ConsumedCapacity> consumed, long milliIfUnknown, boolean write) {
        double total = 0;
        boolean known = false;
        for (ConsumedCapacity c : consumed == null ? List.<ConsumedCapacity>of() : consumed) {
            Double v = write ? c.writeCapacityUnits() : c.readCapacityUnits();
            if (v == null) {
                v = c.capacityUnits();
            }
            if (v != null) {
                total += v;
                known = true;
            }
        }
        if (known) {
            Metering.addInScope(counter, Math.round(total * 1000));
        } else {
            Metering.addInScope("aws.dynamodb.estimated", 1);
            Metering.addInScope(counter, milliIfUnknown);
        }
    }

    private static String prefix(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return "aws." + (service == null ? "unknown" : service.toLowerCase(Locale.ROOT)) + "."
                + (op == null ? "unknown" : op);
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
