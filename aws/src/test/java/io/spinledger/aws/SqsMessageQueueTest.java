package io.spinledger.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.aws.emulator.EmbeddedEmulators;
import io.spinledger.aws.emulator.ResourceProvisioner;
import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.ports.MessageQueue;
import io.spinledger.ports.MessageQueueContract;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The {@link MessageQueueContract} on {@link SqsMessageQueue} against the embedded ElasticMQ (the reference): each
 * test gets a fresh queue with a 2 s visibility timeout and a redrive policy to its own dead-letter queue.
 */
class SqsMessageQueueTest extends MessageQueueContract {
    private static final AtomicInteger QUEUES = new AtomicInteger();
    static EmbeddedEmulators emulators;
    static SqsClient sqs;
    private SqsMessageQueue queue;

    @BeforeAll
    static void start() {
        emulators = EmbeddedEmulators.start(Optional.empty());
        sqs = AwsClients.sqs(emulators.awsSettings());
    }

    @AfterAll
    static void stop() {
        sqs.close();
        emulators.close();
    }

    @BeforeEach
    void freshQueue() {
        String name = "contract-" + QUEUES.incrementAndGet();
        String dlqUrl = sqs.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sqs.createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(VISIBILITY.toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                        + MAX_RECEIVE_COUNT + "\"}")));
        queue = new SqsMessageQueue(sqs, name);
    }

    @Override
    protected MessageQueue queue() {
        return queue;
    }

    @Override
    protected void letTimePass(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void worksOnAProvisionedPipelineQueueAndFindsItsDeadLetterQueue() {
        var aws = emulators.awsSettings();
        try (var dynamo = AwsClients.dynamo(aws); var s3 = AwsClients.s3(aws)) {
            ResourceProvisioner.provision(dynamo, sqs, s3, BucketName.DEFAULT_MEDIA);
        }
        SqsMessageQueue chunks = new SqsMessageQueue(sqs, QueueName.CHUNK);
        chunks.send("{\"chunkId\":\"c1\"}");
        assertThat(chunks.depth()).isEqualTo(1);
        var got = chunks.receive(10);
        assertThat(got).singleElement().satisfies(r -> assertThat(r.receiveCount()).isEqualTo(1));
        chunks.delete(got.get(0));
        assertThat(chunks.depth()).isZero();
        assertThat(chunks.deadLetters()).isEmpty();
    }
}
