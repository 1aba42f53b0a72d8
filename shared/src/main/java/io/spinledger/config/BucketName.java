package io.spinledger.config;

/**
 * The object-storage bucket and the key prefixes SpinLedger writes under it. The bucket's name is a setting
 * ({@code SPINLEDGER_MEDIA_BUCKET}, read into {@link Settings.Storage#mediaBucket()}), because S3 bucket names are
 * unique across all AWS accounts: each deployment names its own (SAM and Terraform default to
 * {@code spinledger-media-<account id>-<region>}).
 */
public final class BucketName {
    /**
     * Default name of the one bucket (chunks, air-checks, reference audio and the fingerprint index) when
     * {@code SPINLEDGER_MEDIA_BUCKET} is unset: the embedded local runtime and LocalStack use it. Code that
     * touches the bucket takes the configured name from {@link Settings}, never this constant.
     */
    public static final String DEFAULT_MEDIA = "spinledger-media";
    /** Captured chunks: {@code chunks/<stationId>/<yyyy-MM-dd>/<startInstant>-<chunkId>.wav}. */
    public static final String CHUNKS_PREFIX = "chunks/";
    /** Uploaded air-check recordings: {@code airchecks/<stationId>/<id>}. */
    public static final String AIRCHECKS_PREFIX = "airchecks/";
    /** Reference audio as registered: {@code references/<trackId>}. */
    public static final String REFERENCES_PREFIX = "references/";
    /** Audio learned from ACRCloud answers: {@code learned/<trackId>/<songOffsetMs>.wav}. */
    public static final String LEARNED_PREFIX = "learned/";
    /** Fingerprint index segments: {@code index/...}. */
    public static final String INDEX_PREFIX = "index/";
    /**
     * Compressed evidence of live streams, segments of minutes with a byte range per chunk:
     * {@code evidence/<stationId>/<UTC date>/<segment start>-<stream id>.ogg} and its {@code .ogg.json} index.
     */
    public static final String EVIDENCE_PREFIX = "evidence/";

    private BucketName() {
    }

    /**
     * Object key of a captured chunk: {@code chunks/<stationId>/<UTC date>/<startInstant>-<chunkId>.wav}.
     *
     * @param stationId station
     * @param startedAt UTC instant of the chunk's first sample
     * @param chunkId   chunk id
     */
    public static String chunkKey(String stationId, java.time.Instant startedAt, String chunkId) {
        return CHUNKS_PREFIX + stationId + "/" + startedAt.atZone(java.time.ZoneOffset.UTC).toLocalDate() + "/"
                + startedAt + "-" + chunkId + ".wav";
    }
}
