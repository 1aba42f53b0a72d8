package io.spinledger.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.aws.emulator.EmbeddedEmulators;
import io.spinledger.aws.emulator.ResourceProvisioner;
import io.spinledger.config.BucketName;
import io.spinledger.config.TableName;
import io.spinledger.stats.Metering;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** What the clients {@link AwsClients} builds count in {@link Metering}, against the embedded emulators. */
class MeteringInterceptorTest {
    static EmbeddedEmulators emulators;
    static S3Client s3;
    static SqsClient sqs;
    static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        emulators = EmbeddedEmulators.start(Optional.empty());
        var aws = emulators.awsSettings();
        s3 = AwsClients.s3(aws);
        sqs = AwsClients.sqs(aws);
        dynamo = AwsClients.dynamo(aws);
        ResourceProvisioner.provision(dynamo, sqs, s3, BucketName.DEFAULT_MEDIA);
    }

    @AfterAll
    static void stop() {
        s3.close();
        sqs.close();
        dynamo.close();
        emulators.close();
    }

    private static long delta(Map<String, Long> before, String counter) {
        return Metering.snapshot().getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
    }

    @Test
    void countsRequestsBytesAndUnitsPerFunction() {
        String url = sqs.createQueue(r -> r.queueName("metering-test")).queueUrl();
        String emptyUrl = sqs.createQueue(r -> r.queueName("metering-test-empty")).queueUrl();
        Map<String, Long> before = Metering.snapshot();
        Metering.invoke("meterTest", () -> {
            s3.putObject(r -> r.bucket(BucketName.DEFAULT_MEDIA).key("chunks/t/1.wav"),
                    RequestBody.fromBytes(new byte[1000]));
            s3.getObjectAsBytes(r -> r.bucket(BucketName.DEFAULT_MEDIA).key("chunks/t/1.wav"));
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                    SendMessageBatchRequestEntry.builder().id("a").messageBody("12345").build(),
                    SendMessageBatchRequestEntry.builder().id("b").messageBody("12345").build(),
                    SendMessageBatchRequestEntry.builder().id("c").messageBody("12345").build()));
            sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1));
            sqs.receiveMessage(r -> r.queueUrl(emptyUrl).waitTimeSeconds(0));
            dynamo.putItem(r -> r.tableName(TableName.TRACKS.tableName()).item(Map.of(
                    TableName.PK, AttributeValue.fromS("meter"), TableName.SK, AttributeValue.fromS("1"),
                    TableName.DOC, AttributeValue.fromS("x".repeat(1500)))));
            dynamo.getItem(r -> r.tableName(TableName.TRACKS.tableName()).key(Map.of(
                    TableName.PK, AttributeValue.fromS("meter"), TableName.SK, AttributeValue.fromS("1"))));
            return null;
        });
        assertThat(delta(before, "function.meterTest.invocations")).isEqualTo(1);
        assertThat(delta(before, "aws.s3.PutObject")).isEqualTo(1);
        assertThat(delta(before, "function.meterTest.aws.s3.PutObject")).isEqualTo(1);
        assertThat(delta(before, "aws.s3.PutObject.bytes")).isEqualTo(1000);
        assertThat(delta(before, "aws.s3.GetObject.bytes")).isEqualTo(1000);
        assertThat(delta(before, "aws.sqs.SendMessageBatch")).isEqualTo(1);
        assertThat(delta(before, "aws.sqs.SendMessageBatch.entries")).isEqualTo(3);
        assertThat(delta(before, "aws.sqs.SendMessage.bytes")).isEqualTo(15);
        assertThat(delta(before, "aws.sqs.ReceiveMessage")).isEqualTo(2);
        assertThat(delta(before, "aws.sqs.ReceiveMessage.messages")).isBetween(1L, 3L);
        assertThat(delta(before, "aws.sqs.ReceiveMessage.empty")).isEqualTo(1);
        assertThat(delta(before, "aws.dynamodb.PutItem")).isEqualTo(1);
        // a 1.5 KB item: 2 write units; a strongly or eventually consistent read of it: 0.5 or 1 read unit
        assertThat(delta(before, "aws.dynamodb.wru.milli")).isEqualTo(2000);
        assertThat(delta(before, "function.meterTest.aws.dynamodb.wru.milli")).isEqualTo(2000);
        assertThat(delta(before, "aws.dynamodb.rru.milli")).isIn(500L, 1000L);
        assertThat(delta(before, "aws.dynamodb.estimated")).isZero();
    }

    @Test
    void unmeteredCallsCountNothing() {
        Map<String, Long> before = Metering.snapshot();
        Metering.unmetered(() -> s3.listObjectsV2(r -> r.bucket(BucketName.DEFAULT_MEDIA)));
        assertThat(delta(before, "aws.s3.ListObjectsV2")).isZero();
        s3.listObjectsV2(r -> r.bucket(BucketName.DEFAULT_MEDIA));
        assertThat(delta(before, "aws.s3.ListObjectsV2")).isEqualTo(1);
    }
}
