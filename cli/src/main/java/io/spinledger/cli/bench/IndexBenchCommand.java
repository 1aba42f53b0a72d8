package io.spinledger.cli.bench;

import io.spinledger.cli.Media;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code spinledger bench index}: the fingerprint index at catalog scale ({@link IndexBench}): a catalog of
 * generated tracks (built once, cached on disk as a base segment), loaded from object storage, queried with
 * 20 s chunks at 1, 2 and 4 hash-range shards, and the robustness query set against it; writes a Markdown report.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Benchmark the fingerprint index at catalog scale (default 100,000 generated tracks): memory, "
                + "load time, match time per chunk and per shard, accuracy; writes a Markdown report.")
public final class IndexBenchCommand implements Callable<Integer> {
    @Option(names = "--music", description = "folder of reference recordings (default: ${DEFAULT-VALUE})")
    Path music = BenchDataset.WESNOTH_MUSIC;

    @Option(names = "--seed", description = "seed of the recordings' split and the robustness queries (default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--gen-seed", description = "seed of the generated tracks (default: ${DEFAULT-VALUE})")
    long genSeed = 77;

    @Option(names = "--tracks", description = "generated tracks in the catalog (default: ${DEFAULT-VALUE})")
    int tracks = 100_000;

    @Option(names = "--track-seconds", description = "length of each generated track, s (default: ${DEFAULT-VALUE})")
    int trackSeconds = 30;

    @Option(names = "--cache-dir", description = "where the generated catalog's base segment is kept between runs "
            + "(default: ${DEFAULT-VALUE})")
    Path cacheDir = Path.of("cli/target/index-cache");

    @Option(names = "--build-threads", description = "threads fingerprinting the catalog when it is not cached "
            + "(default: ${DEFAULT-VALUE})")
    int buildThreads = 1;

    @Option(names = "--build-only", description = "only build (or check) the cached catalog")
    boolean buildOnly;

    @Option(names = "--shards", split = ",", description = "shard counts to measure (default: ${DEFAULT-VALUE})")
    List<Integer> shards = List.of(1, 2, 4);

    @Option(names = "--rounds", description = "passes over the 64 query chunks per shard count (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--accuracy", split = ",", description = "catalog sizes (generated tracks, at most --tracks) at "
            + "which to run the robustness query set; empty = skip (default: ${DEFAULT-VALUE})")
    List<Integer> accuracy = List.of();

    @Option(names = "--clips", description = "robustness queries per indexed recording and case (default: ${DEFAULT-VALUE})")
    int clips = 3;

    @Option(names = "--query-cache", description = "folder caching the degraded robustness queries (optional)")
    Path queryCache;

    @Option(names = "--answers", description = "write the first shard count's answers per chunk to this file "
            + "(to compare matcher versions; optional)")
    Path answers;

    @Option(names = "--out", description = "the Markdown report (default: ${DEFAULT-VALUE})")
    Path out = Path.of("cli/target/bench-index.md");

    @Override
    public Integer call() throws Exception {
        FingerprintConfig config = FingerprintConfig.defaults();
        Media media = new Media(config.sampleRateHz());
        long t0 = System.nanoTime();
        BenchDataset data = BenchDataset.load(music, seed, media.decoder(), 0);
        System.err.printf("recordings: %d indexed, %d held out; decoded in %.1f s%n", data.indexed().size(),
                data.heldOut().size(), (System.nanoTime() - t0) / 1e9);
        byte[] segment = GeneratedCatalog.load(cacheDir, config, data, seed, genSeed, tracks, trackSeconds,
                buildThreads, System.err::println);
        if (buildOnly) {
            return 0;
        }
        IndexBench bench = new IndexBench(config, media, data, seed, System.err::println);
        bench.answersFile = answers;
        String md = bench.run(segment, tracks, trackSeconds, genSeed, shards, rounds, accuracy, clips, queryCache);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md);
        System.out.println(md);
        System.out.println("report: " + out);
        return 0;
    }
}
