package io.spinledger.functions.support;

import io.spinledger.catalog.TrackRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.Settings;
import io.spinledger.station.StationRepository;
import io.spinledger.storage.AwsClients;
import io.spinledger.storage.MessagePublisher;
import io.spinledger.storage.ObjectStore;
import io.spinledger.storage.S3ObjectStore;
import io.spinledger.storage.SqsPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Beans every function may use: settings (from the environment, see {@link Settings}), AWS clients and the
 * stores built on them. All lazy, so a function creates only the clients it needs (faster cold starts).
 */
@Configuration(proxyBeanMethods = false)
@Lazy
public class CoreConfiguration {

    /** Settings from environment variables and system properties (unless the runtime supplied its own). */
    @Bean
    @ConditionalOnMissingBean
    public Settings settings() {
        return Settings.fromEnvironment();
    }

    /** S3 client. */
    @Bean(destroyMethod = "close")
    public S3Client s3Client(Settings settings) {
        return AwsClients.s3(settings.aws());
    }

    /** SQS client. */
    @Bean(destroyMethod = "close")
    public SqsClient sqsClient(Settings settings) {
        return AwsClients.sqs(settings.aws());
    }

    /** DynamoDB client. */
    @Bean(destroyMethod = "close")
    public DynamoDbClient dynamoDbClient(Settings settings) {
        return AwsClients.dynamo(settings.aws());
    }

    /** The media bucket. */
    @Bean
    public ObjectStore objectStore(S3Client s3) {
        return new S3ObjectStore(s3, BucketName.MEDIA);
    }

    /** Queue publisher. */
    @Bean
    public MessagePublisher messagePublisher(SqsClient sqs) {
        return new SqsPublisher(sqs);
    }

    /** The catalog. */
    @Bean
    public TrackRepository trackRepository(DynamoDbClient dynamo) {
        return new TrackRepository(dynamo);
    }

    /** Stations, health and capture leases. */
    @Bean
    public StationRepository stationRepository(DynamoDbClient dynamo) {
        return new StationRepository(dynamo);
    }
}
