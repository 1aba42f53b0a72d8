package io.spinledger.aws.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.aws.AwsClients;
import io.spinledger.aws.DynamoTableStore;
import io.spinledger.aws.S3ObjectStore;
import io.spinledger.aws.SqsPublisher;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Station;
import io.spinledger.engine.audio.TestAudio;
import io.spinledger.engine.audio.Wav;
import io.spinledger.stage.capture.ChunkIngestService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class EmbeddedEmulatorsTest {

    @Test
    void dataSurvivesARestartWithADataDirectory(@TempDir Path dir) {
        try (EmbeddedEmulators emu = EmbeddedEmulators.start(Optional.of(dir))) {
            var aws = emu.awsSettings();
            var dynamo = AwsClients.dynamo(aws);
            var sqs = AwsClients.sqs(aws);
            var s3 = AwsClients.s3(aws);
            ResourceProvisioner.provision(dynamo, sqs, s3, BucketName.DEFAULT_MEDIA);
            ResourceProvisioner.provision(dynamo, sqs, s3, BucketName.DEFAULT_MEDIA); // idempotent
            dynamo.putItem(r -> r.tableName(TableName.TRACKS.tableName()).item(Map.of(
                    TableName.PK, AttributeValue.fromS("trk_1"), TableName.SK, AttributeValue.fromS("TRACK"))));
            new S3ObjectStore(s3, BucketName.DEFAULT_MEDIA).put("chunks/x.wav", "abc".getBytes(StandardCharsets.UTF_8), "audio/wav");
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
            ResourceProvisioner.provision(dynamo, sqs, s3, BucketName.DEFAULT_MEDIA);
            var item = dynamo.getItem(r -> r.tableName(TableName.TRACKS.tableName()).key(Map.of(
                    TableName.PK, AttributeValue.fromS("trk_1"), TableName.SK, AttributeValue.fromS("TRACK")))).item();
            assertThat(item).containsKey(TableName.PK);
            assertThat(new S3ObjectStore(s3, BucketName.DEFAULT_MEDIA).get("chunks/x.wav")).get()
                    .extracting(b -> new String(b, StandardCharsets.UTF_8)).isEqualTo("abc");
            var msgs = sqs.receiveMessage(r -> r.queueUrl(new SqsPublisher(sqs).queueUrl(QueueName.CHUNK))
                    .waitTimeSeconds(2)).messages();
            assertThat(msgs).hasSize(1);
            assertThat(msgs.get(0).body()).contains("c1");
        }
    }

    @Test
    void aConfiguredMediaBucketIsTheOneCreatedAndWrittenTo() {
        Settings settings = Settings.load(Map.of("SPINLEDGER_MEDIA_BUCKET", "acme-spinledger-media")::get);
        String bucket = settings.storage().mediaBucket();
        try (EmbeddedEmulators emu = EmbeddedEmulators.start(Optional.empty())) {
            var aws = emu.awsSettings();
            var dynamo = AwsClients.dynamo(aws);
            var s3 = AwsClients.s3(aws);
            ResourceProvisioner.provision(dynamo, AwsClients.sqs(aws), s3, bucket);
            S3ObjectStore objects = new S3ObjectStore(s3, bucket);
            // an air-check of 20 s goes through chunk-ingest's real path: decode, cut, store under chunks/
            int rate = settings.capture().sampleRateHz();
            objects.put("airchecks/acme-fm/a1", Wav.write(TestAudio.whiteNoise(20_000, rate, 0.1, 7)), "audio/wav");
            Instant start = Instant.parse("2026-05-01T10:00:00Z");
            List<Chunk> announced = new ArrayList<>();
            new ChunkIngestService(settings.capture(), objects, new StationRepository(new DynamoTableStore(dynamo)), Clock.systemUTC())
                    .ingest(new CaptureRequest("a1", "acme-fm", CaptureRequest.Kind.AIRCHECK, start, 0,
                                    "airchecks/acme-fm/a1"),
                            new Station("acme-fm", "Acme FM", null, "GH", "A", "GHS", "Africa/Accra", start),
                            announced::add);

            assertThat(announced).isNotEmpty();
            List<String> stored = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(BucketName.CHUNKS_PREFIX))
                    .contents().stream().map(o -> o.key()).toList();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(announced.stream().map(Chunk::objectKey).toList());
            assertThatThrownBy(() -> s3.headBucket(r -> r.bucket(BucketName.DEFAULT_MEDIA)))
                    .as("nothing uses the default bucket").isInstanceOf(S3Exception.class);
        }
    }
}
