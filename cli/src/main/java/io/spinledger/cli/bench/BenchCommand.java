package io.spinledger.cli.bench;

import io.spinledger.cli.Media;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code spinledger bench}: builds the bench data from the Wesnoth recordings, runs the robustness
 * cases, the negatives, the 60-minute broadcast and the cost measurements, and writes
 * {@code fingerprint-bench.md} and {@code fingerprint-bench.json} into the output folder. Its subcommand
 * {@code bench plays} ({@link PlaysBenchCommand}) measures the play log through the deployed runtime,
 * {@code bench capacity} ({@link CapacityBenchCommand}) how many live stations the runtime holds, and
 * {@code bench index} ({@link IndexBenchCommand}) the index at catalog scale (100 000 generated tracks by default).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {PlaysBenchCommand.class, CapacityBenchCommand.class, IndexBenchCommand.class},
        description = "Benchmark the fingerprint engine on the Wesnoth recordings; writes a Markdown + JSON report. "
                + "'bench plays' benchmarks the play log through the deployed runtime instead, "
                + "'bench capacity' how many live stations it holds, 'bench index' the index at catalog scale.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--music", description = "folder of reference recordings (default: ${DEFAULT-VALUE})")
    Path music = BenchDataset.WESNOTH_MUSIC;

    @Option(names = "--out", description = "report folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("cli/target/bench");

    @Option(names = "--seed", description = "seed of the split and the queries (default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--clips", description = "queries per indexed track and case (default: ${DEFAULT-VALUE})")
    int clips = 3;

    @Option(names = "--max-tracks", description = "use at most this many recordings, 0 = all (default: ${DEFAULT-VALUE})")
    int maxTracks = 0;

    @Option(names = "--broadcast-minutes", description = "length of the generated broadcast, 0 = skip (default: ${DEFAULT-VALUE})")
    int broadcastMinutes = 60;

    @Option(names = "--cost-tracks", description = "tracks of generated audio in the cost index, 0 = skip (default: ${DEFAULT-VALUE})")
    int costTracks = 10_000;

    @Option(names = "--cost-track-seconds", description = "length of each generated cost-index track, s (default: ${DEFAULT-VALUE})")
    int costTrackSeconds = 30;

    @Option(names = "--no-jmh", description = "skip the JMH per-operation measurements")
    boolean noJmh;

    @Option(names = "--cache", description = "folder caching the degraded queries between runs (optional)")
    Path cache;

    @Option(names = "--cases", split = ",", description = "only cases whose name contains one of these")
    List<String> only = List.of();

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        FingerprintConfig config = FingerprintConfig.defaults();
        Media media = new Media(config.sampleRateHz());
        Report report = new Report(out);
        report.machine();
        long t0 = System.nanoTime();
        BenchDataset data = BenchDataset.load(music, seed, media.decoder(), maxTracks);
        report.note("data", String.format("%d indexed, %d held out of %s; seed %d; decoded in %.1f s",
                data.indexed().size(), data.heldOut().size(), music, seed, (System.nanoTime() - t0) / 1e9));
        FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        Map<String, Pcm> queryable = new LinkedHashMap<>();
        for (Map.Entry<String, Pcm> e : data.indexed().entrySet()) {
            int fps = engine.register(e.getKey(), e.getValue()).size();
            if (fps * 1000.0 / Math.max(1, e.getValue().durationMs()) >= 2) {
                queryable.put(e.getKey(), e.getValue());
            } else {
                report.note("excluded from queries", e.getKey() + " (indexed, but " + fps
                        + " fingerprints: no audible content)");
            }
        }
        BenchDataset queries = new BenchDataset(queryable, data.heldOut());
        RobustnessBench bench = new RobustnessBench(engine, media, queries, seed, clips, System.out::println);
        bench.cache = cache;
        List<RobustnessBench.CaseResult> results = new ArrayList<>();
        for (RobustnessBench.Case c : bench.positiveCases()) {
            if (only.isEmpty() || only.stream().anyMatch(o -> c.name().contains(o))) {
                results.add(bench.run(c));
            }
        }
        report.cases(results);
        if (only.isEmpty() || only.contains("negatives")) {
            report.negatives(bench.negatives(30, 30, 20));
        }
        report.calibration(bench.scores(), MatchThresholds.defaults());
        if (broadcastMinutes > 0 && (only.isEmpty() || only.contains("broadcast"))) {
            BroadcastBench bb = new BroadcastBench(engine, media, data, seed, System.out::println);
            report.broadcast(bb.run(broadcastMinutes, out));
        }
        if (costTracks > 0 && (only.isEmpty() || only.contains("costs"))) {
            report.costs(CostBench.run(config, data, costTracks, costTrackSeconds, !noJmh, System.out::println));
        }
        report.write();
        System.out.println("report: " + out.resolve(Report.MARKDOWN) + " and " + out.resolve(Report.JSON));
        return 0;
    }
}
