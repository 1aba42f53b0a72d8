package io.spinledger.functions.support;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one batch-failure mechanism for every queue consumer: each record is handled on its own; a record
 * whose handler throws is reported in {@code batchItemFailures} (so only it comes back after the visibility
 * timeout, and reaches the dead-letter queue after the queue's max receives) and logged with its message id.
 * Requires {@code ReportBatchItemFailures} on the event-source mapping.
 */
public final class SqsBatch {
    private static final Logger log = LoggerFactory.getLogger(SqsBatch.class);

    private SqsBatch() {
    }

    /** Handles one message body. Throw to have the message redelivered. */
    @FunctionalInterface
    public interface Handler {
        /** @param body the message body (JSON) */
        void handle(String body) throws Exception;
    }

    /**
     * Runs the handler over each record.
     *
     * @param consumer name used in logs
     * @param event    the SQS batch
     * @param handler  per-message handler
     * @return the failed message ids
     */
    public static SQSBatchResponse process(String consumer, SQSEvent event, Handler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage m : records) {
            try {
                handler.handle(m.getBody());
            } catch (Exception e) {
                String receives = m.getAttributes() == null ? "?" : m.getAttributes().getOrDefault("ApproximateReceiveCount", "?");
                log.warn("{}: message {} failed (receive #{}), it will be retried and then dead-lettered: {}",
                        consumer, m.getMessageId(), receives, e.toString(), e);
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
