package io.spinledger.cli.cost;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code spinledger cost}: the monthly AWS cost per monitored station, from a metering snapshot of a measured run
 * ({@link MeteringSnapshot}) through {@link CostModel} at {@link Prices#usEast1()} list prices. Prints the
 * assumptions, the breakdown per station-month at 1,000 stations, the curve for 10 to 10,000 stations and ACRCloud's
 * fees apart; the last line is {@code per station-month at 1000 stations: US$X.XX}. Exit code 2 for a snapshot
 * that cannot be read or used.
 */
@Command(name = "cost", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Monthly AWS cost per monitored station, from what a measured run counted.",
                "Reads a metering snapshot (--metering FILE, e.g. data/metering.json, or --url of a running "
                        + "SpinLedger), models the AWS deployment at us-east-1 list prices and prints the assumptions, "
                        + "the breakdown, the curve for 10 to 10,000 stations and ACRCloud's fees apart."})
public final class CostCommand implements Callable<Integer> {
    /** The fleet sizes of the curve. */
    public static final int[] CURVE = {10, 100, 1_000, 10_000};

    static final class Source {
        @Option(names = "--metering", paramLabel = "FILE", description = "metering snapshot file (<data-dir>/metering.json)")
        Path file;

        @Option(names = "--url", paramLabel = "URL",
                description = "base URL of a running SpinLedger (reads GET <URL>/local/metering), e.g. http://127.0.0.1:8080")
        String url;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--utilisation", defaultValue = "0.6", description = "target CPU utilisation of a capture task (default: ${DEFAULT-VALUE})")
    double utilisation;

    @Option(names = "--task-vcpu", defaultValue = "" + io.spinledger.config.CaptureService.DEFAULT_CPU_UNITS / 1024, description = "vCPUs per capture task (default: ${DEFAULT-VALUE})")
    double taskVcpu;

    @Option(names = "--task-memory-gb", defaultValue = "" + io.spinledger.config.CaptureService.DEFAULT_MEMORY_MB / 1024, description = "memory per capture task, GB (default: ${DEFAULT-VALUE})")
    double taskMemoryGb;

    @Option(names = "--worker-base-mb", defaultValue = "512", description = "worker memory before index and streams, MB (default: ${DEFAULT-VALUE})")
    double workerBaseMb;

    @Option(names = "--stream-memory-mb", defaultValue = "16", description = "memory per stream held, MB (default: ${DEFAULT-VALUE})")
    double streamMemoryMb;

    @Option(names = "--index-memory-mb", defaultValue = "-1",
            description = "fingerprint index in a worker's memory, MB (default: stored index/ bytes x --index-memory-factor)")
    double indexMemoryMb;

    @Option(names = "--index-memory-factor", defaultValue = "2", description = "in-memory bytes per stored index byte (default: ${DEFAULT-VALUE})")
    double indexMemoryFactor;

    @Option(names = "--min-tasks", defaultValue = "" + io.spinledger.config.CaptureService.DEFAULT_DESIRED_COUNT, description = "capture tasks always running (default: ${DEFAULT-VALUE})")
    int minTasks;

    @Option(names = "--chunk-retention-days", description = "days chunks are kept (default: $SPINLEDGER_CHUNK_RETENTION_DAYS, else 7, the SAM default)")
    Double chunkRetentionDays;

    @Option(names = "--kept-months", defaultValue = "12", description = "month of operation whose storage of kept data is billed (default: ${DEFAULT-VALUE})")
    int keptMonths;

    @Option(names = "--acrcloud-usd-per-1000", defaultValue = "2.00",
            description = "ACRCloud price per 1,000 identify requests, US$ (your contract's; default: ${DEFAULT-VALUE}, a placeholder)")
    double acrcloudPer1000;

