package io.spinledger.stage.capture;

import io.spinledger.catalog.StationRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Station;
import io.spinledger.domain.StreamHealth;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.AudioDecodingException;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.ports.ObjectStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk-ingest stage's domain logic. A LIVE request records the station's stream until the segment
 * ends, cutting it into overlapping chunks; an AIRCHECK request decodes an uploaded recording and cuts it
 * the same way, with instants counted from the recording's stated start. Each chunk is stored as 16-bit mono
 * WAV under {@code chunks/<station>/<date>/...} and announced. Chunk ids are station + start instant, so
 * ingesting an air-check twice produces the same chunks (and, downstream, the same detections).
 *
 * <p><b>Shutdown.</b> Interrupting the thread that records a live segment (the local runtime's queue pollers do
 * so when the process stops) ends the capture cleanly: the chunks stored so far stay (they were announced), no
 * further chunk or health record is written (a write would fail half-way), one INFO line says so, and the request
 * counts as handled rather than failed. Stream failures are unaffected ({@link StreamCapture} rides them out
 * until the deadline), and so are storage failures that have nothing to do with an interrupt: they propagate.
 */
public final class ChunkIngestService {
    private static final Logger log = LoggerFactory.getLogger(ChunkIngestService.class);
    /** Stream health is written when its status or error changes, else at most this often (ms). */
    static final long HEALTH_EVERY_MS = 60_000;
    /** How far ahead a followed stream's deadline is put (a worker restarts the stream if it is ever reached). */
    private static final long FOLLOW_HORIZON_MS = 24L * 3600 * 1000;
    private final Settings.Capture settings;
    private final ObjectStore objects;
    private final StationRepository stations;
    private final Clock clock;
    private final LiveCapture liveCapture;
    private final ChunkLog chunkLog;
    private volatile RecentAudio recent;
    private volatile EvidenceRecorder.Options evidence;

    /** Records one live segment: {@link StreamCapture#capture} (a stand-in in tests). */
    @FunctionalInterface
    interface LiveCapture {
        CaptureResult capture(String stationId, String url, Instant deadline, Consumer<ChunkAudio> sink,
                              CaptureListener listener);
    }

    /**
     * @param settings chunk length, overlap, sample rate, timeouts
     * @param objects  media bucket
     * @param stations where stream health is recorded
     * @param clock    wall clock
     */
    public ChunkIngestService(Settings.Capture settings, ObjectStore objects, StationRepository stations,
                              Clock clock) {
        this(settings, objects, stations, clock, (ChunkLog) null);
    }

    /**
     * @param settings chunk length, overlap, sample rate, timeouts
     * @param objects  media bucket
     * @param stations where stream health is recorded
     * @param clock    wall clock
     * @param chunkLog where every chunk is registered before it is announced (the station watermark's source);
     *                 null registers nothing
     */
    public ChunkIngestService(Settings.Capture settings, ObjectStore objects, StationRepository stations,
                              Clock clock, ChunkLog chunkLog) {
        this(settings, objects, stations, clock, (stationId, url, deadline, sink, listener) ->
                new StreamCapture(settings).capture(stationId, url, deadline, sink, listener), chunkLog);
    }

    /** As above, recording live segments with {@code liveCapture}. */
    ChunkIngestService(Settings.Capture settings, ObjectStore objects, StationRepository stations, Clock clock,
                       LiveCapture liveCapture) {
        this(settings, objects, stations, clock, liveCapture, null);
    }

    /** As above, recording live segments with {@code liveCapture}, registering chunks in {@code chunkLog}. */
    ChunkIngestService(Settings.Capture settings, ObjectStore objects, StationRepository stations, Clock clock,
                       LiveCapture liveCapture, ChunkLog chunkLog) {
        this.settings = settings;
        this.objects = objects;
        this.stations = stations;
        this.clock = clock;
        this.liveCapture = liveCapture;
        this.chunkLog = chunkLog;
    }

    /**
     * What one request produced.
     *
     * @param chunks  chunks stored and announced
     * @param skipped why nothing was done (null when something was)
     * @param capture the live capture summary (null for air-checks)
     */
    public record Result(int chunks, String skipped, CaptureResult capture) {
    }

    /**
     * Runs one capture request.
     *
     * @param request  the request
     * @param station  its station
     * @param announce receives each stored chunk (to be sent to the chunk queue)
     * @throws IllegalStateException when an air-check's object is missing (retry later)
     */
    public Result ingest(CaptureRequest request, Station station, Consumer<Chunk> announce) {
        return switch (request.kind()) {
            case LIVE -> live(request, station, announce);
            case AIRCHECK -> aircheck(request, station, announce);
        };
    }

