package io.spinledger.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.aws.AwsClients;
import io.spinledger.aws.DynamoTableStore;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.FunctionCatalogue;
import io.spinledger.config.Settings;
import io.spinledger.config.TableName;
import io.spinledger.stats.Metering;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The metering snapshot of the local runtime, what {@code spinledger cost} reads: the {@link Metering} counters,
 * what is stored (media bucket objects and bytes by top-level prefix; each table's items and bytes as DynamoDB
 * reports them), uptime, stations registered and live streams held. Served at {@code GET /local/metering} and
 * written to {@code <data-dir>/metering.json} (or {@code $SPINLEDGER_METERING_FILE}; nowhere for an in-memory run
 * without it) every minute and on close. Taking a snapshot is not metered. It uses clients of its own, not the
 * functions' context, so the snapshot on close still works while a shutdown hook closes that context; the last
 * write waits at most 15 s.
 */
final class LocalMetering implements AutoCloseable {
    /** The snapshot's {@code format} value; the cost command checks it. */
    static final String FORMAT = "spinledger-metering/1";
    private static final Logger log = LoggerFactory.getLogger(LocalMetering.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Settings settings;
    private final IntSupplier liveStreams;
    private final S3Client s3;
    private final DynamoDbClient dynamo;
    private final StationRepository stationRepository;
    private final Optional<Path> file;
    private final Instant startedAt = Instant.now();
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService writer;
    private volatile Map<String, Object> lastStorage;

    LocalMetering(Settings settings, Optional<Path> dataDir, IntSupplier liveStreams) {
        this.settings = settings;
        this.liveStreams = liveStreams;
        this.s3 = AwsClients.s3(settings.aws());
        this.dynamo = AwsClients.dynamo(settings.aws());
        this.stationRepository = new StationRepository(new DynamoTableStore(dynamo));
        String override = System.getenv("SPINLEDGER_METERING_FILE");
        this.file = override != null && !override.isBlank() ? Optional.of(Path.of(override))
                : dataDir.map(d -> d.resolve("metering.json"));
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metering");
            t.setDaemon(true);
            return t;
        });
        file.ifPresent(f -> writer.scheduleWithFixedDelay(this::write, 60, 60, TimeUnit.SECONDS));
    }

    /** The snapshot as JSON (see the class comment); never metered. */
    String json() {
        try {
            return JSON.writeValueAsString(Metering.unmetered(this::snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> snapshot() {
        Map<String, Long> counters = Metering.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", FORMAT);
        out.put("startedAt", startedAt.toString());
        out.put("takenAt", Instant.now().toString());
        out.put("uptimeMs", (System.nanoTime() - startedNanos) / 1_000_000L);
        Map<String, Object> stations = new LinkedHashMap<>();
        stations.put("registered", registeredStations());
        stations.put("live", liveStreams.getAsInt());
        out.put("stations", stations);
        out.put("counters", counters);
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("s3", bucket());
        storage.put("dynamodb", tables());
        if (storage.toString().contains("error=")) {
            // e.g. the emulators stopping under a shutdown hook: keep the last complete listing, marked as such
            Map<String, Object> last = lastStorage;
            if (last != null) {
                storage = new LinkedHashMap<>(last);
                storage.put("stale", true);
            }
        } else {
            storage.put("listedAt", Instant.now().toString());
            lastStorage = storage;
        }
        out.put("storage", storage);
        Map<String, Object> schedule = new TreeMap<>();
        FunctionCatalogue.ALL.stream().filter(f -> f.trigger() == FunctionCatalogue.Trigger.SCHEDULE)
                .forEach(f -> schedule.put(f.definition(), f.scheduleSeconds()));
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("scheduleSeconds", schedule);
        runtime.put("chunkMs", settings.capture().chunkMs());
        runtime.put("chunkOverlapMs", settings.capture().chunkOverlapMs());
        runtime.put("segmentMs", settings.capture().segmentMs());
        runtime.put("segmentOverlapMs", settings.capture().segmentOverlapMs());
        runtime.put("sampleRateHz", settings.capture().sampleRateHz());
        out.put("runtime", runtime);
        return out;
    }

    private long registeredStations() {
        try {
            return stationRepository.list().size();
        } catch (RuntimeException e) {
            log.debug("cannot count stations: {}", e.toString());
            return -1;
        }
    }

    private Map<String, Object> bucket() {
        String bucket = settings.storage().mediaBucket();
        Map<String, Map<String, Long>> prefixes = new TreeMap<>();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                String key = o.key();
                int slash = key.indexOf('/');
                String prefix = slash < 0 ? "(root)" : key.substring(0, slash + 1);
                Map<String, Long> p = prefixes.computeIfAbsent(prefix, k -> new TreeMap<>());
                p.merge("objects", 1L, Long::sum);
                p.merge("bytes", o.size() == null ? 0L : o.size(), Long::sum);
            }
        } catch (RuntimeException e) {
            out.put("error", e.toString());
        }
        out.put("prefixes", prefixes);
        return out;
    }

    private Map<String, Object> tables() {
        Map<String, Object> out = new TreeMap<>();
        for (TableName t : TableName.values()) {
            try {
                TableDescription d = dynamo.describeTable(r -> r.tableName(t.tableName())).table();
                Map<String, Long> m = new TreeMap<>();
                m.put("items", d.itemCount() == null ? 0 : d.itemCount());
                m.put("bytes", d.tableSizeBytes() == null ? 0 : d.tableSizeBytes());
                out.put(t.tableName(), m);
            } catch (RuntimeException e) {
                out.put(t.tableName(), Map.of("error", e.toString()));
            }
        }
        return out;
    }

    /** Writes the snapshot to its file (atomically: a temporary file moved over it). */
    void write() {
        if (file.isEmpty()) {
            return;
        }
        Path f = file.get();
        try {
            if (f.getParent() != null) {
                Files.createDirectories(f.getParent());
            }
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.writeString(tmp, json());
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the metering snapshot to {}: {}", f, e.toString());
        }
    }

    /** Stops the minute writer and writes a last snapshot. */
    @Override
    public void close() {
        writer.shutdownNow();
        Thread last = new Thread(this::write, "metering-last");
        last.setDaemon(true);
        last.start();
        try {
            last.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (last.isAlive()) {
            log.warn("the last metering snapshot took over 15 s; not waiting for it");
        }
        s3.close();
        dynamo.close();
    }
}
