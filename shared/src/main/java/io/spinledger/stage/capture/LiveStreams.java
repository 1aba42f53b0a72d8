package io.spinledger.stage.capture;

import io.spinledger.config.Settings;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Station;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real streams of a {@link CaptureWorker}: each station on a platform thread of its own (FFmpeg's blocking
 * reads would pin a virtual thread's carrier), following the stream with {@link ChunkIngestService#follow} and
 * announcing each stored chunk. A stream that ends or fails is started again after a second, until stopped.
 */
public final class LiveStreams implements CaptureWorker.Streams {
    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final ChunkIngestService ingest;
    private final Settings.Capture settings;
    private final Consumer<Chunk> announce;

    /**
     * @param ingest   stores chunks and keeps stream health
     * @param settings chunking, timeouts and backoff of each stream
     * @param announce receives each stored chunk (sent to the chunk queue)
     */
    public LiveStreams(ChunkIngestService ingest, Settings.Capture settings, Consumer<Chunk> announce) {
        this.ingest = ingest;
        this.settings = settings;
        this.announce = announce;
    }

    @Override
    public CaptureWorker.Stream start(Station station, String workerId) {
        return new Running(station, workerId);
    }

    private final class Running implements CaptureWorker.Stream {
        private final Thread thread;
        private volatile boolean stopped;
        private volatile StreamCapture capture;

        Running(Station station, String workerId) {
            thread = Thread.ofPlatform().daemon().name("capture-" + station.stationId()).start(() -> {
                while (!stopped && !Thread.currentThread().isInterrupted()) {
                    capture = new StreamCapture(settings);
                    if (stopped) {
                        return;
                    }
                    try {
                        ingest.follow(station, workerId, capture, announce);
                    } catch (RuntimeException e) {
                        log.warn("station {}: capture failed ({}); starting again in 1 s", station.stationId(),
                                e.toString());
                    }
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void stop() {
            stopped = true;
            StreamCapture c = capture;
            if (c != null) {
                c.cancel();
            }
        }

        @Override
        public boolean running() {
            return thread.isAlive();
        }

        @Override
        public long cpuNanos() {
            long ns = THREADS.isThreadCpuTimeSupported() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
            return Math.max(0, ns);
        }
    }
}
