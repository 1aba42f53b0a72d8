package io.spinledger.aws;

import io.spinledger.config.QueueName;
import io.spinledger.ports.InvalidReceiptHandleException;
import io.spinledger.ports.MessageQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/**
 * A {@link MessageQueue} on one SQS (or ElasticMQ) queue. The visibility timeout is the queue's own; the
 * dead-letter queue is the one its redrive policy names (as {@code ResourceProvisioner} sets it up), and SQS
 * moves messages there itself. Errors of the SDK ({@code SqsException}, {@code SdkClientException}) propagate.
 */
public final class SqsMessageQueue implements MessageQueue {
    /** SQS's limit for one ReceiveMessage call. */
    private static final int SQS_MAX_BATCH = 10;
    private static final Pattern DLQ_ARN = Pattern.compile("\"deadLetterTargetArn\"\\s*:\\s*\"([^\"]+)\"");

    private final SqsClient sqs;
    private final String queueUrl;
    private final int waitTimeSeconds;
    private volatile String deadLetterUrl;

    /**
     * A queue found by name, received with short polling.
     *
     * @throws software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException when there is no such queue
     */
    public SqsMessageQueue(SqsClient sqs, String queueName) {
        this(sqs, queueName, 0);
    }

    /** One of the pipeline's queues, received with short polling. */
    public SqsMessageQueue(SqsClient sqs, QueueName queue) {
        this(sqs, queue.queueName(), 0);
    }

    /**
     * @param queueName       the queue's name
     * @param waitTimeSeconds long-polling wait of {@link #receive(int)} when the queue is empty, 0 to 20 seconds
     * @throws software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException when there is no such queue
     */
    public SqsMessageQueue(SqsClient sqs, String queueName, int waitTimeSeconds) {
        if (waitTimeSeconds < 0 || waitTimeSeconds > 20) {
            throw new IllegalArgumentException("waitTimeSeconds must be 0..20: " + waitTimeSeconds);
        }
        this.sqs = sqs;
        this.queueUrl = sqs.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        this.waitTimeSeconds = waitTimeSeconds;
    }

    /** The queue's URL. */
    public String queueUrl() {
        return queueUrl;
    }

    @Override
    public void send(String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** {@inheritDoc} More than 10 takes several ReceiveMessage calls; it stops at the first short answer. */
    @Override
    public List<Received> receive(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        List<Received> out = new ArrayList<>();
        while (out.size() < max) {
            int n = Math.min(SQS_MAX_BATCH, max - out.size());
            int wait = out.isEmpty() ? waitTimeSeconds : 0;
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(n)
                    .waitTimeSeconds(wait)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            for (Message m : got) {
                out.add(new Received(m.messageId(), m.body(), receiveCount(m), m.receiptHandle()));
            }
            if (got.size() < n) {
                break;
            }
        }
        return out;
    }

    private static int receiveCount(Message m) {
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        if (count == null) {
            throw new IllegalStateException("SQS returned no ApproximateReceiveCount for message " + m.messageId());
        }
        return Integer.parseInt(count);
    }

    /** {@inheritDoc} SQS's {@code ReceiptHandleIsInvalid} becomes {@link InvalidReceiptHandleException}. */
    @Override
    public void delete(Received message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.handle()));
        } catch (ReceiptHandleIsInvalidException e) {
            throw new InvalidReceiptHandleException("receipt handle of message " + message.messageId()
                    + " is not its latest delivery on " + queueUrl, e);
        }
    }

    /** {@inheritDoc} The sum of SQS's approximate visible, not-visible and delayed counts. */
    @Override
    public int depth() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                + count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    }

    private static int count(Map<QueueAttributeName, String> a, QueueAttributeName name) {
        String v = a.get(name);
        return v == null ? 0 : Integer.parseInt(v);
    }

    /**
     * {@inheritDoc} Reads the dead-letter queue its redrive policy names (none: empty) by receiving every message
     * and making each visible again at once; that raises their receive counts there, and a message another consumer
     * holds at that moment is missed. Up to 1,000 messages.
     */
    @Override
    public List<String> deadLetters() {
        String dlq = deadLetterUrl();
        if (dlq == null) {
            return List.of();
        }
        List<Message> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(SQS_MAX_BATCH)
                    .visibilityTimeout(60)).messages();
            if (got.isEmpty()) {
                break;
            }
            held.addAll(got);
        }
        for (Message m : held) {
            sqs.changeMessageVisibility(r -> r.queueUrl(dlq).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        return held.stream().map(Message::body).toList();
    }

    /** The dead-letter queue's URL from the redrive policy, or null without one. */
    private String deadLetterUrl() {
        String url = deadLetterUrl;
        if (url != null) {
            return url;
        }
        String policy = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null) {
            return null;
        }
        Matcher m = DLQ_ARN.matcher(policy);
        if (!m.find()) {
            throw new IllegalStateException("redrive policy without deadLetterTargetArn: " + policy);
        }
        String arn = m.group(1);
        String name = arn.substring(arn.lastIndexOf(':') + 1);
        url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        deadLetterUrl = url;
        return url;
    }
}
