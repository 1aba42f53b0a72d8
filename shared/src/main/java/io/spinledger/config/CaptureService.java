package io.spinledger.config;

import java.util.Set;

/**
 * The capture service: the long-running {@code CaptureWorkerApplication} of module {@code chunk-ingest}, on AWS an
 * ECS Fargate service (ARM64) whose tasks each run one capture worker (see {@code docs/capture.md}). Not a
 * function, so not in {@link FunctionCatalogue#ALL}; {@code infra/} describes it next to the functions and
 * infra-tests checks its task role against {@link #ACCESS}.
 */
public final class CaptureService {
    /** Name of the ECS cluster, service, task family, log group suffix and roles. */
    public static final String NAME = "spinledger-capture";
    /** Maven module holding the application. */
    public static final String MODULE = "chunk-ingest";
    /** The container's main class. */
    public static final String MAIN_CLASS = "io.spinledger.functions.chunkingest.worker.CaptureWorkerApplication";
    /** Environment variable: streams one worker (one task) holds at most. */
    public static final String STREAMS_PER_WORKER_VARIABLE = "SPINLEDGER_STREAMS_PER_WORKER";
    /** Default streams per worker ({@code Settings}' default). */
    public static final int DEFAULT_STREAMS_PER_WORKER = 200;
    /** Default task size: 1 vCPU (CPU units). */
    public static final int DEFAULT_CPU_UNITS = 1024;
    /** Default task size: 2 GB (MiB). */
    public static final int DEFAULT_MEMORY_MB = 2048;
    /** Default number of tasks. */
    public static final int DEFAULT_DESIRED_COUNT = 1;
    /** CloudWatch namespace and metric the watchdog ({@code captureScheduler}) prints; alarmed above 0. */
    public static final String UNMONITORED_METRIC_NAMESPACE = "SpinLedger";
    /** See {@link #UNMONITORED_METRIC_NAMESPACE}. */
    public static final String UNMONITORED_METRIC = "UnmonitoredStations";

    /**
     * What a capture task touches.
     *
     * @param sendsTo      queues it sends to (detections, unmatched chunks, chunks whose match failed)
     * @param writeTables  tables it reads and writes (assignments and heartbeats, the chunk log, counters)
     * @param getPrefixes  bucket prefixes it gets objects from
     * @param listPrefixes bucket prefixes it lists
     * @param putPrefixes  bucket prefixes it puts objects under (never deletes)
     */
    public record Access(Set<QueueName> sendsTo, Set<TableName> writeTables, Set<String> getPrefixes,
                         Set<String> listPrefixes, Set<String> putPrefixes) {
    }

    /** The task role's grants, least privilege. */
    public static final Access ACCESS = new Access(
            Set.of(QueueName.DETECTION, QueueName.FALLBACK, QueueName.CHUNK),
            Set.of(TableName.STATIONS, TableName.DETECTIONS, TableName.CACHE),
            Set.of(BucketName.INDEX_PREFIX, BucketName.CHUNKS_PREFIX),
            Set.of(BucketName.INDEX_PREFIX),
            Set.of(BucketName.CHUNKS_PREFIX, BucketName.EVIDENCE_PREFIX));

    private CaptureService() {
    }
}
