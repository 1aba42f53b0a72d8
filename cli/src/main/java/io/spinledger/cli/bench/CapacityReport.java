package io.spinledger.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The capacity bench's Markdown report: one row per step of the ladder, and the largest step that held. */
final class CapacityReport {
    /** One step of the ladder: what was measured, and whether it held. */
    static final class Step {
        final int stations;
        double stationMinutes;
        /** CPU seconds per station-minute over the full-air window. */
        double runtimeCpu = Double.NaN;
        double runtimeChildrenCpu = Double.NaN;
        /** The runtime's CPU above its idle rate, s per station-minute. */
        double runtimeMarginalCpu = Double.NaN;
        /** The idle runtime's CPU under the bench's polling, cores. */
        double idleCores = Double.NaN;
        double feedersCpu = Double.NaN;
        double icecastCpu = Double.NaN;
        double benchCpu = Double.NaN;
        /** The runtime's mean CPU use over the window, cores. */
        double runtimeCores = Double.NaN;
        /** The runtime's CPU seconds from the streams' end to the end of the drain. */
        double drainCpuSeconds = Double.NaN;
        int airings;
        int misses;
        int unmonitored;
        double p50 = Double.NaN;
        double p95 = Double.NaN;
        double max = Double.NaN;
        double captureWaiting = Double.NaN;
        double captureInFlight = Double.NaN;
        double downstreamMean = Double.NaN;
        long downstreamMax;
        double slopePerMin = Double.NaN;
        boolean grew;
        boolean settled;
        double drainSeconds = Double.NaN;
        long deadLetters;
        double pollMs;
        double loadBefore = Double.NaN;
        double loadAfter = Double.NaN;
        private final List<String> failures = new ArrayList<>();
        /** Airings never listed: station, track, aired span. */
        final List<String> missed = new ArrayList<>();
        /** Airings listed later than the p95 bound, with their latency. */
        final List<String> slow = new ArrayList<>();

        Step(int stations) {
            this.stations = stations;
        }

        /** Decides whether the step held: p95, misses, unmonitored stations, a growing or undrained backlog. */
        void decide(double maxP95, double maxMissPercent) {
            failures.clear();
            if (!(p95 <= maxP95)) {
                failures.add(String.format(Locale.ROOT, "p95 %.1f s > %.0f s", p95, maxP95));
            }
            if (airings > 0 && 100.0 * misses / airings > maxMissPercent) {
                failures.add(misses + " of " + airings + " airings never listed");
            }
            if (unmonitored > 0) {
                failures.add(unmonitored + " stations with no play listed");
            }
            if (grew) {
                failures.add(String.format(Locale.ROOT, "backlog grew (%+.1f msgs/min)", slopePerMin));
            }
            if (!settled) {
                failures.add("backlog not drained within the drain timeout");
            }
        }

        /** Whether it held. */
        boolean held() {
            return failures.isEmpty();
        }

        /** Why it failed ("" when it held). */
        String why() {
            return String.join("; ", failures);
        }

        /** One progress line. */
        String summary() {
            return String.format(Locale.ROOT, "step %d: runtime %.3f CPU s/station-min (%.2f cores; %.3f above idle "
                            + "%.2f cores), feeders %.3f, "
                            + "icecast %.3f; latency p50 %.1f s p95 %.1f s; misses %d/%d; unmonitored %d; capture "
                            + "waiting %.1f; backlog slope %+.1f/min%s; drain %.0f s%s -> %s",
                    stations, runtimeCpu, runtimeCores, runtimeMarginalCpu, idleCores, feedersCpu, icecastCpu, p50, p95, misses, airings,
                    unmonitored, captureWaiting, slopePerMin, grew ? " (GREW)" : "", drainSeconds,
                    settled ? "" : " (timed out)", held() ? "HELD" : "FAILED: " + why());
        }
    }

    private final Path out;
    private final String command;
    private final int minutes;
    private final double maxP95;
    private final double maxMissPercent;
    private final List<String> kinds;
    private final int distinct;
    private final String feeder;
    private final List<Step> steps = new ArrayList<>();
    private final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private double elapsedS = Double.NaN;

    CapacityReport(Path out, String command, int minutes, double maxP95, double maxMissPercent, List<String> kinds,
                   int distinct, String feeder) {
        this.feeder = feeder;
        this.out = out;
        this.command = command;
        this.minutes = minutes;
        this.maxP95 = maxP95;
        this.maxMissPercent = maxMissPercent;
        this.kinds = kinds;
        this.distinct = distinct;
    }

