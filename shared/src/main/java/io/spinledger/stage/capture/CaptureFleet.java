package io.spinledger.stage.capture;

import io.spinledger.catalog.StationRepository;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.match.MatchStage;
import io.spinledger.stats.Metering;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.spinledger.stats.BatchedCounts;
import io.spinledger.stats.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture workers of one process, wired for matching at the edge: the local runtime starts one fleet, and on
 * AWS each container task of the capture service runs one ({@code CaptureWorkerApplication}). Each chunk a
 * stream cuts is matched on that stream's thread against this process's index, its audio read from memory
 * ({@link RecentAudio}); pipeline counters are summed in memory and written once a minute ({@link BatchedCounts});
 * only the outcome travels (detections to the detection queue, an audible unmatched chunk,
 * whose WAV is written for it, to the fallback queue). Live audio is kept as compressed evidence segments
 * ({@link EvidenceRecorder}) unless {@code SPINLEDGER_EVIDENCE_BITRATE} is 0. A chunk whose match fails is sent
 * to the chunk queue, where the fingerprint-match function retries it.
 */
public final class CaptureFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptureFleet.class);
    private final List<CaptureWorker> workers = new ArrayList<>();
    private final BatchedCounts counts;
    private final ScheduledExecutorService flusher;

    /**
     * Starts {@code settings.workers().local()} workers, each on a thread of its own.
     *
     * @param settings  worker count, streams per worker, timings, evidence, capture settings
     * @param stations  stations, assignments, heartbeats
     * @param ingest    cuts, stores and registers chunks; keeps stream health
     * @param matcher   matches a chunk against the index
     * @param chunkLog  where each chunk's outcome is recorded
     * @param counters  the pipeline counters (written once a minute from this fleet's {@link BatchedCounts})
     * @param recent    the audio of the chunks cut last (shared with {@code matcher})
     * @param publisher the queues
     * @param idPrefix  what worker ids start with (host name, task id)
     */
    public CaptureFleet(Settings settings, StationRepository stations, ChunkIngestService ingest,
                        ChunkMatcher matcher, ChunkLog chunkLog, Counters counters, RecentAudio recent,
                        MessagePublisher publisher, String idPrefix) {
        Settings.Workers w = settings.workers();
        counts = new BatchedCounts(counters);
        MatchStage match = new MatchStage(matcher::match, counts::increment, chunkLog);
        flusher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("capture-counts").unstarted(r));
        flusher.scheduleWithFixedDelay(counts::flush, 60, 60, TimeUnit.SECONDS);
        ingest.keepRecentAudio(recent);
        if (w.evidenceBitrateBps() > 0) {
            ingest.recordEvidence(new EvidenceRecorder.Options(w.evidenceBitrateBps(), 16_000,
                    w.evidenceSegmentMs()));
        }
        LiveStreams streams = new LiveStreams(ingest, settings.capture(), chunk -> {
            try {
                ChunkMatcher.Outcome outcome = matcher.match(chunk);
                if (outcome.kind() == ChunkMatcher.Kind.UNMATCHED) {
                    ingest.persistAudio(chunk);
                }
                match.emit(chunk, outcome, publisher);
            } catch (RuntimeException e) {
                log.warn("chunk {}: matching at the edge failed ({}); sent to the chunk queue instead",
                        chunk.chunkId(), e.toString());
                ingest.persistAudio(chunk);
                publisher.send(QueueName.CHUNK, chunk);
            }
        });
        String prefix = Objects.requireNonNullElse(idPrefix, "worker") + "-" + ProcessHandle.current().pid();
        for (int i = 0; i < w.local(); i++) {
            CaptureWorker worker = new CaptureWorker(new CaptureWorker.Options(prefix + "-" + (i + 1),
                    w.streamsPerWorker(), w.heartbeatMs(), w.aliveForMs(), w.scanMs()), stations, streams,
                    Clock.systemUTC(), new Random());
            workers.add(worker);
            Thread.ofPlatform().daemon().name("capture-worker-" + (i + 1))
                    .start(() -> Metering.attribute("captureWorker", worker::run));
        }
        log.info("{} capture worker(s), up to {} stream(s) each, matching at the edge, evidence {}", w.local(),
                w.streamsPerWorker(), w.evidenceBitrateBps() > 0 ? "Opus " + w.evidenceBitrateBps() / 1000
                        + " kbit/s in " + w.evidenceSegmentMs() / 1000 + " s segments" : "as WAV chunks");
    }

    /** The workers. */
    public List<CaptureWorker> workers() {
        return List.copyOf(workers);
    }

    /** Stops every worker: streams flush their last chunk and evidence, stations are released for others. */
    @Override
    public void close() {
        workers.forEach(CaptureWorker::close);
        flusher.shutdownNow();
        counts.flush();
    }
}
