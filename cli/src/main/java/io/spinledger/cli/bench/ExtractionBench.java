package io.spinledger.cli.bench;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintDigest;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.FingerprintExtractor;
import io.spinledger.engine.fingerprint.Fingerprints;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.engine.fingerprint.QueryFingerprints;
import io.spinledger.ports.InMemoryObjectStore;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Extraction only, without the cost bench's large index: the speed of reference and query
 * extraction over the bench's indexed recordings (the same measure as {@link CostBench}: thread CPU
 * time of the extracting thread, several passes, x real time), optionally JMH's
 * extractReference20s / extractQuery20s against an empty engine, and a SHA-256 digest of everything
 * the extractor outputs (references and queries of every recording, of slices that cut the audio at
 * other block alignments, of a coarsely quantised copy that provokes equal spectral values, and of
 * short or silent edge cases), so that a change meant to be only faster can be shown to leave every
 * fingerprint as it was.
 *
 * <pre>
 * java -cp ... io.spinledger.cli.bench.ExtractionBench [--passes 5] [--no-speed] [--no-digest] [--jmh]
 *     [--digest-out FILE] [--cache DIR] [--music DIR] [--seed 2026]
 * </pre>
 * {@code --cache DIR} keeps the decoded PCM between runs (raw floats; the digest covers it too).
 */
public final class ExtractionBench {
    private ExtractionBench() {
    }

    /** Runs the measurements the arguments select. @param args see the class comment */
    public static void main(String[] args) throws Exception {
        int passes = 5;
        boolean speed = true;
        boolean digest = true;
        boolean jmh = false;
        Path digestOut = null;
        Path cache = null;
        Path music = BenchDataset.WESNOTH_MUSIC;
        long seed = 2026;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--no-speed" -> speed = false;
                case "--no-digest" -> digest = false;
                case "--jmh" -> jmh = true;
                case "--digest-out" -> digestOut = Path.of(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                case "--music" -> music = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        FingerprintConfig config = FingerprintConfig.defaults();
        BenchDataset data = load(music, seed, config.sampleRateHz(), cache);
        FingerprintExtractor extractor = new FingerprintExtractor(config);
        if (digest) {
            digest(extractor, data, digestOut);
        }
        if (speed) {
            speed(extractor, data, passes);
        }
        if (jmh) {
            jmh(config, data);
        }
    }

    // ---- data ----

    private static BenchDataset load(Path music, long seed, int rate, Path cache) throws IOException {
        long t0 = System.nanoTime();
        BenchDataset data;
        Path cached = cache == null ? null : cache.resolve("dataset-" + seed + "-" + rate + ".bin");
        if (cached != null && Files.isRegularFile(cached)) {
            data = read(cached, rate);
        } else {
            data = BenchDataset.load(music, seed, new AudioDecoder(rate, AudioDecoder.DEFAULT_MAX_DURATION_MS), 0);
            if (cached != null) {
                Files.createDirectories(cache);
                write(cached, data);
            }
        }
        long samples = 0;
        MessageDigest md = FingerprintDigest.sha256();
        for (Map<String, Pcm> m : List.of(data.indexed(), data.heldOut())) {
            for (Map.Entry<String, Pcm> e : m.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                FingerprintDigest.update(md, e.getValue().samples());
                samples += e.getValue().samples().length;
            }
        }
        System.out.printf("data: %d indexed, %d held out, %.1f min of audio, loaded in %.1f s, PCM sha256 %s%n",
                data.indexed().size(), data.heldOut().size(), samples / (double) rate / 60,
                (System.nanoTime() - t0) / 1e9, HexFormat.of().formatHex(md.digest()));
        return data;
    }

    private static void write(Path file, BenchDataset data) throws IOException {
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            for (Map<String, Pcm> m : List.of(data.indexed(), data.heldOut())) {
                out.writeInt(m.size());
                for (Map.Entry<String, Pcm> e : m.entrySet()) {
                    out.writeUTF(e.getKey());
                    float[] s = e.getValue().samples();
                    out.writeInt(s.length);
                    for (float v : s) {
                        out.writeInt(Float.floatToRawIntBits(v));
                    }
                }
            }
        }
    }