    void add(Step step) {
        steps.add(step);
    }

    void elapsed(double seconds) {
        elapsedS = seconds;
    }

    /** Writes the report; returns its text. */
    String write() {
        StringBuilder md = new StringBuilder();
        md.append("# Capacity bench\n\n");
        md.append("`").append(command).append("`, started ").append(started).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (!Double.isNaN(elapsedS)) {
            md.append(String.format(Locale.ROOT, ", %.1f min in all", elapsedS / 60));
        }
        md.append(".\n\n");
        md.append(String.format(Locale.ROOT, "Each step: a fresh runtime, N live stations on one icecast2, fed by "
                + "%s from pre-encoded MP3 broadcasts (%s in turn, %d distinct) for %d min. CPU is "
                + "per station-minute over the window with every station on air (/proc utime+stime). Latency: an "
                + "airing's start to the first GET /plays (polled every 1 s, all stations at once) listing a play of "
                + "it; airings registered and aired at least 30 s. A step holds with p95 <= %.0f s, at most %.0f %% of "
                + "the airings never listed, every station listed, no growing backlog and a drained one.%n%n",
                feeder, String.join(", ", kinds), distinct, minutes, maxP95, maxMissPercent));
        md.append("| stations | station-min | runtime CPU s / station-min | above idle | runtime cores (idle) | "
                + "runtime children | "
                + "feeders | icecast | bench | airings | misses | stations unmonitored | latency p50 / p95 / max (s) | "
                + "capture waiting / in flight (mean) | downstream queue mean / max | backlog slope (msgs/min) | "
                + "drain after streams stop (s) | runtime CPU while draining (s) | DLQ | load before / after | held |\n");
        md.append("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|---|---:|---:|---|---|\n");
        Step best = null;
        for (Step s : steps) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.3f | %.3f | %.2f (%.2f) | %.3f | %.3f | %.3f | %.3f | %d | %d | "
                            + "%d | %.1f / %.1f / %.1f | %.1f / %.1f | %.1f / %d | %+.1f%s | %.0f%s | %.0f | %d | "
                            + "%.1f / %.1f | %s |%n",
                    s.stations, s.stationMinutes, s.runtimeCpu, s.runtimeMarginalCpu, s.runtimeCores, s.idleCores,
                    s.runtimeChildrenCpu, s.feedersCpu,
                    s.icecastCpu, s.benchCpu, s.airings, s.misses, s.unmonitored, s.p50, s.p95, s.max,
                    s.captureWaiting, s.captureInFlight, s.downstreamMean, s.downstreamMax, s.slopePerMin,
                    s.grew ? " grew" : "", s.drainSeconds, s.settled ? "" : " (timed out)", s.drainCpuSeconds,
                    s.deadLetters, s.loadBefore, s.loadAfter, s.held() ? "yes" : "**no**: " + s.why()));
            if (s.held() && (best == null || s.stations > best.stations)) {
                best = s;
            }
        }
        md.append('\n');
        for (Step s : steps) {
            if (!s.missed.isEmpty() || !s.slow.isEmpty()) {
                md.append("- ").append(s.stations).append(" stations: ");
                if (!s.missed.isEmpty()) {
                    md.append("never listed: ").append(String.join("; ", s.missed)).append(". ");
                }
                if (!s.slow.isEmpty()) {
                    md.append(String.format(Locale.ROOT, "listed later than %.0f s: ", maxP95))
                            .append(String.join("; ", s.slow)).append('.');
                }
                md.append('\n');
            }
        }
        md.append('\n');
        md.append(best == null ? "**No step held.**\n" : "**Largest N held: " + best.stations + " live stations.**\n");
        md.append("\nColumns: CPU columns are CPU seconds per station-minute (runtime = the runtime process's own "
                + "utime+stime; above idle = the same less the idle runtime's rate under the same polling, measured "
                + "for 30 s before the streams; runtime children = processes it started; feeders = the feeder thread or the ffmpeg sources; icecast = "
                + "icecast2; bench = this bench's JVM, polling and sampling). Capture waiting = capture requests queued "
                + "but not started (stations waiting for a capture slot); downstream = messages waiting, delayed or "
                + "in flight on every queue after capture (GET /health `queues`). Backlog slope: least squares over "
                + "the full-air window after a minute of warm-up; grew = the last 30 s above the first 30 s by more "
                + "than max(5, N/5). Drain: from the last stream's end until the plays stood still for the stable "
                + "window and the downstream queues were empty (time of the later of the two).\n");
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return md.toString();
    }
}
