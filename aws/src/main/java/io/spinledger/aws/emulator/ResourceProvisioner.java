package io.spinledger.aws.emulator;

import io.spinledger.config.QueueName;
import io.spinledger.config.TableName;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Creates SpinLedger's tables, queues (each with its dead-letter queue and redrive policy) and bucket when
 * they are missing. Safe to run on every start. The same resources are described in {@code infra/}.
 */
public final class ResourceProvisioner {
    private static final Logger log = LoggerFactory.getLogger(ResourceProvisioner.class);

    private ResourceProvisioner() {
    }

    /**
     * Creates whatever is missing.
     *
     * @param mediaBucket the media bucket's name ({@code Settings.storage().mediaBucket()})
     */
    public static void provision(DynamoDbClient dynamo, SqsClient sqs, S3Client s3, String mediaBucket) {
        var existing = dynamo.listTables().tableNames();
        for (TableName t : TableName.values()) {
            if (existing.contains(t.tableName())) {
                continue;
            }
            try {
                dynamo.createTable(r -> r.tableName(t.tableName()).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName(TableName.PK)
                                        .attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(TableName.SK)
                                        .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName(TableName.PK).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(TableName.SK).keyType(KeyType.RANGE).build()));
                if (t.hasTtl()) {
                    dynamo.updateTimeToLive(r -> r.tableName(t.tableName()).timeToLiveSpecification(
                            s -> s.attributeName(TableName.EXPIRES_AT).enabled(true)));
                }
                log.info("created table {}", t.tableName());
            } catch (ResourceInUseException alreadyThere) {
                // created concurrently
            }
        }
        for (QueueName q : QueueName.values()) {
            String dlqUrl = sqs.createQueue(r -> r.queueName(q.deadLetterQueueName())).queueUrl();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + q.maxReceiveCount()
                    + "\"}";
            Map<QueueAttributeName, String> attrs = Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(q.visibilityTimeoutSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, redrive);
            try {
                // one call with every attribute: a re-run finds the same queue and changes nothing
                sqs.createQueue(r -> r.queueName(q.queueName()).attributes(attrs));
            } catch (SqsException differs) {
                String url = sqs.getQueueUrl(r -> r.queueName(q.queueName())).queueUrl();
                sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attrs));
            }
        }
        try {
            s3.headBucket(r -> r.bucket(mediaBucket));
        } catch (NoSuchBucketException missing) {
            try {
                s3.createBucket(r -> r.bucket(mediaBucket));
                log.info("created bucket {}", mediaBucket);
            } catch (BucketAlreadyOwnedByYouException raced) {
                // fine
            }
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(r -> r.bucket(mediaBucket));
            log.info("created bucket {}", mediaBucket);
        }
    }
}