    private static BenchDataset read(Path file, int rate) throws IOException {
        try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            List<Map<String, Pcm>> maps = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Map<String, Pcm> m = new LinkedHashMap<>();
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    String id = in.readUTF();
                    float[] s = new float[in.readInt()];
                    for (int j = 0; j < s.length; j++) {
                        s[j] = Float.intBitsToFloat(in.readInt());
                    }
                    m.put(id, new Pcm(s, rate));
                }
                maps.add(m);
            }
            return new BenchDataset(maps.get(0), maps.get(1));
        }
    }

    // ---- digest ----

    /** The inputs the digest covers, by name (sorted). */
    static Map<String, Pcm> digestInputs(BenchDataset data, int rate) {
        Map<String, Pcm> all = new TreeMap<>();
        all.putAll(data.indexed());
        all.putAll(data.heldOut());
        Map<String, Pcm> inputs = new TreeMap<>();
        Random r = new Random(99);
        for (Map.Entry<String, Pcm> e : all.entrySet()) {
            Pcm p = e.getValue();
            inputs.put(e.getKey() + "/full", p);
            long ms = p.durationMs();
            long from = (long) (r.nextDouble() * Math.max(0, ms - 20_000));
            inputs.put(e.getKey() + "/slice20s@" + from, p.slice(from, from + 20_000));
            long from10 = (long) (r.nextDouble() * Math.max(0, ms - 10_000));
            inputs.put(e.getKey() + "/slice10s@" + from10, p.slice(from10, from10 + 10_000));
            // a slice starting at an odd sample, so that frames fall between the full track's frames
            int odd = 1 + r.nextInt(255);
            float[] s = p.samples();
            int len = Math.min(s.length - Math.min(s.length, odd), rate * 30);
            inputs.put(e.getKey() + "/odd+" + odd,
                    new Pcm(java.util.Arrays.copyOfRange(s, Math.min(s.length, odd), Math.min(s.length, odd) + len), rate));
            // quantised to 6 bits: many equal spectral values (ties in the max filters and the density cap)
            float[] q = new float[len];
            for (int i = 0; i < len; i++) {
                q[i] = Math.round(s[i] * 32f) / 32f;
            }
            inputs.put(e.getKey() + "/quantised", new Pcm(q, rate));
        }
        inputs.put("edge/empty", new Pcm(new float[0], rate));
        inputs.put("edge/short-1023", new Pcm(new float[1023], rate));
        inputs.put("edge/silence-10s", new Pcm(new float[rate * 10], rate));
        for (int frames : new int[] {1, 2, 6, 7, 13, 1023, 1024, 1025, 1030, 2048, 2060}) {
            float[] s = new float[1024 + 256 * (frames - 1)];
            Random n = new Random(frames);
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (0.3 * Math.sin(2 * Math.PI * (440 + (i / 2000) * 37) * i / rate)
                        + 0.05 * n.nextGaussian());
            }
            inputs.put("edge/frames-" + frames, new Pcm(s, rate));
        }
        float[] square = new float[rate * 5];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 25) % 2 == 0 ? 0.5f : -0.5f;
        }
        inputs.put("edge/square", new Pcm(square, rate));
        float[] clicks = new float[rate * 5];
        for (int i = 0; i < clicks.length; i += 3000) {
            clicks[i] = 1f;
        }
        inputs.put("edge/clicks", new Pcm(clicks, rate));
        return inputs;
    }

    private static void digest(FingerprintExtractor extractor, BenchDataset data, Path out) throws IOException {
        Map<String, Pcm> inputs = digestInputs(data, extractor.config().sampleRateHz());
        MessageDigest refAll = FingerprintDigest.sha256();
        MessageDigest queryAll = FingerprintDigest.sha256();
        StringBuilder lines = new StringBuilder();
        long refCount = 0;
        long keyCount = 0;
        for (Map.Entry<String, Pcm> e : inputs.entrySet()) {
            Fingerprints f = extractor.extract(e.getValue());
            QueryFingerprints q = extractor.extractQuery(e.getValue());
            byte[] rd = FingerprintDigest.of(f);
            byte[] qd = FingerprintDigest.of(q);
            refAll.update(rd);
            queryAll.update(qd);
            refCount += f.size();
            keyCount += q.keys().length;
            lines.append(e.getKey()).append(' ').append(f.size()).append(' ').append(HexFormat.of().formatHex(rd))
                    .append(' ').append(q.size()).append(' ').append(q.keys().length).append(' ')
                    .append(HexFormat.of().formatHex(qd)).append('\n');
        }
        if (out != null) {
            Files.writeString(out, lines);
        }
        System.out.printf("digest over %d inputs: %d reference fingerprints, %d query keys%n", inputs.size(),
                refCount, keyCount);
        System.out.println("reference digest (hashes, frames, pitches) sha256 " + HexFormat.of().formatHex(refAll.digest()));
        System.out.println("query digest (keys, offsets, starts, ends, pitches, duration) sha256 "
                + HexFormat.of().formatHex(queryAll.digest()));
    }

    // ---- speed ----

    /**
     * CostBench's measure per pass: thread CPU time over the indexed recordings, reference then
     * query per recording. Then, less sensitive to other processes on a shared machine, the sum over
     * the recordings of each one's fastest pass, and the median pass.
     */
    private static void speed(FingerprintExtractor extractor, BenchDataset data, int passes) {
        var mx = ManagementFactory.getThreadMXBean();
        List<Pcm> tracks = new ArrayList<>(data.indexed().values());
        long[] bestRef = new long[tracks.size()];
        long[] bestQuery = new long[tracks.size()];
        java.util.Arrays.fill(bestRef, Long.MAX_VALUE);
        java.util.Arrays.fill(bestQuery, Long.MAX_VALUE);
        double[] refX = new double[passes];
        double[] queryX = new double[passes];
        long audioMs = tracks.stream().mapToLong(Pcm::durationMs).sum();
        for (int pass = 0; pass < passes; pass++) {
            long refNs = 0;
            long queryNs = 0;
            long refCpu = 0;
            long queryCpu = 0;
            for (int i = 0; i < tracks.size(); i++) {
                Pcm p = tracks.get(i);
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                extractor.extract(p);
                long t1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                extractor.extractQuery(p);
                long t2 = System.nanoTime();
                long c2 = mx.getCurrentThreadCpuTime();
                refNs += t1 - t0;
                queryNs += t2 - t1;
                refCpu += c1 - c0;
                queryCpu += c2 - c1;
                bestRef[i] = Math.min(bestRef[i], c1 - c0);
                bestQuery[i] = Math.min(bestQuery[i], c2 - c1);
            }
            refX[pass] = audioMs / (refCpu / 1e6);
            queryX[pass] = audioMs / (queryCpu / 1e6);
            System.out.printf("pass %d: reference %.0fx real time per core (thread CPU), %.0fx wall; "
                            + "query %.0fx per core (thread CPU), %.0fx wall%n", pass + 1,
                    refX[pass], audioMs / (refNs / 1e6), queryX[pass], audioMs / (queryNs / 1e6));
        }
        java.util.Arrays.sort(refX);
        java.util.Arrays.sort(queryX);
        System.out.printf("median pass: reference %.0fx, query %.0fx real time per core (thread CPU)%n",
                refX[passes / 2], queryX[passes / 2]);
        System.out.printf("best pass per recording: reference %.0fx, query %.0fx real time per core (thread CPU)%n",
                audioMs / (java.util.Arrays.stream(bestRef).sum() / 1e6),
                audioMs / (java.util.Arrays.stream(bestQuery).sum() / 1e6));
    }

    // ---- JMH ----

    /** EngineJmh's extraction benchmarks on CostBench's 20 s chunks, against an empty engine (no identify). */
    private static void jmh(FingerprintConfig config, BenchDataset data) throws Exception {
        List<Pcm> chunks = CostBench.queryChunks(data);
        EngineJmh.engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        EngineJmh.chunks = chunks;
        Options opts = new OptionsBuilder().include(EngineJmh.class.getName() + ".extract.*").forks(0).threads(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(2)).measurementIterations(3)
                .measurementTime(TimeValue.seconds(3)).shouldFailOnError(true).build();
        for (RunResult rr : new Runner(opts).run()) {
            String name = rr.getParams().getBenchmark().replaceAll(".*\\.", "");
            var stats = rr.getPrimaryResult().getStatistics();
            double median = stats.getPercentile(50);
            System.out.printf("JMH %s (one 20 s chunk): median %.3f ms, p95 %.3f ms (%.0fx real time, wall clock)%n",
                    name, median, stats.getPercentile(95), 20_000 / median);
        }
    }
}
