/**
 * The AWS emulators in one JVM ({@link io.spinledger.aws.emulator.EmbeddedEmulators}: DynamoDB Local, ElasticMQ,
 * S3Proxy) and the {@link io.spinledger.aws.emulator.ResourceProvisioner} that creates SpinLedger's tables, queues and
 * bucket, for the local runtime and the tests.
 */
package io.spinledger.aws.emulator;