    private Result live(CaptureRequest req, Station station, Consumer<Chunk> announce) {
        Instant deadline = req.segmentStart().plusMillis(req.segmentMs());
        Instant now = clock.instant();
        if (!now.isBefore(deadline.minusMillis(settings.chunkMs()))) {
            log.info("station {}: segment {} ended at {}; nothing left to capture", station.stationId(),
                    req.requestId(), deadline);
            return new Result(0, "segment already over", null);
        }
        if (station.streamUrl() == null) {
            return new Result(0, "station has no stream URL", null);
        }
        return record(station, req.requestId(), deadline, liveCapture, announce, null);
    }

    /**
     * Follows a station's stream for a capture worker ({@link CaptureWorker}) until {@code capture} is cancelled
     * (or a day has passed: the worker then starts it again): the stream is cut into chunks, each stored and
     * announced as a live segment's are, and stream health is kept. Blocks the calling thread.
     *
     * @param station  the station (with a stream URL)
     * @param workerId the worker holding it (chunks' request ids name it)
     * @param capture  the capture to run; {@link StreamCapture#cancel} stops it after flushing the chunk being cut
     * @param announce receives each stored chunk
     * @return what was captured
     * @throws IllegalArgumentException when the station has no stream URL
     */
    public Result follow(Station station, String workerId, StreamCapture capture, Consumer<Chunk> announce) {
        if (station.streamUrl() == null || station.streamUrl().isBlank()) {
            throw new IllegalArgumentException("station " + station.stationId() + " has no stream URL");
        }
        Instant now = clock.instant();
        String requestId = workerId + "-" + now.toEpochMilli();
        EvidenceRecorder.Options ev = evidence;
        EvidenceRecorder recorder = ev == null ? null : new EvidenceRecorder(objects, station.stationId(), requestId, ev);
        try {
            return record(station, requestId, now.plusMillis(FOLLOW_HORIZON_MS),
                    (stationId, url, deadline, sink, listener) -> capture.capture(stationId, url, deadline, sink,
                            listener), announce, recorder);
        } finally {
            if (recorder != null) {
                try {
                    recorder.close();
                } catch (RuntimeException e) {
                    log.warn("station {}: the last evidence segment could not be stored ({})", station.stationId(),
                            e.toString());
                }
            }
        }
    }

    /**
     * From now on, followed streams keep their audio as compressed evidence segments ({@link EvidenceRecorder})
     * instead of a WAV object per chunk; a chunk's WAV is then written only when a stage needs it
     * ({@link #persistAudio}: the fallback). Needs {@link #keepRecentAudio} (matching reads the audio from memory).
     *
     * @param options encoding and segment length; null stores WAV chunks again
     */
    public void recordEvidence(EvidenceRecorder.Options options) {
        this.evidence = options;
    }

    /**
     * Writes a followed chunk's audio as WAV at its object key (for the fallback stage, which reads it there), from
     * the recent audio kept in memory. Does nothing when it is already stored.
     *
     * @param chunk the chunk
     * @return false when its audio is no longer kept (nothing could be written)
     */
    public boolean persistAudio(Chunk chunk) {
        RecentAudio keep = recent;
        var pcm = keep == null ? java.util.Optional.<Pcm>empty() : keep.get(chunk.objectKey());
        if (pcm.isEmpty()) {
            return objects.get(chunk.objectKey()).isPresent();
        }
        objects.put(chunk.objectKey(), Wav.write(pcm.get()), "audio/wav");
        return true;
    }

