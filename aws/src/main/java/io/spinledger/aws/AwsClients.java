package io.spinledger.aws;

import io.spinledger.config.Settings;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK v2 clients from {@link Settings.Aws}: real AWS when no endpoints are set, otherwise the
 * given S3-compatible (path-style), SQS-compatible and DynamoDB-compatible endpoints. All clients use the
 * URL-connection HTTP client (small, fast to start on Lambda). Every client meters its requests
 * ({@link MeteringInterceptor}: counts in {@link io.spinledger.stats.Metering} for the cost model).
 */
public final class AwsClients {
    private AwsClients() {
    }

    /**
     * An S3 client; path-style addressing when an endpoint override is set (MinIO, S3Proxy, LocalStack). Uploads
     * are sent without {@code Expect: 100-continue}: with the URL-connection client a PUT that waits for
     * "100 Continue" now and then fails with "Unexpected end of file from server" as an
     * {@link java.io.UncheckedIOException} that the SDK does not retry (seen on S3Proxy after a few hundred
     * puts, see the ObjectStore contract test); our objects are small, so the handshake saves nothing.
     */
    public static S3Client s3(Settings.Aws aws) {
        var b = S3Client.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue())
                        .addExecutionInterceptor(new MeteringInterceptor()));
        aws.s3Endpoint().ifPresent(uri -> b.endpointOverride(uri).forcePathStyle(true));
        return b.build();
    }

    /** An SQS client. */
    public static SqsClient sqs(Settings.Aws aws) {
        var b = SqsClient.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MeteringInterceptor()));
        aws.sqsEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** A DynamoDB client. */
    public static DynamoDbClient dynamo(Settings.Aws aws) {
        var b = DynamoDbClient.builder().region(Region.of(aws.region())).credentialsProvider(credentials(aws))
                .httpClientBuilder(http())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new MeteringInterceptor()));
        aws.dynamoEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** Removes the {@code Expect: 100-continue} header the S3 client adds to uploads. */
    private static final class NoExpectContinue implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                ExecutionAttributes executionAttributes) {
            return context.httpRequest().firstMatchingHeader("Expect").isPresent()
                    ? context.httpRequest().toBuilder().removeHeader("Expect").build() : context.httpRequest();
        }
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
