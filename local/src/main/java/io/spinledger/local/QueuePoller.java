package io.spinledger.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.stats.Metering;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Does locally what a Lambda SQS event-source mapping does: long-polls a queue, hands the function an
 * SQS-shaped batch ({@link SQSEvent}), deletes only the messages that succeeded (the function's
 * {@link SQSBatchResponse} names the failures), and leaves failures to come back. A failed message becomes
 * visible again after {@code min(queue visibility, retryDelaySeconds x receives)} (a local convenience so a
 * failing message reaches the dead-letter queue in seconds, not hours); the queue's redrive policy moves it
 * to the DLQ after its max receives. A function that throws fails the whole batch, as on Lambda. {@link #close()}
 * interrupts the workers: a function that returns anyway (a live capture stops cleanly) has its messages deleted.
 */
final class QueuePoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueuePoller.class);
    private final SqsClient sqs;
    private final QueueName queue;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final Function<SQSEvent, SQSBatchResponse> function;
    private final String functionName;
    private final int retryDelaySeconds;
    private final ExecutorService workers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    QueuePoller(SqsClient sqs, QueueName queue, int batchSize, int concurrency, String functionName,
                Function<SQSEvent, SQSBatchResponse> function, int retryDelaySeconds) {
        this.sqs = sqs;
        this.queue = queue;
        this.queueUrl = sqs.getQueueUrl(r -> r.queueName(queue.queueName())).queueUrl();
        this.queueArn = "arn:aws:sqs:us-east-1:000000000000:" + queue.queueName();
        this.batchSize = batchSize;
        this.function = function;
        this.functionName = functionName;
        this.retryDelaySeconds = retryDelaySeconds;
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "poll-" + queue.queueName());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < concurrency; i++) {
            workers.submit(this::loop);
        }
    }

    private void loop() {
        while (running.get()) {
            try {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize)
                        .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (!messages.isEmpty() && running.get()) {
                    invoke(messages);
                }
            } catch (Exception e) {
                if (running.get()) {
                    log.warn("{}: polling {} failed: {}", functionName, queue.queueName(), e.toString());
                    sleep(1000);
                }
            }
        }
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            Map<String, String> attrs = new HashMap<>();
            m.attributes().forEach((k, v) -> attrs.put(k.toString(), v));
            r.setAttributes(attrs);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion("us-east-1");
            records.add(r);
        }
        event.setRecords(records);
        invocations.incrementAndGet();
        Set<String> failed;
        try {
            SQSBatchResponse resp = Metering.invoke(functionName, () -> function.apply(event));
            failed = resp == null || resp.getBatchItemFailures() == null ? Set.of()
                    : resp.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            log.warn("{}: invocation failed, the whole batch of {} will be retried: {}", functionName,
                    messages.size(), e.toString(), e);
            failed = messages.stream().map(Message::messageId).collect(Collectors.toSet());
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : messages) {
            if (failed.contains(m.messageId())) {
                failures.incrementAndGet();
                int receives = Integer.parseInt(m.attributes().getOrDefault(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
                int delay = Math.min(queue.visibilityTimeoutSeconds(), retryDelaySeconds * receives);
                try {
                    sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(delay));
                } catch (Exception e) {
                    log.debug("could not shorten visibility of {}: {}", m.messageId(), e.toString());
                }
            } else {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(done.size()))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            // a shutdown interrupts the workers; work that completed is still acknowledged (the SDK refuses to
            // send from an interrupted thread), so it does not come back after the restart
            boolean interrupted = Thread.interrupted();
            try {
                sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Invocations so far. */
    long invocations() {
        return invocations.get();
    }

    /** Failed messages so far. */
    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        running.set(false);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