    private Result record(Station station, String requestId, Instant deadline, LiveCapture recorder,
                          Consumer<Chunk> announce, EvidenceRecorder evidenceRecorder) {
        long stepMs = settings.chunkMs() - settings.chunkOverlapMs();
        Shutdown shutdown = new Shutdown();
        HealthTracker tracker = new HealthTracker(station.stationId(), shutdown);
        int[] count = {0};
        CaptureResult r = recorder.capture(station.stationId(), station.streamUrl(), deadline,
                audio -> {
                    if (shutdown.seen()) {
                        return; // stopping: the last, partial chunk is dropped rather than half-written
                    }
                    try {
                        if (evidenceRecorder != null) {
                            String chunkId = Chunk.idOf(station.stationId(), audio.startedAt());
                            evidenceRecorder.append(chunkId, audio, audio.durationMs() < settings.chunkMs()
                                    ? audio.durationMs() : stepMs);
                        }
                        announce.accept(store(station.stationId(), requestId, audio, false, evidenceRecorder == null));
                    } catch (RuntimeException e) {
                        if (shutdown.causedBy(e)) {
                            return;
                        }
                        throw e;
                    }
                    count[0]++;
                    tracker.chunk();
                }, evidenceRecorder == null ? tracker : new CaptureListener() {
                    // a connection that ends closes the evidence segment, so the audio before a gap is kept at once
                    @Override
                    public void onConnected(String url, Instant at) {
                        tracker.onConnected(url, at);
                    }

                    @Override
                    public void onAudio(Instant lastAudioAt) {
                        tracker.onAudio(lastAudioAt);
                    }

                    @Override
                    public void onSilence(ChunkAudio chunk) {
                        tracker.onSilence(chunk);
                    }

                    @Override
                    public void onError(String message, int consecutiveErrors, Instant nextAttemptAt) {
                        if (!shutdown.seen()) {
                            evidenceRecorder.flush();
                        }
                        tracker.onError(message, consecutiveErrors, nextAttemptAt);
                    }

                    @Override
                    public void onChunk(ChunkAudio chunk) {
                        tracker.onChunk(chunk);
                    }
                });
        if (shutdown.seen()) {
            log.info("capture of {} stopped by shutdown at {}; {} chunks kept", station.stationId(), shutdown.at(),
                    count[0]);
            return new Result(count[0], null, r);
        }
        if (r.cancelled()) {
            log.info("capture of {} stopped by its worker at {}; {} chunks kept", station.stationId(), clock.instant(),
                    count[0]);
            return new Result(count[0], null, r);
        }
        tracker.flush();
        log.info("station {}: capture {} done: {} chunks, {} s audio, {} reconnects, cpu {} ms", station.stationId(),
                requestId, r.chunks(), r.audioMs() / 1000, Math.max(0, r.connections() - 1), r.cpuMs());
        return new Result(count[0], null, r);
    }

    private Result aircheck(CaptureRequest req, Station station, Consumer<Chunk> announce) {
        byte[] encoded = objects.get(req.sourceKey()).orElseThrow(() ->
                new IllegalStateException("air-check " + req.requestId() + " has no object at " + req.sourceKey()));
        Pcm pcm;
        try {
            pcm = new AudioDecoder(settings.sampleRateHz(), 24L * 3600 * 1000).decode(encoded);
        } catch (AudioDecodingException e) {
            log.warn("air-check {} of station {} is not decodable ({}); nothing to ingest", req.requestId(),
                    station.stationId(), e.getMessage());
            return new Result(0, "not decodable: " + e.getMessage(), null);
        }
        Chunker chunker = Chunker.of(settings, req.segmentStart());
        List<ChunkAudio> chunks = new java.util.ArrayList<>(chunker.feed(pcm.samples()));
        chunks.addAll(chunker.flush());
        for (int i = 0; i < chunks.size(); i++) {
            announce.accept(store(station.stationId(), req.requestId(), chunks.get(i), i == chunks.size() - 1, true));
        }
        log.info("station {}: air-check {} ({} s) cut into {} chunks", station.stationId(), req.requestId(),
                pcm.durationMs() / 1000, chunks.size());
        return new Result(chunks.size(), null, null);
    }

    /**
     * Keeps the audio of every chunk stored from now on in {@code recent} too, for matching at the edge.
     *
     * @param recent where to keep it; null keeps nothing
     */
    public void keepRecentAudio(RecentAudio recent) {
        this.recent = recent;
    }

    /**
     * Stores a chunk's audio (as WAV when {@code wav}, else only in the recent audio) and registers it in the chunk
     * log (last: the end of its air-check).
     */
    private Chunk store(String stationId, String requestId, ChunkAudio audio, boolean last, boolean wav) {
        String chunkId = Chunk.idOf(stationId, audio.startedAt());
        String key = BucketName.chunkKey(stationId, audio.startedAt(), chunkId);
        Pcm pcm = new Pcm(audio.samples(), audio.sampleRateHz());
        if (wav || recent == null) {
            objects.put(key, Wav.write(pcm), "audio/wav");
        }
        RecentAudio keep = recent;
        if (keep != null) {
            keep.put(key, pcm);
        }
        Chunk chunk = new Chunk(chunkId, stationId, audio.startedAt(), audio.durationMs(), key, audio.sampleRateHz(),
                requestId);
        if (chunkLog != null) {
            chunkLog.register(chunk, last);
        }
        return chunk;
    }

