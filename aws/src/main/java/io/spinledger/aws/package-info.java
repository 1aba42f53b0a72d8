/**
 * The AWS adapters behind the ports of {@code io.spinledger.ports}: clients built from the settings
 * ({@link io.spinledger.aws.AwsClients}), S3, SQS and DynamoDB implementations. Stage and engine code never sees these
 * types.
 */
package io.spinledger.aws;
