package io.spinledger.cli.bench;

import io.spinledger.cli.Media;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.FingerprintExtractor;
import io.spinledger.engine.fingerprint.FingerprintIndex;
import io.spinledger.engine.fingerprint.Fingerprints;
import io.spinledger.engine.fingerprint.IndexSegment;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.engine.fingerprint.MatchProfile;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.engine.fingerprint.QueryFingerprints;
import io.spinledger.ports.InMemoryObjectStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fingerprint index at catalog scale, single thread: a cached base segment of generated tracks
 * ({@link GeneratedCatalog}) plus the indexed recordings (as delta segments) are loaded from an in-memory
 * object store into 1, 2 or 4 hash-range shards; the 64 query chunks of {@link CostBench#queryChunks} are
 * extracted and matched (thread CPU time per step and shard, {@link MatchProfile}); the answers of every
 * shard count are compared with one shard's; optionally the robustness query set ({@link RobustnessBench})
 * is run against catalogs of several sizes. Produces a Markdown report.
 */
final class IndexBench {
    /** Key of the generated catalog's base segment in the bench's object store (sorts before the deltas). */
    static final String BASE_KEY = IndexStore.SEGMENTS_PREFIX + "0000000000001-base.seg";

    private final FingerprintConfig config;
    private final Media media;
    private final BenchDataset data;
    private final long seed;
    private final Consumer<String> log;
    private final MatchThresholds thresholds = MatchThresholds.defaults();
    private final StringBuilder md = new StringBuilder();
    /** Where to write the first shard count's answers, one line per chunk (for comparing matcher versions), or null. */
    Path answersFile;

    /**
     * @param config the extraction config
     * @param media  decoders and effects (for the robustness queries)
     * @param data   the recordings, split with {@code seed}
     * @param seed   the split's and the robustness queries' seed
     * @param log    progress lines
     */
    IndexBench(FingerprintConfig config, Media media, BenchDataset data, long seed, Consumer<String> log) {
        this.config = config;
        this.media = media;
        this.data = data;
        this.seed = seed;
        this.log = log;
    }

    /**
     * Runs the bench.
     *
     * @param segment      the generated catalog's base segment
     * @param tracks       generated tracks in it
     * @param trackSeconds length of each, s
     * @param genSeed      their generation seed (for the report)
     * @param shardCounts  shard counts to measure; answers are compared with the first one's
     * @param rounds       passes over the 64 chunks per shard count
     * @param accuracy     catalog sizes (generated tracks) for the robustness query set, may be empty
     * @param clips        robustness queries per recording and case
     * @param queryCache   folder caching degraded robustness queries, or null
     * @return the Markdown report
     */
    String run(byte[] segment, int tracks, int trackSeconds, long genSeed, List<Integer> shardCounts, int rounds,
               List<Integer> accuracy, int clips, Path queryCache) {
        md.append("# Fingerprint index at catalog scale\n\n");
        md.append(String.format("Machine: %d cores, load average %.2f at start, %s %s, %s; max heap %.1f GB.%n%n",
                Runtime.getRuntime().availableProcessors(), load(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), Instant.now(), Runtime.getRuntime().maxMemory() / 1e9));
        FingerprintExtractor extractor = new FingerprintExtractor(config);
        Map<String, Fingerprints> recordings = new LinkedHashMap<>();
        for (Map.Entry<String, Pcm> e : data.indexed().entrySet()) {
            recordings.put(e.getKey(), extractor.extract(e.getValue()));
        }
        double refHours = (double) tracks * trackSeconds / 3600
                + data.indexed().values().stream().mapToLong(Pcm::durationMs).sum() / 3_600_000.0;
        md.append(String.format("Catalog: %d generated tracks x %d s (generation seed %d, splices of the %d indexed "
                        + "recordings resampled out of the tolerated speed range) + the %d indexed recordings = %.1f h "
                        + "of reference audio; base segment %.0f MB (%d bytes).%n%n", tracks, trackSeconds, genSeed,
                data.indexed().size(), recordings.size(), refHours, segment.length / 1e6, segment.length));
        List<Pcm> chunks = CostBench.queryChunks(data);
        List<List<Match>> reference = null;
        List<String> shardRows = new ArrayList<>();
        for (int n : shardCounts) {
            FingerprintEngine engine = load(segment, recordings, n, refHours, n == shardCounts.get(0));
            Measured m = measure(engine, chunks, rounds);
            if (reference == null) {
                reference = m.answers;
                if (answersFile != null) {
                    StringBuilder a = new StringBuilder();
                    for (int i = 0; i < m.answers.size(); i++) {
                        a.append(i).append(' ').append(m.answers.get(i)).append('\n');
                    }
                    try {
                        java.nio.file.Files.writeString(answersFile, a);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                md.append(String.format("| 20 s chunk extract + match, %d shard%s (%d chunks) | median %.1f ms, p95 "
                                + "%.1f ms thread CPU time (extraction median %.1f ms, match median %.1f ms, p95 %.1f ms) "
                                + "| <= 20 ms median |%n%n", n, n == 1 ? "" : "s", m.total.length, ms(m.total, 0.5),
                        ms(m.total, 0.95), ms(m.extract, 0.5), ms(m.match, 0.5), ms(m.match, 0.95)));
            }
            int same = 0;
            int close = 0;
            int sameTop = 0;
            for (int i = 0; i < chunks.size(); i++) {
                boolean equal = m.answers.get(i).equals(reference.get(i));
                same += equal ? 1 : 0;
                close += equal || close(m.answers.get(i), reference.get(i)) ? 1 : 0;
                if (!equal) {
                    log.accept("chunk " + i + " differs at " + n + " shards: " + m.answers.get(i) + " vs "
                            + reference.get(i));
                }
                sameTop += top(m.answers.get(i)).equals(top(reference.get(i))) ? 1 : 0;
            }
            shardRows.add(String.format("| %d | %.1f | %.1f | %.2f | %.1f / %.1f | %.2f | %.1f | %.1f / %.1f | %.0f | %d/%d, %d/%d, %d/%d |",
                    n, ms(m.extract, 0.5), ms(m.perShard, 0.5), ms(m.slowestShard, 0.5) / ms(m.perShard, 0.5),
                    ms(m.combine, 0.5), ms(m.combine, 0.95), ms(m.fitPeak, 0.5), ms(m.match, 0.5),
                    ms(m.total, 0.5), ms(m.total, 0.95), median(m.postings), same, chunks.size(), close,
                    chunks.size(), sameTop, chunks.size()));
            log.accept(shardRows.get(shardRows.size() - 1));
            engine = null;
            System.gc();
        }
        md.append("Fan-out, per 20 s chunk (thread CPU time, medians in ms unless marked; one thread runs every "
                + "shard and the coordinator in turn, so the shards' times are what separate shard processes would "
                + "each spend):\n\n");
        md.append("| shards | extraction | vote + hits per shard | slowest shard / median shard | combination "
                + "median / p95 | line fits + peak checks | match (all) | extract + match median / p95 | postings "
                + "read (all shards) | answers equal to the first row's: identical, equal up to 1e-9, same best track |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        shardRows.forEach(r -> md.append(r).append('\n'));
        md.append('\n');
        if (!accuracy.isEmpty()) {
            accuracy(segment, recordings, accuracy, clips, queryCache);
        }
        md.append(String.format("%nLoad average %.2f at the end.%n", load()));
        return md.toString();
    }

    /** Loads base + deltas into an engine of {@code n} shards, reporting load time and memory. */
    private FingerprintEngine load(byte[] segment, Map<String, Fingerprints> recordings, int n, double refHours,
                                   boolean header) {
        InMemoryObjectStore objects = new InMemoryObjectStore();
        objects.put(BASE_KEY, segment, "application/octet-stream");
        IndexStore store = new IndexStore(objects, config);
        recordings.forEach(store::addTrack);
        FingerprintEngine engine = new FingerprintEngine(config, thresholds, store, n);
        System.gc();
        long w0 = System.nanoTime();
        long c0 = processCpu();
        engine.refresh();
        double cpuS = (processCpu() - c0) / 1e9;
        double wallS = (System.nanoTime() - w0) / 1e9;
        long bytes = 0;
        long maxShard = 0;
        long postings = 0;
        for (FingerprintIndex shard : engine.shards()) {
            bytes += shard.memoryBytes();
            maxShard = Math.max(maxShard, shard.memoryBytes());
            postings += shard.postingCount();
        }
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        log.accept(String.format("%d shard(s): loaded in %.1f s (%.1f s CPU), %d postings, %.0f MB", n, wallS, cpuS,
                postings, bytes / 1e6));
        if (header) {
            md.append("| measure | value | target |\n| --- | --- | --- |\n");
            md.append(String.format("| index | %d tracks, %d fingerprints (%.1f per s of audio), %d run(s) |  |%n",
                    engine.index().trackCount(), postings, postings / 3600.0 / refHours, engine.index().runCount()));
            md.append(String.format("| index memory (postings, directories, anchor strips) | %.0f MB; %.2f bytes per "
                    + "fingerprint | <= 8 bytes |%n", bytes / 1e6, (double) bytes / postings));
            md.append(String.format("| index memory per hour of reference audio | %.3f MB | <= 1 MB |%n",
                    bytes / 1e6 / refHours));
            md.append(String.format("| Java heap in use after the load (index, track ids, segment bytes held by the "
                    + "bench's store) | %.0f MB |  |%n", heap / 1e6));
            md.append(String.format("| load from object storage (base segment of %.0f MB + %d delta segments, "
                            + "in-memory store) until ready to match | %.1f s wall clock, %.1f s process CPU time | "
                            + "<= 5 s at 10k |%n", segment.length / 1e6, recordings.size(), wallS, cpuS));
        } else {
            md.append(String.format("- %d shards: loaded in %.1f s wall clock (%.1f s CPU, every shard in this "
                            + "process reading the same segments); largest shard %.0f MB, all %.0f MB.%n", n, wallS,
                    cpuS, maxShard / 1e6, bytes / 1e6));
        }
        return engine;
    }

    /** What {@link #measure} collected, ns per chunk (sorted). */
    private record Measured(long[] extract, long[] match, long[] total, long[] perShard, long[] slowestShard,
                            long[] combine, long[] fitPeak, long[] postings, List<List<Match>> answers) {
    }

    private Measured measure(FingerprintEngine engine, List<Pcm> chunks, int rounds) {
        int shards = engine.shards().size();
        for (int w = 0; w < 20; w++) {
            engine.identify(engine.fingerprintQuery(chunks.get(w % chunks.size())));
        }
        int total = chunks.size() * rounds;
        long[] extract = new long[total];
        long[] match = new long[total];
        long[] sum = new long[total];
        long[] perShard = new long[total * shards];
        long[] slowest = new long[total];
        long[] combine = new long[total];
        long[] fitPeak = new long[total];
        long[] postings = new long[total];
        List<List<Match>> answers = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Pcm chunk = chunks.get(i % chunks.size());
            long c0 = cpu();
            QueryFingerprints q = engine.fingerprintQuery(chunk);
            long c1 = cpu();
            MatchProfile p = new MatchProfile(shards);
            List<Match> found = engine.identify(q, p);
            long c2 = cpu();
            extract[i] = c1 - c0;
            match[i] = c2 - c1;
            sum[i] = c2 - c0;
            for (int s = 0; s < shards; s++) {
                perShard[i * shards + s] = p.voteNs[s] + p.hitsNs[s];
                postings[i] += p.postingsRead[s];
            }
            slowest[i] = p.slowestShardNs();
            combine[i] = p.combineNs;
            fitPeak[i] = p.fitNs + p.peakNs;
            if (i < chunks.size()) {
                answers.add(found);
            }
        }
        for (long[] a : List.of(extract, match, sum, perShard, slowest, combine, fitPeak, postings)) {
            Arrays.sort(a);
        }
        return new Measured(extract, match, sum, perShard, slowest, combine, fitPeak, postings, answers);
    }

    /** The robustness query set against catalogs of the given sizes (first n generated tracks + recordings). */
    private void accuracy(byte[] segment, Map<String, Fingerprints> recordings, List<Integer> sizes, int clips,
                          Path queryCache) {
        Map<String, Fingerprints> all = IndexSegment.fromBytes(segment).tracks();
        Map<Integer, List<RobustnessBench.CaseResult>> cases = new LinkedHashMap<>();
        Map<Integer, List<RobustnessBench.NegativeResult>> negatives = new LinkedHashMap<>();
        for (int size : sizes) {
            Map<String, Fingerprints> part = new LinkedHashMap<>();
            for (Map.Entry<String, Fingerprints> e : all.entrySet()) {
                if (part.size() == size) {
                    break;
                }
                part.put(e.getKey(), e.getValue());
            }
            InMemoryObjectStore objects = new InMemoryObjectStore();
            objects.put(BASE_KEY, new IndexSegment(config.schemeId(), part).toBytes(), "application/octet-stream");
            IndexStore store = new IndexStore(objects, config);
            recordings.forEach(store::addTrack);
            FingerprintEngine engine = new FingerprintEngine(config, thresholds, store);
            engine.refresh();
            part = null;
            Map<String, Pcm> queryable = new LinkedHashMap<>();
            for (Map.Entry<String, Pcm> e : data.indexed().entrySet()) {
                int fps = recordings.get(e.getKey()).size();
                if (fps * 1000.0 / Math.max(1, e.getValue().durationMs()) >= 2) {
                    queryable.put(e.getKey(), e.getValue());
                }
            }
            log.accept("accuracy at " + engine.index().trackCount() + " tracks");
            RobustnessBench bench = new RobustnessBench(engine, media, new BenchDataset(queryable, data.heldOut()),
                    seed, clips, log);
            bench.cache = queryCache;
            List<RobustnessBench.CaseResult> results = new ArrayList<>();
            for (RobustnessBench.Case c : bench.positiveCases()) {
                results.add(bench.run(c));
            }
            cases.put(size, results);
            negatives.put(size, bench.negatives(30, 30, 20));
        }
        md.append(String.format("%nAccuracy: the bench's robustness query set (seed %d, %d clips per recording and "
                + "case; `spinledger bench`'s cases and negatives) against the first n generated tracks + the "
                + "recordings. Per cell: true positives / queries (wrong track, missed).%n%n", seed, clips));
        StringBuilder head = new StringBuilder("| case |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (int size : sizes) {
            head.append(String.format(" %,d generated tracks |", size));
            rule.append(" --- |");
        }
        md.append(head).append('\n').append(rule).append('\n');
        List<RobustnessBench.CaseResult> first = cases.get(sizes.get(0));
        for (int c = 0; c < first.size(); c++) {
            StringBuilder row = new StringBuilder("| " + first.get(c).name() + " |");
            for (int size : sizes) {
                RobustnessBench.CaseResult r = cases.get(size).get(c);
                row.append(String.format(" %d/%d (%d, %d) |", r.correct(), r.queries(), r.wrongTrack(), r.missed()));
            }
            md.append(row).append('\n');
        }
        List<RobustnessBench.NegativeResult> negFirst = negatives.get(sizes.get(0));
        for (int c = 0; c < negFirst.size(); c++) {
            StringBuilder row = new StringBuilder("| negatives: " + negFirst.get(c).name() + " (false positives) |");
            for (int size : sizes) {
                RobustnessBench.NegativeResult r = negatives.get(size).get(c);
                row.append(String.format(" %d/%d |", r.falsePositives(), r.queries()));
            }
            md.append(row).append('\n');
        }
    }

    /** Same tracks, offsets, spans and aligned counts; confidences and factors equal up to 1e-9 (summation order). */
    private static boolean close(List<Match> a, List<Match> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Match x = a.get(i);
            Match y = b.get(i);
            if (!x.trackId().equals(y.trackId()) || x.trackOffsetMs() != y.trackOffsetMs()
                    || x.matchStartMs() != y.matchStartMs() || x.matchEndMs() != y.matchEndMs()
                    || x.alignedCount() != y.alignedCount() || Math.abs(x.confidence() - y.confidence()) > 1e-9
                    || Math.abs(x.timeScale() - y.timeScale()) > 1e-9
                    || Math.abs(x.frequencyFactor() - y.frequencyFactor()) > 1e-9) {
                return false;
            }
        }
        return true;
    }

    private static String top(List<Match> matches) {
        return matches.isEmpty() ? "" : matches.get(0).trackId();
    }

    private static double ms(long[] sortedNs, double q) {
        return sortedNs.length == 0 ? Double.NaN : sortedNs[Math.min(sortedNs.length - 1, (int) (sortedNs.length * q))] / 1e6;
    }

    private static double median(long[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** CPU time of the whole process (the load sorts on every core), ns. */
    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
