package io.spinledger.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.config.TableName;
import io.spinledger.storage.AwsClients;
import io.spinledger.storage.S3ObjectStore;
import io.spinledger.storage.SqsPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EmbeddedEmulatorsTest {

    @Test
    void dataSurvivesARestartWithADataDirectory(@TempDir Path dir) {
        try (EmbeddedEmulators emu = EmbeddedEmulators.start(Optional.of(dir))) {
            var aws = emu.awsSettings();
            var dynamo = AwsClients.dynamo(aws);
            var sqs = AwsClients.sqs(aws);
            var s3 = AwsClients.s3(aws);
            ResourceProvisioner.provision(dynamo, sqs, s3);
            ResourceProvisioner.provision(dynamo, sqs, s3); // idempotent
            dynamo.putItem(r -> r.tableName(TableName.TRACKS.tableName()).item(Map.of(
                    TableName.PK, AttributeValue.fromS("trk_1"), TableName.SK, AttributeValue.fromS("TRACK"))));
            new S3ObjectStore(s3, BucketName.MEDIA).put("chunks/x.wav", "abc".getBytes(StandardCharsets.UTF_8), "audio/wav");
            new SqsPublisher(sqs).send(QueueName.CHUNK, Map.of("chunkId", "c1"));
            String redrive = sqs.getQueueAttributes(r -> r.queueUrl(new SqsPublisher(sqs).queueUrl(QueueName.CHUNK))
                    .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
            assertThat(redrive).contains("spinledger-chunks-dlq").containsPattern("\"maxReceiveCount\":\"?5");
        }
        try (EmbeddedEmulators emu = EmbeddedEmulators.start(Optional.of(dir))) {
            var aws = emu.awsSettings();
            var dynamo = AwsClients.dynamo(aws);
            var sqs = AwsClients.sqs(aws);
            var s3 = AwsClients.s3(aws);
            ResourceProvisioner.provision(dynamo, sqs, s3);
            var item = dynamo.getItem(r -> r.tableName(TableName.TRACKS.tableName()).key(Map.of(
                    TableName.PK, AttributeValue.fromS("trk_1"), TableName.SK, AttributeValue.fromS("TRACK")))).item();
            assertThat(item).containsKey(TableName.PK);
            assertThat(new S3ObjectStore(s3, BucketName.MEDIA).get("chunks/x.wav")).get()
                    .extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("abc");
            var msgs = sqs.receiveMessage(r -> r.queueUrl(new SqsPublisher(sqs).queueUrl(QueueName.CHUNK))
                    .waitTimeSeconds(2)).messages();
            assertThat(msgs).hasSize(1);
            assertThat(msgs.get(0).body()).contains("c1");
        }
    }
}
