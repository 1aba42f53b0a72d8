package io.spinledger.aws;

import io.spinledger.config.QueueName;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A {@link MessagePublisher} on SQS (or ElasticMQ): JSON bodies, queue URLs resolved once and cached. */
public final class SqsPublisher implements MessagePublisher {
    private final SqsClient sqs;
    private final Map<QueueName, String> urls = new ConcurrentHashMap<>();

    /** @param sqs the SQS client */
    public SqsPublisher(SqsClient sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(QueueName queue, Object message) {
        String body = message instanceof String s ? s : Json.write(message);
        sqs.sendMessage(r -> r.queueUrl(queueUrl(queue)).messageBody(body));
    }

    /** The URL of a queue, looked up once. */
    public String queueUrl(QueueName queue) {
        return urls.computeIfAbsent(queue, q -> sqs.getQueueUrl(r -> r.queueName(q.queueName())).queueUrl());
    }
}
