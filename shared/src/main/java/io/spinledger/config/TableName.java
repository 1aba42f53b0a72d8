package io.spinledger.config;

/**
 * Every DynamoDB table, in one place. All tables have a string partition key {@code pk} and a string
 * sort key {@code sk}; items carry their document as JSON in {@code doc}. Tables with a TTL use the
 * numeric attribute {@code expiresAt} (epoch seconds).
 */
public enum TableName {
    /** Reference tracks of the catalog: pk trackId, sk "TRACK". */
    TRACKS("spinledger-tracks", false),
    /** Stations (sk "STATION"), their stream health (sk "HEALTH") and capture lease (sk "CAPTURE"). */
    STATIONS("spinledger-stations", false),
    /**
     * Detections: pk stationId, sk chunk start (ISO-8601) + "#" + detectionId; also the chunk log. TTL: detections
     * and chunk records carry {@code expiresAt} ({@code SPINLEDGER_DETECTION_RETENTION_DAYS},
     * {@code SPINLEDGER_CHUNK_LOG_RETENTION_DAYS}).
     */
    DETECTIONS("spinledger-detections", true),
    /** Plays: pk stationId, sk playId (which starts with the start instant, so it sorts by time). */
    PLAYS("spinledger-plays", false),
    /** The double-entry ledger: transactions, account entries and balances. */
    LEDGER("spinledger-ledger", false),
    /** Cache of external lookups (MusicBrainz, ACRCloud notices): pk source, sk key; TTL. */
    CACHE("spinledger-cache", true),
    /** Processed-message markers for idempotent consumers: pk consumer, sk message key; TTL. */
    IDEMPOTENCY("spinledger-idempotency", true);

    private final String tableName;
    private final boolean ttl;

    TableName(String tableName, boolean ttl) {
        this.tableName = tableName;
        this.ttl = ttl;
    }

    /** The DynamoDB table name. */
    public String tableName() {
        return tableName;
    }

    /** Whether items expire through the {@code expiresAt} TTL attribute. */
    public boolean hasTtl() {
        return ttl;
    }

    /** Partition key attribute name (string). */
    public static final String PK = "pk";
    /** Sort key attribute name (string). */
    public static final String SK = "sk";
    /** JSON document attribute name. */
    public static final String DOC = "doc";
    /** TTL attribute name (number, epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";
}
