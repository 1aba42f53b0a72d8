package io.spinledger.aws;

import io.spinledger.config.BucketName;
import io.spinledger.ports.ObjectStore;
import io.spinledger.ports.ObjectStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.s3.S3Client;

/** The {@link ObjectStoreContract} on {@link S3ObjectStore} against the embedded S3Proxy (the reference). */
class S3ObjectStoreTest extends ObjectStoreContract {
    static DynamoTestSupport emulators;
    static S3Client s3;
    static S3ObjectStore store;

    @BeforeAll
    static void start() {
        emulators = DynamoTestSupport.start(); // starts S3Proxy too and creates the media bucket
        s3 = AwsClients.s3(emulators.emulators().awsSettings());
        store = new S3ObjectStore(s3, BucketName.DEFAULT_MEDIA);
    }

    @AfterAll
    static void stop() {
        s3.close();
        emulators.close();
    }

    @BeforeEach
    void emptyBucket() {
        store.list("").forEach(store::delete);
    }

    @Override
    protected ObjectStore store() {
        return store;
    }
}
