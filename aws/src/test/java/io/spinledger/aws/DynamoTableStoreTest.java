package io.spinledger.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spinledger.config.TableName;
import io.spinledger.ports.StoreUnavailableException;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.TableStoreContract;
import io.spinledger.ports.TransactionCancelledException;
import io.spinledger.ports.TransactionCancelledException.Reason;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@link TableStoreContract} on {@link DynamoTableStore} against DynamoDB Local (the reference), plus the
 * adapter's error translation.
 */
class DynamoTableStoreTest extends TableStoreContract {
    static DynamoTestSupport db;
    static DynamoTableStore store;

    @BeforeAll
    static void start() {
        db = DynamoTestSupport.start();
        store = new DynamoTableStore(db.dynamo());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void emptyTables() {
        for (TableName t : TableName.values()) {
            db.dynamo().scanPaginator(r -> r.tableName(t.tableName()).consistentRead(true)).items()
                    .forEach(i -> db.dynamo().deleteItem(d -> d.tableName(t.tableName())
                            .key(Map.of(TableName.PK, i.get(TableName.PK), TableName.SK, i.get(TableName.SK)))));
        }
    }

    @Override
    protected TableStore store() {
        return store;
    }

    @Test
    void cancellationReasonsMapToThePortsReasons() {
        TransactionCanceledException e = TransactionCanceledException.builder().message("cancelled")
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("ConditionalCheckFailed").build(),
                        CancellationReason.builder().code("TransactionConflict").build(),
                        CancellationReason.builder().build())
                .build();
        assertThat(DynamoTableStore.cancelled(e, 4)).isInstanceOfSatisfying(TransactionCancelledException.class,
                t -> assertThat(t.reasons()).containsExactly(Reason.NONE, Reason.CONDITION_FAILED, Reason.CONFLICT,
                        Reason.NONE));
        TransactionCanceledException throttled = TransactionCanceledException.builder().message("cancelled")
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("ThrottlingError").build()).build();
        assertThat(DynamoTableStore.cancelled(throttled, 2)).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void throttlingIsUnavailableAndAMissingTableIsNot() {
        DynamoTableStore throttled = new DynamoTableStore(failing(r -> {
            throw ProvisionedThroughputExceededException.builder().message("slow down").statusCode(400).build();
        }));
        assertThatThrownBy(() -> throttled.get(TableName.LEDGER, "p", "s")).isInstanceOf(StoreUnavailableException.class);
        DynamoTableStore missing = new DynamoTableStore(failing(r -> {
            throw ResourceNotFoundException.builder().message("no table").statusCode(400).build();
        }));
        assertThatThrownBy(() -> missing.get(TableName.LEDGER, "p", "s")).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void anUnreachableEndpointIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DynamoDbClient down = DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build()) {
            assertThatThrownBy(() -> new DynamoTableStore(down).get(TableName.LEDGER, "p", "s"))
                    .isInstanceOf(StoreUnavailableException.class);
        }
    }

    /** A client whose getItem runs {@code onGet}; every other call is unsupported. */
    private static DynamoDbClient failing(Consumer<GetItemRequest> onGet) {
        return new DynamoDbClient() {
            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                onGet.accept(request);
                return GetItemResponse.builder().item(Map.<String, AttributeValue>of()).build();
            }

            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        };
    }
}
