package io.spinledger.aws;

import io.spinledger.aws.emulator.EmbeddedEmulators;
import io.spinledger.aws.emulator.ResourceProvisioner;
import io.spinledger.config.BucketName;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Starts the in-memory emulators once for a test class and provisions SpinLedger's tables.
 *
 * @param emulators the running emulators (close in {@code @AfterAll})
 * @param dynamo    a DynamoDB client on DynamoDB Local
 */
public record DynamoTestSupport(EmbeddedEmulators emulators, DynamoDbClient dynamo) implements AutoCloseable {
    /** Starts and provisions. */
    public static DynamoTestSupport start() {
        EmbeddedEmulators emu = EmbeddedEmulators.start(Optional.empty());
        var aws = emu.awsSettings();
        DynamoDbClient dynamo = AwsClients.dynamo(aws);
        ResourceProvisioner.provision(dynamo, AwsClients.sqs(aws), AwsClients.s3(aws), BucketName.DEFAULT_MEDIA);
        return new DynamoTestSupport(emu, dynamo);
    }

    @Override
    public void close() {
        dynamo.close();
        emulators.close();
    }
}
