package io.spinledger.storage;

import io.spinledger.config.Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK v2 clients from {@link Settings.Aws}: real AWS when no endpoints are set, otherwise the
 * given S3-compatible (path-style), SQS-compatible and DynamoDB-compatible endpoints. All clients use the
 * URL-connection HTTP client (small, fast to start on Lambda).
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** An S3 client; path-style addressing when an endpoint override is set (MinIO, S3Proxy, LocalStack). */
    public static S3Client s3(Settings.Aws aws) {
        var b = S3Client.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http());
        aws.s3Endpoint().ifPresent(uri -> b.endpointOverride(uri).forcePathStyle(true));
        return b.build();
    }

    /** An SQS client. */
    public static SqsClient sqs(Settings.Aws aws) {
        var b = SqsClient.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http());
        aws.sqsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** A DynamoDB client. */
    public static DynamoDbClient dynamo(Settings.Aws aws) {
        var b = DynamoDbClient.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http());
        aws.dynamoEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    private static UrlConnectionHttpClient.Builder http() {
        return UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60));
    }

    private static AwsCredentialsProvider credentials(Settings.Aws aws) {
        if (!aws.accessKeyId().isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
