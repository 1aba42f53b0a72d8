package io.spinledger.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/simulate}: runs the deterministic pipeline simulation over many seeds and checks the invariants
 * after each. A failing seed prints its violations and the one-line command that replays it; the last line is
 * always {@code N seeds, V violations}. Exit code 0 when no seed violated anything, 1 otherwise, 2 on bad usage.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the whole pipeline under seeds with faults injected and checks its invariants.")
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--seeds", description = "how many seeds to run (default ${DEFAULT-VALUE})", defaultValue = "200")
    int seeds;

    @Option(names = "--seed", description = "run only this seed (replay)")
    Long seed;

    @Option(names = "--first", description = "first seed of the range (default ${DEFAULT-VALUE})", defaultValue = "1")
    long first;

    @Option(names = "--profile", description = "standard, hard or calm (default ${DEFAULT-VALUE})",
            defaultValue = "standard")
    String profile;

    @Option(names = "--threads", description = "parallel runs (default: the number of cores)")
    Integer threads;

    @Option(names = "--audio", description = "the slow mode: render each seed's broadcast to real audio (Wesnoth "
            + "recordings, espeak-ng talk), chunk it with the capture chunker and match it with the real match stage")
    boolean audio;

    @Option(names = {"-v", "--verbose"}, description = "print every seed's counts and airing findings")
    boolean verbose;

    private final PrintStream out;
    private final PrintStream err;

    /** A command printing to the standard streams. */
    public SimulateCommand() {
        this(System.out, System.err);
    }

    SimulateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Profile p = Profile.named(profile);
        long from = seed != null ? seed : first;
        int count = seed != null ? 1 : seeds;
        if (count < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--seeds must be at least 1");
        }
        int n = threads != null ? Math.max(1, threads) : Math.max(1, Runtime.getRuntime().availableProcessors());
        long started = System.nanoTime();
        int violations = 0;
        int failingSeeds = 0;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Simulation.Outcome>> futures = new ArrayList<>();
            for (long s = from; s < from + count; s++) {
                long sd = s;
                futures.add(pool.submit(() -> new Simulation(sd, p, audio).run()));
            }
            for (int i = 0; i < futures.size(); i++) {
                Simulation.Outcome o = futures.get(i).get();
                if (audio) {
                    err.printf("seed %d done at %.1f s%n", o.seed(), (System.nanoTime() - started) / 1e9);
                }
                if (verbose) {
                    out.printf("seed %d: %s, state %s%n", o.seed(), o.stats(), o.fingerprint());
                }
                List<String> found = new ArrayList<>(o.violations());
                found.addAll(o.airingFindings());
                if (!found.isEmpty()) {
                    failingSeeds++;
                    violations += found.size();
                    out.printf("seed %d: %d violations%n", o.seed(), found.size());
                    found.forEach(x -> out.println("  - " + x));
                    out.printf("  replay: scripts/simulate --seed %d --profile %s%s%n", o.seed(), profile,
                            audio ? " --audio" : "");
                }
                if ((i + 1) % 250 == 0 && i + 1 < futures.size()) {
                    err.printf("%d of %d seeds run, %d failing so far (%.1f s)%n", i + 1, futures.size(), failingSeeds,
                            (System.nanoTime() - started) / 1e9);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        err.printf("profile %s, seeds %d..%d, %.1f s%n", profile, from, from + count - 1,
                (System.nanoTime() - started) / 1e9);
        out.printf("%d seeds, %d violations%n", count, violations);
        return violations == 0 ? 0 : 1;
    }
}
