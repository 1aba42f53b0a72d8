package io.spinledger.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spinledger.aws.AwsClients;
import io.spinledger.aws.emulator.EmbeddedEmulators;
import io.spinledger.config.BucketName;
import io.spinledger.config.QueueName;
import io.spinledger.config.TableName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The LocalStack init scripts really work: starts the embedded emulators (DynamoDB Local, ElasticMQ, S3Proxy; in
 * memory), runs every {@code localstack/init/ready.d/*.sh} (twice with {@code -Dinfra.initScripts.rounds=2}: they
 * must be re-runnable) with the AWS CLI pointed at them, then reads the resources back: each queue redrives to its DLQ after {@code maxReceiveCount} and has its
 * visibility timeout, each table has the pk/sk key schema on demand and TTL on {@code expiresAt} where the code
 * expects it, and the bucket named by {@code SPINLEDGER_MEDIA_BUCKET} (set to a non-default name here) exists and
 * accepts objects. Prefers Debian's {@code /usr/bin/aws}
 * ({@code scripts/install-deps.sh} installs it); skipped, with the reason logged, when no AWS CLI is present.
 */
class InitScriptsTest {
    private static final Logger log = LoggerFactory.getLogger(InitScriptsTest.class);
    /** Not the default: the script must create the bucket the deployment names. */
    private static final String MEDIA_BUCKET = "spinledger-media-000000000000-us-east-1";
    private static EmbeddedEmulators emulators;
    private static SqsClient sqs;
    private static DynamoDbClient dynamo;
    private static S3Client s3;

    @BeforeAll
    static void runScriptsAgainstEmulators() throws Exception {
        Optional<Path> cli = Repo.executable("aws", "/usr/bin");
        if (cli.isEmpty()) {
            log.warn("SKIPPED: no AWS CLI (run scripts/install-deps.sh, which installs Debian's awscli)");
        }
        assumeTrue(cli.isPresent(), "no AWS CLI");
        emulators = EmbeddedEmulators.start(Optional.empty());
        var aws = emulators.awsSettings();
        sqs = AwsClients.sqs(aws);
        dynamo = AwsClients.dynamo(aws);
        s3 = AwsClients.s3(aws);
        List<Path> scripts;
        try (var s = Files.list(Repo.READY_D)) {
            scripts = s.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
        assertThat(scripts).isNotEmpty();
        // -Dinfra.initScripts.rounds=2 also proves the scripts re-runnable (each AWS CLI call costs ~1 s of CPU)
        int rounds = Integer.getInteger("infra.initScripts.rounds", 1);
        for (int round = 1; round <= rounds; round++) {
            for (Path script : scripts) {
                run(cli.get(), script);
            }
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {sqs, dynamo, s3, emulators}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                log.warn("close: {}", e.toString());
            }
        }
    }

    private static void run(Path cli, Path script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_CLI", cli.toString());
        env.put("SQS_ENDPOINT_URL", emulators.sqsEndpoint().toString());
        env.put("DYNAMODB_ENDPOINT_URL", emulators.dynamoEndpoint().toString());
        env.put("S3_ENDPOINT_URL", emulators.s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9"); // nothing may go to the default endpoint
        env.put("AWS_ACCESS_KEY_ID", EmbeddedEmulators.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedEmulators.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put(InfraContractTest.MEDIA_BUCKET_VARIABLE, MEDIA_BUCKET);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        log.info("{} ({} ms):\n{}", script.getFileName(), (System.nanoTime() - t0) / 1_000_000, out);
        assertThat(p.exitValue()).as(script + " failed:\n" + out).isZero();
    }

    @Test
    void everyQueueRedrivesToItsDeadLetterQueue() throws Exception {
        for (QueueName q : QueueName.values()) {
            String dlqUrl = sqs.getQueueUrl(r -> r.queueName(q.deadLetterQueueName())).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String url = sqs.getQueueUrl(r -> r.queueName(q.queueName())).queueUrl();
            Map<QueueAttributeName, String> attrs = sqs.getQueueAttributes(r -> r.queueUrl(url)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertThat(attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT)).as(q + " visibility")
                    .isEqualTo(Integer.toString(q.visibilityTimeoutSeconds()));
            JsonNode redrive = new ObjectMapper().readTree(attrs.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.get("deadLetterTargetArn").asText()).as(q + " DLQ").isEqualTo(dlqArn);
            assertThat(redrive.get("maxReceiveCount").asInt()).as(q + " max receives").isEqualTo(q.maxReceiveCount());
        }
        assertThat(sqs.listQueues().queueUrls()).hasSize(2 * QueueName.values().length);
    }

    @Test
    void everyTableHasTheKeySchemaAndTtlTheCodeExpects() {
        assertThat(dynamo.listTables().tableNames()).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(TableName.values()).map(TableName::tableName).toList());
        for (TableName t : TableName.values()) {
            TableDescription d = dynamo.describeTable(r -> r.tableName(t.tableName())).table();
            assertThat(d.keySchema()).as(t + " keys").extracting(k -> k.attributeName() + ":" + k.keyType())
                    .containsExactly(TableName.PK + ":" + KeyType.HASH, TableName.SK + ":" + KeyType.RANGE);
            assertThat(d.billingModeSummary().billingMode()).as(t + " billing").isEqualTo(BillingMode.PAY_PER_REQUEST);
            var ttl = dynamo.describeTimeToLive(r -> r.tableName(t.tableName())).timeToLiveDescription();
            if (t.hasTtl()) {
                assertThat(ttl.timeToLiveStatus()).as(t + " TTL").isEqualTo(TimeToLiveStatus.ENABLED);
                assertThat(ttl.attributeName()).isEqualTo(TableName.EXPIRES_AT);
            } else {
                assertThat(ttl.timeToLiveStatus()).as(t + " TTL").isIn(TimeToLiveStatus.DISABLED, null);
            }
        }
    }

    @Test
    void theConfiguredBucketExistsAndStoresChunks() {
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly(MEDIA_BUCKET)
                .doesNotContain(BucketName.DEFAULT_MEDIA);
        String key = BucketName.CHUNKS_PREFIX + "test/probe.wav";
        s3.putObject(r -> r.bucket(MEDIA_BUCKET).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromString("RIFF"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket(MEDIA_BUCKET).key(key)).asUtf8String()).isEqualTo("RIFF");
    }
}
