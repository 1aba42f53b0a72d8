package io.spinledger.stage.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.BucketName;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.Station;
import io.spinledger.ports.Condition;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.ports.Item;
import io.spinledger.ports.ObjectStore;
import io.spinledger.ports.Page;
import io.spinledger.ports.SkRange;
import io.spinledger.ports.TableStore;
import io.spinledger.ports.Write;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A live capture stopped by the process shutting down (the local runtime's queue pollers interrupt their
 * threads) ends cleanly: chunks already stored stay, nothing is half-written, one INFO line, no failure. The
 * capture is a stand-in that behaves like {@code StreamCapture} (which stops on an interrupt and flushes its
 * last partial chunk), and the stores behave like the AWS SDK on an interrupted thread (AbortedException), so no
 * stream and no emulator are needed. Real failures still propagate.
 */
class ChunkIngestServiceShutdownTest {
    private static final int RATE = 11_025;
    private static final Settings.Capture CAPTURE = new Settings.Capture(10_000, 2_000, 300_000, 5_000, RATE,
            10_000, 60_000);
    private static final Station STATION = new Station("acme-fm", "Acme FM", "http://127.0.0.1:9/live.mp3", "GH",
            "A", "GHS", "Africa/Accra", Instant.parse("2026-01-01T00:00:00Z"));

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ChunkIngestService.class);
    private final AtomicInteger healthWrites = new AtomicInteger();
    private final List<Chunk> announced = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void clearInterrupt() {
        logger.detachAppender(logs);
        Thread.interrupted(); // the test thread played the interrupted poller thread
    }

    @Test
    void anInterruptMidSegmentKeepsTheStoredChunksAndEndsWithOneInfoLine() {
        InMemoryObjectStore stored = new InMemoryObjectStore();
        Instant start = Instant.now();
        ChunkIngestService.Result result = service(sdkLike(stored), (station, url, deadline, sink, listener) -> {
            listener.onConnected(url, start);
            sink.accept(chunk(start, 10_000));
            sink.accept(chunk(start.plusSeconds(8), 10_000));
            Thread.currentThread().interrupt(); // QueuePoller.close(): shutdownNow()
            listener.onAudio(Instant.now());
            sink.accept(chunk(start.plusSeconds(16), 3_000)); // StreamCapture flushes the partial chunk
            return result(2, true);
        }).ingest(live(start), STATION, announced::add);

        assertThat(result.chunks()).isEqualTo(2);
        assertThat(result.skipped()).isNull();
        assertThat(announced).hasSize(2);
        assertThat(stored.list(BucketName.CHUNKS_PREFIX))
                .containsExactlyElementsOf(announced.stream().map(Chunk::objectKey).toList());
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the poller").isTrue();
        assertThat(warningsAndErrors()).isEmpty();
        assertThat(shutdownLines()).singleElement().satisfies(l -> assertThat(l)
                .matches("capture of acme-fm stopped by shutdown at \\S+Z; 2 chunks kept"));
    }

    @Test
    void aStoreAbortedByTheInterruptIsNotAFailureAndTheInterruptIsRestored() {
        InMemoryObjectStore stored = new InMemoryObjectStore();
        AtomicInteger puts = new AtomicInteger();
        ObjectStore abortsThirdPut = new DelegatingStore(stored) {
            @Override
            public void put(String key, byte[] bytes, String contentType) {
                if (puts.incrementAndGet() == 3) {
                    // interrupted inside the call: the SDK throws (and may have consumed the interrupt)
                    throw AbortedException.builder().message("Thread was interrupted").build();
                }
                super.put(key, bytes, contentType);
            }
        };
        Instant start = Instant.now();
        ChunkIngestService.Result result = service(abortsThirdPut, (station, url, deadline, sink, listener) -> {
            for (int i = 0; i < 3; i++) {
                sink.accept(chunk(start.plusSeconds(8L * i), 10_000));
            }
            boolean stopped = Thread.currentThread().isInterrupted(); // StreamCapture stops on it
            sink.accept(chunk(start.plusSeconds(24), 4_000));
            return result(3, stopped);
        }).ingest(live(start), STATION, announced::add);

        assertThat(result.chunks()).isEqualTo(2);
        assertThat(announced).hasSize(2);
        assertThat(stored.list(BucketName.CHUNKS_PREFIX)).hasSize(2);
        assertThat(puts).hasValue(3);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(warningsAndErrors()).isEmpty();
        assertThat(shutdownLines()).singleElement().asString().endsWith("; 2 chunks kept");
    }

    @Test
    void anInterruptWhileTheStreamIsDownWritesNoHealthAndFailsNothing() {
        Instant start = Instant.now();
        ChunkIngestService.Result result = service(sdkLike(new InMemoryObjectStore()),
                (station, url, deadline, sink, listener) -> {
                    listener.onError("cannot open stream: Connection refused", 1, Instant.now().plusSeconds(1));
                    Thread.currentThread().interrupt(); // during the backoff sleep
                    listener.onError("cannot open stream: Connection refused", 2, null);
                    return result(0, true);
                }).ingest(live(start), STATION, announced::add);

        assertThat(result.chunks()).isZero();
        assertThat(healthWrites).as("only the error before the shutdown").hasValue(1);
        assertThat(shutdownLines()).singleElement().asString().endsWith("; 0 chunks kept");
    }

    @Test
    void aStorageFailureWithoutAnInterruptStillFailsTheRequest() {
        ObjectStore down = new DelegatingStore(new InMemoryObjectStore()) {
            @Override
            public void put(String key, byte[] bytes, String contentType) {
                throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
            }
        };
        Instant start = Instant.now();
        ChunkIngestService service = service(down, (station, url, deadline, sink, listener) -> {
            sink.accept(chunk(start, 10_000));
            return result(1, false);
        });
        assertThatThrownBy(() -> service.ingest(live(start), STATION, announced::add))
                .isInstanceOf(SdkClientException.class).hasMessageContaining("Connection refused");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(shutdownLines()).isEmpty();
    }

    @Test
    void aSegmentThatRunsToItsEndIsReportedAsBefore() {
        InMemoryObjectStore stored = new InMemoryObjectStore();
        Instant start = Instant.now();
        ChunkIngestService.Result result = service(stored, (station, url, deadline, sink, listener) -> {
            sink.accept(chunk(start, 10_000));
            return result(1, false);
        }).ingest(live(start), STATION, announced::add);
        assertThat(result.chunks()).isEqualTo(1);
        assertThat(stored.list(BucketName.CHUNKS_PREFIX)).hasSize(1);
        assertThat(shutdownLines()).isEmpty();
        assertThat(infoLines()).anySatisfy(l -> assertThat(l).contains("done: 1 chunks"));
    }

    // ------------------------------------------------------------------ helpers

    private ChunkIngestService service(ObjectStore objects, ChunkIngestService.LiveCapture capture) {
        return new ChunkIngestService(CAPTURE, objects, new StationRepository(tables()), Clock.systemUTC(), capture);
    }

    private static CaptureRequest live(Instant start) {
        return new CaptureRequest("seg-1", STATION.stationId(), CaptureRequest.Kind.LIVE, start, 300_000, null);
    }

    private static ChunkAudio chunk(Instant startedAt, long durationMs) {
        float[] samples = new float[(int) (durationMs * RATE / 1000)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.2 * Math.sin(i * 0.05));
        }
        return new ChunkAudio(startedAt, samples, RATE, false);
    }

    private static CaptureResult result(int chunks, boolean cancelled) {
        return new CaptureResult(STATION.stationId(), STATION.streamUrl(), chunks, chunks * 10L * RATE, RATE, 0, 1, 0,
                0, 0, cancelled, null);
    }

    /** Like the S3 client: refuses to start a request on an interrupted thread. */
    private static ObjectStore sdkLike(ObjectStore objects) {
        return new DelegatingStore(objects) {
            @Override
            public void put(String key, byte[] bytes, String contentType) {
                if (Thread.currentThread().isInterrupted()) {
                    throw AbortedException.builder().message("Thread was interrupted").build();
                }
                super.put(key, bytes, contentType);
            }
        };
    }

    /**
     * Tables with no stored health, counting health writes; like the DynamoDB adapter on the AWS SDK, a write
     * aborts on an interrupted thread.
     */
    private TableStore tables() {
        return new TableStore() {
            @Override
            public Optional<Item> get(TableName table, String pk, String sk) {
                return Optional.empty();
            }

            @Override
            public void write(Write write) {
                if (Thread.currentThread().isInterrupted()) {
                    throw AbortedException.builder().message("Thread was interrupted").build();
                }
                healthWrites.incrementAndGet();
            }

            @Override
            public Item update(Write.Update update) {
                throw new UnsupportedOperationException("update");
            }

            @Override
            public void transact(List<? extends Write> writes) {
                throw new UnsupportedOperationException("transact");
            }

            @Override
            public Page query(TableName table, String pk, SkRange range, Condition filter, Item.Key startAfter,
                              int limit) {
                throw new UnsupportedOperationException("query");
            }

            @Override
            public Page scan(TableName table, Condition filter, Item.Key startAfter, int limit) {
                throw new UnsupportedOperationException("scan");
            }
        };
    }

    private List<String> shutdownLines() {
        return infoLines().stream().filter(l -> l.contains("stopped by shutdown")).toList();
    }

    private List<String> infoLines() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private List<String> warningsAndErrors() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static class DelegatingStore implements ObjectStore {
        private final ObjectStore delegate;

        DelegatingStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void put(String key, byte[] bytes, String contentType) {
            delegate.put(key, bytes, contentType);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return delegate.get(key);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(String key) {
            delegate.delete(key);
        }
    }
}
