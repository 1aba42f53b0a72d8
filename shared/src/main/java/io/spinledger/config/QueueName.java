package io.spinledger.config;

/**
 * Every queue of the pipeline, in one place. Each has a dead-letter queue named {@code <name>-dlq}.
 * {@code infra/} and {@code localstack/} mirror this list; a test keeps them in sync.
 */
public enum QueueName {
    /** capture-scheduler -> chunk-ingest: one capture request per station segment or air-check. */
    CAPTURE("spinledger-capture", 2160),
    /** chunk-ingest -> fingerprint-match: one message per stored chunk. */
    CHUNK("spinledger-chunks", 180),
    /** fingerprint-match -> acrcloud-fallback: chunks with no confident local match. */
    FALLBACK("spinledger-fallback", 180),
    /** fingerprint-match and acrcloud-fallback -> isrc-enrichment: detections. */
    DETECTION("spinledger-detections", 180),
    /** isrc-enrichment -> pro-mapping: detections with recording metadata. */
    ENRICHED("spinledger-enriched", 180),
    /** pro-mapping -> playAssembly (module plays): detections with society shares (PRO-mapped). */
    MAPPED("spinledger-mapped-detections", 180);

    private final String queueName;
    private final int visibilityTimeoutSeconds;

    QueueName(String queueName, int visibilityTimeoutSeconds) {
        this.queueName = queueName;
        this.visibilityTimeoutSeconds = visibilityTimeoutSeconds;
    }

    /** The SQS queue name. */
    public String queueName() {
        return queueName;
    }

    /** The dead-letter queue name. */
    public String deadLetterQueueName() {
        return queueName + "-dlq";
    }

    /** Visibility timeout in seconds: how long a received message stays hidden from other consumers. */
    public int visibilityTimeoutSeconds() {
        return visibilityTimeoutSeconds;
    }

    /** Receives after which a message moves to the dead-letter queue. */
    public int maxReceiveCount() {
        return 5;
    }
}
