package io.spinledger.cli.bench;

import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintExtractor;
import io.spinledger.engine.fingerprint.Fingerprints;
import io.spinledger.engine.fingerprint.IndexSegment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A large catalog of generated tracks (see {@link CostBench#generate}: splices of the indexed
 * recordings resampled out of the tolerated speed range, half of them time-reversed), fingerprinted
 * once and kept on disk as one base {@link IndexSegment}, so later bench runs only read it back.
 *
 * <p>Track {@code i} is generated with its own {@code Random(seed * 1_000_003 + i)} from the indexed
 * recordings of at least 20 s sorted by id, so the catalog depends only on the file name's key
 * (split seed, generation seed, count, length, extraction scheme), not on the number of build threads.
 */
public final class GeneratedCatalog {
    private GeneratedCatalog() {
    }

    /**
     * The cache file of a catalog: {@code gen-<tracks>x<seconds>s-split<splitSeed>-seed<seed>-scheme<hex>.seg}.
     */
    static Path cacheFile(Path dir, int tracks, int seconds, long splitSeed, long seed, FingerprintConfig config) {
        return dir.resolve(String.format("gen-%dx%ds-split%d-seed%d-scheme%08x.seg", tracks, seconds, splitSeed, seed,
                config.schemeId()));
    }

    /** The id of generated track {@code i}: {@code gen-000042}. */
    static String trackId(int i) {
        return String.format("gen-%06d", i);
    }

    /**
     * The catalog's base segment bytes: read from the cache file when present, otherwise generated,
     * fingerprinted on {@code threads} threads (progress logged every 1000 tracks), written to the
     * cache (atomically, via a temporary file) and returned.
     *
     * @param data      the bench data (its indexed recordings are the generation's sources)
     * @param splitSeed the seed that split {@code data} (part of the cache key)
     * @return segment bytes ({@link IndexSegment#toBytes()})
     * @throws UncheckedIOException if the cache cannot be read or written
     */
    static byte[] load(Path cacheDir, FingerprintConfig config, BenchDataset data, long splitSeed, long seed,
                       int tracks, int seconds, int threads, Consumer<String> log) {
        Path file = cacheFile(cacheDir, tracks, seconds, splitSeed, seed, config);
        try {
            if (Files.isRegularFile(file)) {
                log.accept("generated catalog: reading " + file);
                return Files.readAllBytes(file);
            }
            Map<String, Fingerprints> all = build(config, data, seed, tracks, seconds, threads, log);
            byte[] bytes = new IndexSegment(config.schemeId(), all).toBytes();
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "gen-", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.accept(String.format("generated catalog: wrote %s (%.0f MB)", file, bytes.length / 1e6));
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Fingerprints> build(FingerprintConfig config, BenchDataset data, long seed, int tracks,
                                                   int seconds, int threads, Consumer<String> log) {
        List<Map.Entry<String, Pcm>> named = new ArrayList<>(data.indexed().entrySet());
        named.removeIf(e -> e.getValue().durationMs() < 20_000);
        named.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        List<Pcm> sources = named.stream().map(Map.Entry::getValue).toList();
        Fingerprints[] out = new Fingerprints[tracks];
        AtomicInteger done = new AtomicInteger();
        AtomicLong cpuNs = new AtomicLong();
        long t0 = System.nanoTime();
        int rate = config.sampleRateHz();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            int parts = Math.max(1, threads) * 8;
            for (int p = 0; p < parts; p++) {
                int part = p;
                futures.add(pool.submit(() -> {
                    FingerprintExtractor extractor = new FingerprintExtractor(config);
                    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
                    for (int i = part; i < tracks; i += parts) {
                        Pcm track = CostBench.generate(sources, new Random(seed * 1_000_003L + i), rate, seconds);
                        long c0 = bean.getCurrentThreadCpuTime();
                        out[i] = extractor.extract(track);
                        cpuNs.addAndGet(bean.getCurrentThreadCpuTime() - c0);
                        int d = done.incrementAndGet();
                        if (d % 1000 == 0 || d == tracks) {
                            double s = (System.nanoTime() - t0) / 1e9;
                            log.accept(String.format("generated catalog: %d / %d tracks fingerprinted in %.0f s "
                                            + "(extraction %.0fx real time per core), about %.0f s left", d, tracks, s,
                                    (double) d * seconds * 1e9 / Math.max(1, cpuNs.get()), s / d * (tracks - d)));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("building the generated catalog failed", e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, Fingerprints> all = new LinkedHashMap<>();
        for (int i = 0; i < tracks; i++) {
            all.put(trackId(i), out[i]);
        }
        return all;
    }
}