    @Option(names = "--lambda-cpu-time", description = "bill Lambda by the handlers' CPU time, not their wall time "
            + "(a lower bound when the measured run's machine was busy)")
    boolean lambdaCpuTime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MeteringSnapshot snap;
        CostModel.Result r;
        try {
            snap = read();
            r = CostModel.compute(snap, options(), Prices.usEast1());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("spinledger cost: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        print(snap, r, Prices.usEast1(), out);
        out.flush();
        return 0;
    }

    CostModel.Options options() {
        double retention = chunkRetentionDays != null ? chunkRetentionDays : envRetention();
        var d = CostModel.Options.defaults();
        return new CostModel.Options(utilisation, taskVcpu, taskMemoryGb, workerBaseMb, streamMemoryMb, indexMemoryMb,
                indexMemoryFactor, minTasks, retention, keptMonths, d.stationPrefixes(), d.catalogueFunctions(),
                d.idlePollersPerQueue(), d.lambdaPlatformLogBytes(), acrcloudPer1000, lambdaCpuTime);
    }

    private static double envRetention() {
        String v = System.getenv("SPINLEDGER_CHUNK_RETENTION_DAYS");
        if (v == null || v.isBlank()) {
            return 7;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SPINLEDGER_CHUNK_RETENTION_DAYS is not a number: " + v);
        }
    }

    private MeteringSnapshot read() {
        if (source.file != null) {
            try {
                return MeteringSnapshot.parse(Files.readString(source.file), source.file.toString());
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("no metering snapshot at " + source.file + " (the runtime writes "
                        + "<data-dir>/metering.json every minute and on shutdown; or use --url of a running SpinLedger)");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + source.file + ": " + e.getMessage());
            }
        }
        String base = source.url.endsWith("/") ? source.url.substring(0, source.url.length() - 1) : source.url;
        String url = base.endsWith("/local/metering") ? base : base + "/local/metering";
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
                throw new IllegalArgumentException("GET " + url + " answered HTTP " + resp.statusCode()
                        + " (is it a SpinLedger local runtime with metering?)");
            }
            return MeteringSnapshot.parse(resp.body(), url);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while reading " + url);
        }
    }

    /**
     * Prints the report; its last line is {@code per station-month at 1000 stations: US$X.XX}.
     *
     * @param snap   the measured run
     * @param r      the model's outcome
     * @param prices the prices used
     * @param out    where to print
     */
    public static void print(MeteringSnapshot snap, CostModel.Result r, Prices prices, PrintWriter out) {
        var o = r.options();
        out.println("SpinLedger on AWS: cost per monitored station per month (730 h), us-east-1 list prices");
        out.printf(Locale.ROOT, "Measured run: %s, %s to %s (%.1f min up), %d station(s) registered, %.2f held on "
                        + "average, %,.0f station-seconds of live stream%n", snap.source(), snap.startedAt(),
                snap.takenAt(), snap.uptimeMs() / 60000.0, snap.registered(), r.avgStations(), r.stationSeconds());
        out.println();
        out.println("Assumptions");
        out.println("| item | price or value | source |");
        out.println("|---|---|---|");
        for (Prices.Row row : prices.rows()) {
            out.println("| " + row.item() + " | " + row.price() + " | " + row.source() + " |");
        }
        out.printf(Locale.ROOT, "| Capture CPU | %.4f CPU-s per station-s | measured: capture.cpuMs / capture.streamMs |%n",
                r.cpuPerStation());
        out.printf(Locale.ROOT, "| Capture task | %s vCPU, %s GB ARM64 at %.0f%% target utilisation; %,.0f MB worker + "
                        + "%,.0f MB index + %,.0f MB per stream; %d streams per task (limited by %s); US$%.2f a month "
                        + "with its public IPv4, %,.0f index-refresh LISTs and US$%.2f of its workers' heartbeats and "
                        + "scans | options; LISTs and the workers' loop measured per second of uptime |%n",
                trim(o.taskVcpu()), trim(o.taskMemoryGb()),
                o.utilisation() * 100, o.workerBaseMb(), r.indexMemoryMb(), o.streamMemoryMb(), r.streamsPerTask(),
                r.taskLimit(), r.taskMonthUsd(), r.taskListsPerMonth(), r.taskLoopUsd());
        out.printf(Locale.ROOT, "| Lambda duration | each handler's measured %s time x the memory infra/sam/template.yaml "
                + "gives it (FunctionCatalogue) | measured; InfraContractTest keeps the memory equal |%n",
                o.lambdaCpuTime() ? "thread CPU" : "wall");
        out.printf(Locale.ROOT, "| Schedules | every %d s on AWS; a tick's work taken as per station held | "
                + "infra/sam/template.yaml |%n", CostModel.AWS_SCHEDULE_SECONDS);
        out.printf(Locale.ROOT, "| Retention | chunks %s days, evidence %d days, detections %d days; other tables kept, "
                        + "billed as in month %d | SAM ChunkRetentionDays, EvidenceRetentionDays; detection TTL |%n",
                trim(o.chunkRetentionDays()), CostModel.EVIDENCE_RETENTION_DAYS, CostModel.DETECTION_RETENTION_DAYS,
                o.keptMonths());
        out.printf(Locale.ROOT, "| Per deployment | %d alarms, %d secrets, idle long polls (%d pollers per queue "
                        + "mapping, %d s), schedule ticks, HTTP use extrapolated from the run | infra/sam/template.yaml |%n",
                CostModel.ALARMS, CostModel.SECRETS, o.idlePollersPerQueue(), CostModel.LONG_POLL_SECONDS);
        out.printf(Locale.ROOT, "| Lambda platform logs | %d bytes per invocation (START, END, REPORT) | estimate |%n",
                o.lambdaPlatformLogBytes());
        out.println();
        int n = 1000;
        out.println("Per station-month at 1,000 stations (per-deployment costs spread over the fleet)");
        out.println("| item | measured, scaled to a month | US$ |");
        out.println("|---|---|---|");
        out.printf(Locale.ROOT, "| Capture workers (ECS Fargate ARM64) | %d tasks of %d streams | %.4f |%n", r.tasks(n),
                r.streamsPerTask(), r.captureAt(n));
        List<CostModel.Line> lines = new ArrayList<>(r.lines());
        for (CostModel.Line l : lines) {
            out.printf(Locale.ROOT, "| %s | %s | %.4f |%n", l.item(), l.measured(), l.at(n));
        }
        out.printf(Locale.ROOT, "| **Total (AWS)** | | **%.4f** |%n", r.perStationMonth(n));
        if (!r.notModeled().isEmpty()) {
            out.println();
            out.println("Counted in the run but not modeled:");
            r.notModeled().forEach(s -> out.println("- " + s));
        }
        out.println();
        out.println("Curve");
        out.println("| stations | capture tasks | US$ per station-month | US$ per month |");
        out.println("|---:|---:|---:|---:|");
        for (int s : CURVE) {
            double per = r.perStationMonth(s);
            out.printf(Locale.ROOT, "| %,d | %,d | %.2f | %,.2f |%n", s, r.tasks(s), per, per * s);
        }
        out.println();
        out.printf(Locale.ROOT, "ACRCloud (not in the AWS figures): %,.0f identify requests per station-month at "
                        + "US$%.2f per 1,000 = US$%.2f per station-month%n", r.acrRequestsPerStationMonth(),
                o.acrcloudUsdPer1000(), r.acrUsdPerStationMonth());
        out.printf(Locale.ROOT, "per station-month at 1000 stations: US$%.2f%n", r.perStationMonth(1000));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
