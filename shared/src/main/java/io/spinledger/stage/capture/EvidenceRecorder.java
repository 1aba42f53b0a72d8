package io.spinledger.stage.capture;

import io.spinledger.engine.audio.FfmpegDecoder;
import io.spinledger.json.Json;
import io.spinledger.ports.ObjectStore;
import io.spinledger.stats.Metering;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live stream's audio evidence, compressed: each chunk's own stretch (its first chunk step, the part the next
 * chunk does not repeat) is encoded as a small stand-alone Ogg Opus stream (FFmpeg's libopus through JavaCV), and
 * the pieces of a few minutes are concatenated into one segment object (a chained Ogg stream: it plays from the
 * start, and any piece's byte range plays alone). Beside each segment an index object lists each chunk's byte
 * range. Keys ({@code evidence/} prefix, see {@link #segmentKey}):
 * <pre>
 *   evidence/&lt;station&gt;/&lt;UTC date&gt;/&lt;segment start, ISO&gt;-&lt;stream id&gt;.ogg        the audio
 *   evidence/&lt;station&gt;/&lt;UTC date&gt;/&lt;segment start, ISO&gt;-&lt;stream id&gt;.ogg.json   [{chunkId, startedAt, offset, length}]
 * </pre>
 * At 16 kbit/s that is about 170 MB per station-day, against 2.4 GB for the chunks as WAV; one PUT per segment
 * (two with the index) instead of one per chunk. Retention is set per prefix on the bucket (lifecycle rules).
 *
 * <p>One recorder per stream, used on that stream's thread only. Encoding failures are logged and the piece is
 * skipped (the chunk is still matched; only its evidence is missing); a failed upload propagates.
 */
public final class EvidenceRecorder implements AutoCloseable {
    /** Prefix of evidence segments and their indexes. */
    public static final String PREFIX = io.spinledger.config.BucketName.EVIDENCE_PREFIX;
    private static final Logger log = LoggerFactory.getLogger(EvidenceRecorder.class);

    /**
     * How evidence is encoded and cut.
     *
     * @param bitrateBps   Opus bit rate ({@code SPINLEDGER_EVIDENCE_BITRATE}, default 16000)
     * @param sampleRateHz Opus sample rate (8000, 12000, 16000, 24000 or 48000; default 16000)
     * @param segmentMs    audio per segment object ({@code SPINLEDGER_EVIDENCE_SEGMENT_MS}, default 300000)
     */
    public record Options(int bitrateBps, int sampleRateHz, long segmentMs) {
        /** @throws IllegalArgumentException for a rate Opus does not take or a non-positive length */
        public Options {
            if (!List.of(8000, 12000, 16000, 24000, 48000).contains(sampleRateHz)) {
                throw new IllegalArgumentException("Opus takes 8000, 12000, 16000, 24000 or 48000 Hz, not "
                        + sampleRateHz);
            }
            if (bitrateBps < 6000 || segmentMs < 10_000) {
                throw new IllegalArgumentException("evidence needs a bit rate >= 6000 b/s and segments >= 10 s");
            }
        }

        /** 16 kbit/s at 16 kHz, 5-minute segments. */
        public static Options defaults() {
            return new Options(16_000, 16_000, 300_000);
        }
    }

    /**
     * Where one chunk's piece is.
     *
     * @param chunkId   the chunk
     * @param startedAt air time of its first sample
     * @param offset    first byte of its piece in the segment
     * @param length    bytes of its piece
     */
    public record Piece(String chunkId, Instant startedAt, long offset, long length) {
    }

    static {
        FfmpegDecoder.loadNatives();
    }

    private final ObjectStore objects;
    private final String stationId;
    private final String streamId;
    private final Options options;
    private final ByteArrayOutputStream segment = new ByteArrayOutputStream();
    private final List<Piece> pieces = new ArrayList<>();
    private Instant segmentStart;

    /**
     * @param objects   the media bucket
     * @param stationId the station
     * @param streamId  this stream run (a worker's request id: unique, so two workers never write one key)
     * @param options   encoding and segment length
     */
    public EvidenceRecorder(ObjectStore objects, String stationId, String streamId, Options options) {
        this.objects = objects;
        this.stationId = stationId;
        this.streamId = streamId;
        this.options = options;
    }

    /** The key of a segment's audio; its index is this plus {@code .json}. */
    public static String segmentKey(String stationId, Instant segmentStart, String streamId) {
        return PREFIX + stationId + "/" + segmentStart.atZone(ZoneOffset.UTC).toLocalDate() + "/" + segmentStart
                + "-" + streamId + ".ogg";
    }

    /**
     * Encodes a chunk's own stretch and appends it to the current segment, uploading the segment first when this
     * chunk would not fit in it.
     *
     * @param chunkId the chunk's id
     * @param audio   the chunk
     * @param ownMs   how much of its start is its own (the chunk step; the whole chunk when no chunk follows)
     * @return where its piece is, or null when it could not be encoded
     */
    public Piece append(String chunkId, ChunkAudio audio, long ownMs) {
        if (segmentStart != null && audio.startedAt().isAfter(segmentStart.plusMillis(options.segmentMs()))) {
            flush();
        }
        if (segmentStart == null) {
            segmentStart = audio.startedAt();
        }
        int own = (int) Math.min(audio.samples().length, ownMs * audio.sampleRateHz() / 1000);
        byte[] encoded;
        try {
            encoded = encode(Arrays.copyOf(audio.samples(), own), audio.sampleRateHz());
        } catch (Exception | UnsatisfiedLinkError e) {
            log.warn("station {}: evidence of chunk {} could not be encoded ({}); skipped", stationId, chunkId,
                    e.toString());
            return null;
        }
        Piece p = new Piece(chunkId, audio.startedAt(), segment.size(), encoded.length);
        segment.writeBytes(encoded);
        pieces.add(p);
        return p;
    }

    /** Uploads the current segment and its index, if it holds anything. */
    public void flush() {
        if (pieces.isEmpty()) {
            segmentStart = null;
            return;
        }
        String key = segmentKey(stationId, segmentStart, streamId);
        objects.put(key, segment.toByteArray(), "audio/ogg");
        objects.put(key + ".json", Json.write(pieces).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
        Metering.add("evidence.bytes", segment.size());
        segment.reset();
        pieces.clear();
        segmentStart = null;
    }

    /** Uploads what is left. */
    @Override
    public void close() {
        flush();
    }

    private byte[] encode(float[] samples, int sampleRateHz) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(options.bitrateBps() / 8 * 10 + 1024);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, 1)) {
            r.setFormat("ogg");
            r.setAudioCodecName("libopus");
            r.setSampleRate(options.sampleRateHz());
            r.setAudioBitrate(options.bitrateBps());
            r.setAudioOption("compression_level", "0"); // fastest: evidence is for ears, not for matching
            r.setAudioOption("frame_duration", "60"); // fewer, longer frames: less work and overhead per second
            r.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            r.start();
            r.recordSamples(sampleRateHz, 1, FloatBuffer.wrap(samples));
            r.stop();
        }
        return out.toByteArray();
    }
}
