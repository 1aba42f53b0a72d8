package io.spinledger.cli.bench;

import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.FingerprintExtractor;
import io.spinledger.engine.fingerprint.FingerprintIndex;
import io.spinledger.engine.fingerprint.Fingerprints;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The cost half of the bench, single-threaded: decoding and extraction speed on the real
 * recordings; an index of generated tracks (random splices of the recordings resampled by 0.50-0.70
 * or 1.45-2.00, half of them time-reversed, so they share no fingerprints with the originals at tolerated speeds) plus the
 * indexed recordings, built, stored as a compacted base segment and loaded back; then JMH
 * (in-process) for per-chunk extraction and extraction + match against it.
 */
public final class CostBench {
    /** A report row. @param measure what @param value measured @param target the target */
    public record Row(String measure, String value, String target) {
    }

    /** The outcome. @param description setup @param rows measurements */
    public record Result(String description, List<Row> rows) {
    }

    private CostBench() {
    }

    static Result run(FingerprintConfig config, BenchDataset data, int tracks, int trackSeconds,
                      boolean jmh, Consumer<String> log) {
        List<Row> rows = new ArrayList<>();
        FingerprintExtractor extractor = new FingerprintExtractor(config);
        // extraction speed on the real recordings
        long audioMs = 0;
        long refNs = 0;
        long queryNs = 0;
        long refCpu = 0;
        long queryCpu = 0;
        for (int pass = 0; pass < 2; pass++) {
            audioMs = 0;
            refNs = 0;
            queryNs = 0;
            refCpu = 0;
            queryCpu = 0;
            for (Pcm p : data.indexed().values()) {
                long c0 = cpu();
                long t0 = System.nanoTime();
                extractor.extract(p);
                long t1 = System.nanoTime();
                long c1 = cpu();
                extractor.extractQuery(p);
                long t2 = System.nanoTime();
                long c2 = cpu();
                refNs += t1 - t0;
                queryNs += t2 - t1;
                refCpu += c1 - c0;
                queryCpu += c2 - c1;
                audioMs += p.durationMs();
            }
        }
        rows.add(new Row("reference extraction", String.format("%.0fx real time per core (thread CPU time); %.0fx by wall clock",
                audioMs / (refCpu / 1e6), audioMs / (refNs / 1e6)), ">= 2000x"));
        rows.add(new Row("query extraction (denser)", String.format("%.0fx real time per core (thread CPU time); %.0fx by wall clock",
                audioMs / (queryCpu / 1e6), audioMs / (queryNs / 1e6)), ">= 2000x"));
        log.accept(rows.get(rows.size() - 2) + " " + rows.get(rows.size() - 1));

        // generated tracks
        List<Pcm> sources = new ArrayList<>(data.indexed().values());
        sources.removeIf(p -> p.durationMs() < 20_000);
        Random r = new Random(77);
        int rate = config.sampleRateHz();
        IndexStore store = new IndexStore(new InMemoryObjectStore(), config);
        FingerprintIndex index = new FingerprintIndex();
        long genNs = 0;
        long extractNs = 0;
        long addNs = 0;
        long genAudioMs = 0;
        long buildCpu = 0;
        Map<String, Fingerprints> batch = new LinkedHashMap<>();
        Map<String, Fingerprints> all = new LinkedHashMap<>();
        for (int i = 0; i < tracks; i++) {
            long t0 = System.nanoTime();
            Pcm track = generate(sources, r, rate, trackSeconds);
            long t1 = System.nanoTime();
            long c1 = cpu();
            Fingerprints f = extractor.extract(track);
            long t2 = System.nanoTime();
            buildCpu += cpu() - c1;
            batch.put(String.format("gen-%05d", i), f);
            if (batch.size() == 200 || i == tracks - 1) {
                index.addAll(batch);
                all.putAll(batch);
                batch = new LinkedHashMap<>();
            }
            long t3 = System.nanoTime();
            genNs += t1 - t0;
            extractNs += t2 - t1;
            addNs += t3 - t2;
            genAudioMs += track.durationMs();
            if ((i + 1) % 1000 == 0) {
                log.accept(String.format("cost index: %d / %d generated tracks", i + 1, tracks));
            }
        }
        for (Map.Entry<String, Pcm> e : data.indexed().entrySet()) {
            Fingerprints f = extractor.extract(e.getValue());
            index.add(e.getKey(), f);
            all.put(e.getKey(), f);
        }
        long c0 = System.nanoTime();
        long cc0 = cpu();
        index.compact();
        long compactNs = System.nanoTime() - c0;
        buildCpu += cpu() - cc0;
        long postings = index.postingCount();
        double hours = genAudioMs / 3_600_000.0;
        rows.add(new Row("index build (extract + add, decoding excluded)",
                String.format("%.0fx real time per core (thread CPU time of extraction + compaction); by wall clock %.0fx (extract %.0fx, add %.0fx)",
                        genAudioMs / (buildCpu / 1e6), genAudioMs / ((extractNs + addNs + compactNs) / 1e6),
                        genAudioMs / (extractNs / 1e6), genAudioMs / ((addNs + compactNs) / 1e6)), ">= 500x"));
        rows.add(new Row("cost index", String.format("%d tracks (%d generated x %d s = %.1f h, + %d recordings), %d fingerprints",
                index.trackCount(), tracks, trackSeconds, hours, data.indexed().size(), postings), "10,000 tracks"));
        rows.add(new Row("index memory per fingerprint", String.format("%.2f bytes", (double) index.memoryBytes() / postings),
                "<= 8 bytes"));
        rows.add(new Row("index memory per hour of reference audio",
                String.format("%.2f MB (%.1f fingerprints/s)", index.memoryBytes() / 1e6 / (hours + refHours(data)),
                        postings / 3600.0 / (hours + refHours(data))), "<= 1 MB"));
        // store as one compacted base segment and load it back
        for (Map.Entry<String, Fingerprints> e : all.entrySet()) {
            store.addTrack(e.getKey(), e.getValue());
        }
        all = null;
        store.compact();
        FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(), store);
        System.gc();
        long l0 = System.nanoTime();
        engine.refresh();
        double loadS = (System.nanoTime() - l0) / 1e9;
        rows.add(new Row("load from object storage (base segment, in-memory store) until ready to match",
                String.format("%.2f s for %d tracks", loadS, engine.index().trackCount()), "<= 5 s"));
        log.accept(rows.toString());
        index = null;
        List<Pcm> chunks = queryChunks(data);
        // thread CPU time of extract + match per 20 s chunk (independent of other processes' load)
        long[] cpuNs = new long[chunks.size() * 3];
        long[] wallNs = new long[cpuNs.length];
        for (int w = 0; w < 20; w++) {
            engine.identify(chunks.get(w % chunks.size()));
        }
        for (int i = 0; i < cpuNs.length; i++) {
            long k0 = cpu();
            long w0 = System.nanoTime();
            engine.identify(chunks.get(i % chunks.size()));
            wallNs[i] = System.nanoTime() - w0;
            cpuNs[i] = cpu() - k0;
        }
        java.util.Arrays.sort(cpuNs);
        java.util.Arrays.sort(wallNs);
        rows.add(new Row("20 s chunk extract + match (" + cpuNs.length + " chunks)", String.format(
                "median %.1f ms, p95 %.1f ms thread CPU time; wall clock median %.1f ms, p95 %.1f ms",
                cpuNs[cpuNs.length / 2] / 1e6, cpuNs[(int) (cpuNs.length * 0.95)] / 1e6,
                wallNs[wallNs.length / 2] / 1e6, wallNs[(int) (wallNs.length * 0.95)] / 1e6), "<= 20 ms median"));
        log.accept(rows.get(rows.size() - 1).toString());
        if (jmh) {
            EngineJmh.engine = engine;
            EngineJmh.chunks = chunks;
            Options opts = new OptionsBuilder().include(EngineJmh.class.getName() + ".*").forks(0).threads(1)
                    .warmupIterations(2).warmupTime(TimeValue.seconds(2)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(3)).shouldFailOnError(true).build();
            try {
                Collection<RunResult> results = new Runner(opts).run();
                for (RunResult rr : results) {
                    String name = rr.getParams().getBenchmark().replaceAll(".*\\.", "");
                    var stats = rr.getPrimaryResult().getStatistics();
                    double median = stats.getPercentile(50);
                    double p95 = stats.getPercentile(95);
                    String target = name.equals("identify20s") ? "<= 20 ms median" : ">= 2000x real time";
                    rows.add(new Row("JMH " + name + " (one 20 s chunk)",
                            String.format("median %.2f ms, p95 %.2f ms (%.0fx real time)", median, p95, 20_000 / median),
                            target));
                }
            } catch (Exception e) {
                rows.add(new Row("JMH", "failed: " + e.getMessage(), ""));
            }
        }
        String description = String.format("Single thread on %d cores (load average %.1f at the end). "
                        + "Generated tracks: splices of 0.5-3 s pieces of the recordings resampled by 0.50-0.70 or "
                        + "1.45-2.00 (half of them time-reversed), %d s each.", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), trackSeconds);
        return new Result(description, rows);
    }

    /**
     * The 64 chunks the cost part queries (and ExtractionBench's JMH extracts): 20 s from random
     * offsets of the indexed recordings longer than 25 s, seed 11.
     */
    static List<Pcm> queryChunks(BenchDataset data) {
        List<Pcm> chunks = new ArrayList<>();
        Random q = new Random(11);
        List<Pcm> long20 = data.indexed().values().stream().filter(p -> p.durationMs() > 25_000).toList();
        for (int i = 0; i < 64; i++) {
            Pcm p = long20.get(q.nextInt(long20.size()));
            long from = (long) (q.nextDouble() * (p.durationMs() - 20_000));
            chunks.add(p.slice(from, from + 20_000));
        }
        return chunks;
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double refHours(BenchDataset data) {
        return data.indexed().values().stream().mapToLong(Pcm::durationMs).sum() / 3_600_000.0;
    }

    /** Random splices of the sources, each piece resampled (linear interpolation) out of the tolerated speed range. */
    static Pcm generate(List<Pcm> sources, Random r, int rate, int seconds) {
        float[] out = new float[seconds * rate];
        int at = 0;
        while (at < out.length) {
            Pcm src = sources.get(r.nextInt(sources.size()));
            double factor = r.nextBoolean() ? 0.50 + 0.20 * r.nextDouble() : 1.45 + 0.55 * r.nextDouble();
            boolean reversed = r.nextBoolean();
            int len = Math.min(out.length - at, (int) (rate * (0.5 + 2.5 * r.nextDouble())));
            float[] s = src.samples();
            double pos = r.nextDouble() * Math.max(1, s.length - len * factor - 2);
            for (int i = 0; i < len; i++, pos += factor) {
                int k = (int) pos;
                double frac = pos - k;
                float v = (float) (s[k] * (1 - frac) + s[Math.min(s.length - 1, k + 1)] * frac);
                out[at + (reversed ? len - 1 - i : i)] = v;
            }
            at += len;
        }
        return new Pcm(out, rate);
    }
}