    /**
     * Whether the recording thread was interrupted (the process is shutting down), and when that was first seen.
     * Used on the recording thread only.
     */
    private final class Shutdown {
        private Instant at;

        /** True once the thread has been interrupted. */
        boolean seen() {
            if (at == null && Thread.currentThread().isInterrupted()) {
                at = clock.instant();
            }
            return at != null;
        }

        /**
         * Whether a failed write failed because of an interrupt (the AWS SDK answers an interrupted thread with an
         * {@code AbortedException}); if so the interrupt is kept (or restored), so the capture stops.
         */
        boolean causedBy(RuntimeException e) {
            boolean interrupted = Thread.currentThread().isInterrupted();
            for (Throwable t = e; t != null && !interrupted; t = t.getCause()) {
                interrupted = t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                        || t instanceof java.nio.channels.ClosedByInterruptException
                        || "software.amazon.awssdk.core.exception.AbortedException".equals(t.getClass().getName());
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                seen();
            }
            return interrupted;
        }

        /** When the shutdown was first seen (now, if it was only seen in the capture's result). */
        Instant at() {
            return at != null ? at : clock.instant();
        }
    }

    /**
     * Turns capture events into {@link StreamHealth} records, written when the status or the error changes and
     * otherwise at most once per {@link #HEALTH_EVERY_MS} (so a healthy stream costs one write a minute).
     */
    private final class HealthTracker implements CaptureListener {
        private final String stationId;
        private final Shutdown shutdown;
        private final AtomicReference<StreamHealth> current;
        private StreamHealth written;
        private long lastWriteMs;

        HealthTracker(String stationId, Shutdown shutdown) {
            this.stationId = stationId;
            this.shutdown = shutdown;
            this.current = new AtomicReference<>(stations.health(stationId));
        }

        @Override
        public void onConnected(String url, Instant at) {
            StreamHealth h = current.get();
            update(new StreamHealth(stationId, "UP", h.lastAudioAt(), h.lastError(), h.lastErrorAt(), 0,
                    h.chunksCaptured(), at), true);
        }

        @Override
        public void onAudio(Instant lastAudioAt) {
            StreamHealth h = current.get();
            update(new StreamHealth(stationId, "UP", lastAudioAt, h.lastError(), h.lastErrorAt(), 0,
                    h.chunksCaptured(), clock.instant()), false);
        }

        @Override
        public void onSilence(ChunkAudio chunk) {
            StreamHealth h = current.get();
            update(new StreamHealth(stationId, "SILENT", h.lastAudioAt(), h.lastError(), h.lastErrorAt(),
                    h.consecutiveErrors(), h.chunksCaptured(), clock.instant()), false);
        }

        @Override
        public void onError(String message, int consecutiveErrors, Instant nextAttemptAt) {
            StreamHealth h = current.get();
            String status = nextAttemptAt == null ? "DOWN" : "RECONNECTING";
            log.warn("station {}: stream error #{}: {}; next attempt {}", stationId, consecutiveErrors, message,
                    nextAttemptAt == null ? "with the next segment" : nextAttemptAt);
            update(new StreamHealth(stationId, status, h.lastAudioAt(), message, clock.instant(), consecutiveErrors,
                    h.chunksCaptured(), clock.instant()), true);
        }

        void chunk() {
            StreamHealth h = current.get();
            update(new StreamHealth(stationId, h.status(), h.lastAudioAt(), h.lastError(), h.lastErrorAt(),
                    h.consecutiveErrors(), h.chunksCaptured() + 1, clock.instant()), false);
        }

        void flush() {
            written = current.get();
            stations.putHealth(written);
        }

        private void update(StreamHealth next, boolean force) {
            current.set(next);
            if (shutdown.seen()) {
                return; // stopping: the next capture records health again
            }
            long now = clock.millis();
            boolean changed = written == null || !next.status().equals(written.status())
                    || !java.util.Objects.equals(next.lastError(), written.lastError());
            if (force || changed || now - lastWriteMs >= HEALTH_EVERY_MS) {
                lastWriteMs = now;
                written = next;
                try {
                    stations.putHealth(next);
                } catch (RuntimeException e) {
                    if (!shutdown.causedBy(e)) {
                        throw e;
                    }
                }
            }
        }
    }
}
