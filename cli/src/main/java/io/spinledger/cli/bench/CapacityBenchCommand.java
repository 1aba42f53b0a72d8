package io.spinledger.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.cli.bench.PlayBroadcasts.Broadcast;
import io.spinledger.cli.bench.PlayBroadcasts.Kind;
import io.spinledger.cli.bench.PlayScoring.Airing;
import io.spinledger.cli.bench.PlayScoring.ListedPlay;
import io.spinledger.local.SpinLedgerClient;
import io.spinledger.local.demo.IcecastServer;
import io.spinledger.local.demo.IcecastSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code spinledger bench capacity}: how many live stations the embedded runtime holds on this machine. For each step
 * of a ladder of station counts it starts a fresh runtime (as {@code bench plays} does), registers the catalog, starts
 * one icecast2 with a mount per station, each fed by {@code ffmpeg -re -c copy} from a pre-encoded MP3 broadcast with
 * known truth, creates one live station per mount, and measures, through the HTTP API and {@code /proc} only: the
 * runtime's CPU per station-minute (and the feeders', icecast's and the bench's own, apart), the airing-to-play
 * latency (one {@code GET /plays} a second for all stations), misses, stations never monitored, the queue depths
 * ({@code GET /health}) and their trend while streaming, and how long the backlog takes to drain after the streams
 * stop. The ladder stops at the first step that fails; the report names the largest step that held.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "Benchmark how many live Icecast stations the embedded runtime holds: CPU per station-minute, "
                + "airing-to-play latency, backlog; writes a Markdown report.")
public final class CapacityBenchCommand implements Callable<Integer> {
    @Option(names = "--stations", split = ",", description = "the ladder of live station counts; climbing stops at the "
            + "first step that fails (default: 8,24,50,100)")
    List<Integer> stations = List.of(8, 24, 50, 100);

    @Option(names = "--all-steps", description = "run every step of the ladder, even after one failed (a baseline)")
    boolean allSteps;

    @Option(names = "--minutes", description = "air per step, min (default: ${DEFAULT-VALUE})")
    int minutes = 3;

    @Option(names = "--seed", description = "seed of the catalog split and the broadcasts (default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--music", description = "folder of the recordings (default: ${DEFAULT-VALUE})")
    Path music = BenchDataset.WESNOTH_MUSIC;

    @Option(names = "--kinds", split = ",", description = "broadcast kinds the stations air, in turn (default: "
            + "replays,crossfades,noise: the kinds every airing of is found on an idle runtime)")
    List<String> kinds = List.of("replays", "crossfades", "noise");

    @Option(names = "--distinct", description = "distinct broadcasts generated; station i airs broadcast i mod this "
            + "(default: ${DEFAULT-VALUE})")
    int distinct = 12;

    @Option(names = "--lead-in", description = "talk before the first song of each broadcast, s (default: ${DEFAULT-VALUE})")
    int leadInSeconds = 30;

    @Option(names = "--unregistered", description = "recordings that air but are never registered (default: ${DEFAULT-VALUE})")
    int unregistered = 6;

    @Option(names = "--cache", description = "folder of generated broadcasts, shared with bench plays (default: ${DEFAULT-VALUE})")
    Path cache = Path.of("target/bench-plays-cache");

    @Option(names = "--out", description = "the Markdown report (default: ${DEFAULT-VALUE})")
    Path out = Path.of("target/bench-capacity.md");

    @Option(names = "--feeder", description = "what feeds icecast: 'java' (one bench thread sends every pre-encoded "
            + "MP3 at real-time pace, the cheapest) or 'ffmpeg' (one 'ffmpeg -re -c copy' a station) (default: "
            + "${DEFAULT-VALUE})")
    String feeder = "java";

    @Option(names = "--idle-seconds", description = "before the streams, the idle runtime's CPU is measured this long "
            + "under the same polling, s (default: ${DEFAULT-VALUE})")
    int idleSeconds = 30;

    @Option(names = "--max-p95", description = "a step holds when the p95 airing-to-play latency is at most this, s "
            + "(default: ${DEFAULT-VALUE})")
    double maxP95 = 15;

    @Option(names = "--max-miss-percent", description = "... and at most this share of the airings is never listed, "
            + "% (default: ${DEFAULT-VALUE})")
    double maxMissPercent = 0;

    @Option(names = "--drain-timeout", description = "longest wait after the streams stop for the plays to stand still "
            + "and the queues to empty, s (default: ${DEFAULT-VALUE})")
    int drainTimeoutSeconds = 300;

    @Option(names = "--stable-seconds", description = "how long the plays must not change to count as settled, s "
            + "(default: ${DEFAULT-VALUE})")
    int stableSeconds = 30;

    @Option(names = "--runtime-command", description = "start the runtime with this command (template with {port} and "
            + "{dataDir}) instead of the built-in 'java -cp <build> io.spinledger.local.LocalRuntime --no-demo ...'")
    String runtimeCommand;

    @Option(names = "--runtime-start-timeout", description = "longest wait for GET /health, s (default: ${DEFAULT-VALUE})")
    int runtimeStartSeconds = 300;

    /** Scored airings must have aired at least this long (the rate card's minimum paid duration), ms. */
    static final long MIN_AIRED_MS = PlaysBenchCommand.MIN_PAID_MS;
    /** Queue depth is sampled this often, ms. */
    static final long DEPTH_EVERY_MS = 5_000;
    /** Samples in the first minute of full air are warm-up, left out of the trend. */
    static final long WARM_UP_MS = 60_000;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final long t0 = System.nanoTime();

    @Override
    public Integer call() throws Exception {
        if (!feeder.equals("java") && !feeder.equals("ffmpeg")) {
            throw new IllegalArgumentException("--feeder: java or ffmpeg");
        }
        if (stations.isEmpty() || minutes < 1) {
            throw new IllegalArgumentException("--stations needs at least one count, --minutes at least 1");
        }
        PlayBroadcasts.Catalog catalog = PlayBroadcasts.catalog(music, seed, unregistered);
        PlayBroadcasts gen = new PlayBroadcasts(music, catalog, cache, this::progress);
        List<Kind> airKinds = kinds.stream().map(Kind::of).toList();
        if (airKinds.contains(Kind.AAC)) {
            throw new IllegalArgumentException("--kinds: aac is not an MP3 broadcast; the feeders pass MP3 through");
        }
        int pool = Math.min(distinct, stations.stream().mapToInt(Integer::intValue).max().orElse(1));
        List<Broadcast> broadcasts = new ArrayList<>();
        for (int i = 0; i < pool; i++) {
            broadcasts.add(gen.get(airKinds.get(i % airKinds.size()), seed + 1000 + i, minutes, leadInSeconds * 1000L));
        }
        progress(String.format(Locale.ROOT, "%d broadcasts (MP3, pre-encoded) ready after %.0f s", pool, seconds()));

        CapacityReport report = new CapacityReport(out, String.join(" ", commandLine()), minutes, maxP95,
                maxMissPercent, kinds, pool, feeder.equals("ffmpeg") ? "`ffmpeg -re -c copy` a station"
                : "one bench thread sending the MP3 bytes at real-time pace (PUT, as ffmpeg's icecast:// does)");
        for (int n : stations) {
            progress("==== step: " + n + " live stations, " + minutes + " min ====");
            CapacityReport.Step step = runStep(n, gen, catalog, broadcasts);
            report.add(step);
            report.write();
            progress(step.summary());
            if (!step.held()) {
                progress("step " + n + " did not hold (" + step.why() + ")"
                        + (allSteps ? "; --all-steps: climbing on" : ": the ladder stops here"));
                if (!allSteps) {
                    break;
                }
            }
        }
        report.elapsed(seconds());
        String md = report.write();
        System.out.println(md);
        System.out.println("report: " + out.toAbsolutePath());
        return 0;
    }

    // ---- one step -----------------------------------------------------------------------------------------------

    /**
     * A live source of a mount, whichever feeder runs it.
     *
     * @param startedAt the wall-clock instant its first byte was sent (the truth's clock)
     * @param alive     whether it still sends
     * @param stop      stops it
     */
    private record Source(java.util.function.Supplier<Instant> startedAt, java.util.function.BooleanSupplier alive,
                          Runnable stop) {
        Instant sendingStartedAt() {
            return startedAt.get();
        }

        Instant instantOf(long offsetMs) {
            return startedAt.get().plusMillis(offsetMs);
        }

        boolean isAlive() {
            return alive.getAsBoolean();
        }

        void close() {
            stop.run();
        }
    }

    /** One live station of a step. */
    private static final class Station {
        final String id;
        final Broadcast broadcast;
        final Source source;
        final long feedMs;
        /** Scored airings: registered, aired at least {@link #MIN_AIRED_MS} within the feed. */
        final List<Airing> scored;
        final Map<Integer, Instant> firstSeen = new HashMap<>();
        Instant endedAt;
        int listed;

        Station(String id, Broadcast broadcast, Source source, long feedMs) {
            this.id = id;
            this.broadcast = broadcast;
            this.source = source;
            this.feedMs = feedMs;
            this.scored = broadcast.truth().stream().filter(a -> a.registered()
                    && Math.min(a.endMs(), feedMs) - a.startMs() >= MIN_AIRED_MS).toList();
        }
    }

    /** A CPU reading of every process involved, ticks. */
    private record CpuSample(long nanos, long runtime, long runtimeChildren, long icecast, long feeders, long bench) {
    }

    /** A queue-depth reading from GET /health. */
    private record DepthSample(long nanos, long captureWaiting, long captureInFlight, long downstream, long dead) {
    }

    private CapacityReport.Step runStep(int n, PlayBroadcasts gen, PlayBroadcasts.Catalog catalog,
                                        List<Broadcast> broadcasts) throws IOException {
        double loadBefore = ProcCpu.loadAverage();
        Path work = Files.createTempDirectory("spinledger-bench-capacity-");
        RuntimeProcess rt = null;
        List<Station> on = new ArrayList<>();
        long feedMs = minutes * 60_000L;
        try {
            rt = RuntimeProcess.start(runtimeCommand, work.resolve("data"), work.resolve("runtime.log"),
                    Duration.ofSeconds(runtimeStartSeconds), this::progress);
            SpinLedgerClient client = new SpinLedgerClient(rt.baseUrl());
            Map<String, String> names = BenchApi.registerCatalog(client, gen, catalog, this::progress);
            double idleCores = idleCores(client, rt.pid());
            try (IcecastServer icecast = IcecastServer.start(n); Mp3Feeds javaFeeds = new Mp3Feeds()) {
                progress("icecast2 on port " + icecast.port() + " (room for " + n + " mounts)");
                Instant from = Instant.now().minus(10, ChronoUnit.MINUTES);
                Instant to = Instant.now().plus(3, ChronoUnit.HOURS);
                List<Long> feederPids = new CopyOnWriteArrayList<>();
                Map<Long, Long> feederLast = new java.util.concurrent.ConcurrentHashMap<>();
                List<CpuSample> cpu = new CopyOnWriteArrayList<>();
                long rtPid = rt.pid();
                long icePid = icecast.pid();
                long benchPid = ProcessHandle.current().pid();
                Thread sampler = Thread.ofPlatform().daemon().name("capacity-cpu").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        long feeders = 0;
                        for (long pid : feederPids) {
                            long now = ProcCpu.self(pid).orElse(-1);
                            if (now >= 0) {
                                feederLast.put(pid, now);
                            }
                            feeders += feederLast.getOrDefault(pid, 0L);
                        }
                        feeders += Math.round(javaFeeds.cpuNanos() / 1e9 * ProcCpu.TICKS_PER_SECOND);
                        cpu.add(new CpuSample(System.nanoTime(), ProcCpu.self(rtPid).orElse(0),
                                ProcCpu.children(rtPid), ProcCpu.self(icePid).orElse(0), feeders,
                                ProcCpu.self(benchPid).orElse(0)));
                        try {
                            Thread.sleep(1_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                long firstStart = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Broadcast b = broadcasts.get(i % broadcasts.size());
                    String mount = "/cap-" + (i + 1) + ".mp3";
                    Source src;
                    String url;
                    if (feeder.equals("ffmpeg")) {
                        IcecastSource ff = IcecastSource.start(icecast, mount, b.audioFile(),
                                IcecastSource.Codec.MP3_COPY, feedMs / 1000.0);
                        feederPids.add(ff.pid());
                        url = ff.listenUrl();
                        src = new Source(ff::sendingStartedAt, ff::isAlive, ff::close);
                    } else {
                        Mp3Feeds.Feed jf = javaFeeds.start(icecast, mount, b.audioFile(), b.durationMs(), feedMs);
                        url = jf.listenUrl();
                        src = new Source(jf::sendingStartedAt, jf::isAlive, jf::stop);
                    }
                    Station s = new Station("cap-" + (i + 1), b, src, Math.min(feedMs, b.durationMs()));
                    on.add(s);
                    BenchApi.createStation(client, s.id, "Capacity " + (i + 1), url);
                }
                long allOn = System.nanoTime();
                progress(String.format(Locale.ROOT, "%d stations on air in %.1f s (feeds of %d min, %s)", n,
                        (allOn - firstStart) / 1e9, minutes, feeder.equals("ffmpeg") ? "ffmpeg -re -c copy each"
                                : "one bench thread, MP3 bytes at real-time pace"));

                List<DepthSample> depths = new ArrayList<>();
                String signature = "";
                long lastChange = System.nanoTime();
                long lastDepth = 0;
                long lastProgress = System.nanoTime();
                Long firstEnd = null;
                Long allEnded = null;
                Long queuesEmptyAt = null;
                boolean settled = false;
                int polls = 0;
                double pollSeconds = 0;
                while (true) {
                    long tick = System.nanoTime();
                    if (!rt.isAlive()) {
                        throw new IllegalStateException("the runtime died:\n" + rt.logTail(40));
                    }
                    long p0 = System.nanoTime();
                    SpinLedgerClient.Answer a = client.get("/plays?from=" + from + "&to=" + to);
                    pollSeconds += (System.nanoTime() - p0) / 1e9;
                    polls++;
                    if (a.status() == 200) {
                        String sig = observe(a.json().get("plays"), on, names);
                        if (!sig.equals(signature)) {
                            signature = sig;
                            lastChange = System.nanoTime();
                        }
                    } else {
                        progress("GET /plays: HTTP " + a.status());
                    }
                    long now = System.nanoTime();
                    for (Station s : on) {
                        if (s.endedAt == null && !s.source.isAlive()) {
                            s.endedAt = Instant.now();
                            if (firstEnd == null) {
                                firstEnd = now;
                            }
                        }
                    }
                    if (allEnded == null && on.stream().allMatch(s -> s.endedAt != null)) {
                        allEnded = now;
                        progress(String.format(Locale.ROOT, "all streams ended; %d airings of %d listed; draining",
                                seen(on), scored(on)));
                    }
                    if (now - lastDepth >= DEPTH_EVERY_MS * 1_000_000L) {
                        lastDepth = now;
                        DepthSample d = depth(client, now);
                        if (d != null) {
                            depths.add(d);
                            if (allEnded != null && d.downstream() == 0) {
                                if (queuesEmptyAt == null) {
                                    queuesEmptyAt = now;
                                }
                            } else {
                                queuesEmptyAt = null;
                            }
                        }
                    }
                    if (allEnded != null && queuesEmptyAt != null
                            && now - lastChange >= stableSeconds * 1_000_000_000L) {
                        settled = true;
                        break;
                    }
                    if (allEnded != null && now - allEnded > drainTimeoutSeconds * 1_000_000_000L) {
                        break;
                    }
                    if (now - lastProgress >= 15_000_000_000L) {
                        lastProgress = now;
                        DepthSample d = depths.isEmpty() ? null : depths.get(depths.size() - 1);
                        CpuSample c = cpu.isEmpty() ? null : cpu.get(cpu.size() - 1);
                        CpuSample c0 = cpu.isEmpty() ? null : cpu.get(0);
                        progress(String.format(Locale.ROOT, "%4.0f s: on air %d/%d, airings listed %d/%d, plays "
                                        + "listed %d, queues: capture waiting %s in flight %s, downstream %s; runtime "
                                        + "CPU %.0f s so far; load %.1f",
                                (now - firstStart) / 1e9, on.stream().filter(s -> s.endedAt == null).count(), n,
                                seen(on), scored(on), on.stream().mapToInt(s -> s.listed).sum(),
                                d == null ? "?" : d.captureWaiting(), d == null ? "?" : d.captureInFlight(),
                                d == null ? "?" : d.downstream(),
                                c == null ? 0 : (c.runtime() - c0.runtime()) / ProcCpu.TICKS_PER_SECOND,
                                ProcCpu.loadAverage()));
                    }
                    long spent = (System.nanoTime() - tick) / 1_000_000;
                    if (spent < 1_000) {
                        RuntimeProcess.sleep(1_000 - spent);
                    }
                }
                sampler.interrupt();
                long end = System.nanoTime();
                // CPU over the full-air window: every station on air (last start to first end)
                long wFrom = allOn;
                long wTo = firstEnd == null ? end : firstEnd;
                CpuSample c0 = nearest(cpu, wFrom, true);
                CpuSample c1 = nearest(cpu, wTo, false);
                double windowS = c0 == null || c1 == null ? 0 : (c1.nanos() - c0.nanos()) / 1e9;
                double stationMinutes = n * windowS / 60.0;
                CapacityReport.Step step = new CapacityReport.Step(n);
                step.idleCores = idleCores;
                step.stationMinutes = stationMinutes;
                if (c0 != null && c1 != null && stationMinutes > 0) {
                    step.runtimeCpu = (c1.runtime() - c0.runtime()) / ProcCpu.TICKS_PER_SECOND / stationMinutes;
                    step.runtimeChildrenCpu = (c1.runtimeChildren() - c0.runtimeChildren()) / ProcCpu.TICKS_PER_SECOND
                            / stationMinutes;
                    step.icecastCpu = (c1.icecast() - c0.icecast()) / ProcCpu.TICKS_PER_SECOND / stationMinutes;
                    step.feedersCpu = (c1.feeders() - c0.feeders()) / ProcCpu.TICKS_PER_SECOND / stationMinutes;
                    step.benchCpu = (c1.bench() - c0.bench()) / ProcCpu.TICKS_PER_SECOND / stationMinutes;
                    step.runtimeCores = (c1.runtime() - c0.runtime()) / ProcCpu.TICKS_PER_SECOND / windowS;
                    step.runtimeMarginalCpu = ((c1.runtime() - c0.runtime()) / ProcCpu.TICKS_PER_SECOND
                            - idleCores * windowS) / stationMinutes;
                }
                CpuSample cLast = cpu.isEmpty() ? null : cpu.get(cpu.size() - 1);
                if (cLast != null && allEnded != null) {
                    CpuSample cEnd = nearest(cpu, allEnded, false);
                    step.drainCpuSeconds = cEnd == null ? Double.NaN
                            : (cLast.runtime() - cEnd.runtime()) / ProcCpu.TICKS_PER_SECOND;
                }
                // latency and misses
                List<Double> latencies = new ArrayList<>();
                List<String> slow = new ArrayList<>();
                for (Station s : on) {
                    for (Airing air : s.scored) {
                        Instant seen = s.firstSeen.get(air.id());
                        String what = String.format(Locale.ROOT, "%s %s at %.0f-%.0f s", s.id, air.track(),
                                air.startMs() / 1000.0, Math.min(air.endMs(), s.feedMs) / 1000.0);
                        if (seen == null) {
                            step.misses++;
                            step.missed.add(what + (s.listed == 0 ? " (station: no play listed)" : ""));
                        } else {
                            double lat = Duration.between(s.source.instantOf(air.startMs()), seen).toMillis() / 1000.0;
                            latencies.add(lat);
                            if (lat > maxP95) {
                                slow.add(String.format(Locale.ROOT, "%s: %.1f s", what, lat));
                            }
                        }
                    }
                    if (!s.scored.isEmpty() && s.listed == 0) {
                        step.unmonitored++;
                    }
                }
                step.airings = scored(on);
                step.slow.addAll(slow);
                if (!step.missed.isEmpty()) {
                    progress("never listed: " + String.join("; ", step.missed));
                }
                if (!slow.isEmpty()) {
                    progress("listed later than " + maxP95 + " s: " + String.join("; ", slow));
                }
                step.p50 = PlayScoring.quantile(latencies, 0.5);
                step.p95 = PlayScoring.quantile(latencies, 0.95);
                step.max = latencies.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                // backlog
                trend(step, depths, allOn, allEnded == null ? end : allEnded, n);
                step.settled = settled;
                step.drainSeconds = allEnded == null ? Double.NaN
                        : (Math.max(lastChange, queuesEmptyAt == null ? end : queuesEmptyAt) - allEnded) / 1e9;
                step.drainSeconds = Math.max(0, step.drainSeconds);
                step.deadLetters = depths.isEmpty() ? 0 : depths.get(depths.size() - 1).dead();
                step.pollMs = polls == 0 ? 0 : 1000 * pollSeconds / polls;
                step.loadBefore = loadBefore;
                step.loadAfter = ProcCpu.loadAverage();
                step.decide(maxP95, maxMissPercent);
                return step;
            } finally {
                on.forEach(s -> s.source.close());
            }
        } finally {
            if (rt != null) {
                rt.close();
            }
            BenchApi.deleteTree(work);
        }
    }

    /**
     * The runtime's CPU with no station, under the bench's own polling (GET /plays every second, GET /health every
     * 5 s), cores.
     */
    private double idleCores(SpinLedgerClient client, long pid) {
        if (idleSeconds <= 0) {
            return 0;
        }
        long c0 = ProcCpu.self(pid).orElse(0);
        long n0 = System.nanoTime();
        for (int i = 0; i < idleSeconds; i++) {
            client.get("/plays");
            if (i % 5 == 0) {
                client.get("/health");
            }
            RuntimeProcess.sleep(1_000);
        }
        double cores = (ProcCpu.self(pid).orElse(0) - c0) / ProcCpu.TICKS_PER_SECOND / ((System.nanoTime() - n0) / 1e9);
        progress(String.format(Locale.ROOT, "idle runtime under the bench's polling: %.2f cores (%d s)", cores,
                idleSeconds));
        return cores;
    }

    /** Records the first listing of each scored airing; returns a signature of the whole list. */
    private static String observe(JsonNode plays, List<Station> on, Map<String, String> names) {
        Map<String, Station> byId = new HashMap<>();
        on.forEach(s -> byId.put(s.id, s));
        Map<String, Integer> listed = new HashMap<>();
        StringBuilder sig = new StringBuilder();
        Instant now = Instant.now();
        for (JsonNode p : plays) {
            String stationId = p.path("stationId").asText();
            sig.append(p.path("playId").asText()).append(' ').append(p.path("startedAt").asText()).append(' ')
                    .append(p.path("endedAt").asText()).append(' ').append(p.path("status").asText()).append('\n');
            Station s = byId.get(stationId);
            if (s == null) {
                continue;
            }
            listed.merge(stationId, 1, Integer::sum);
            Instant origin = s.source.sendingStartedAt();
            String trackId = p.path("trackId").asText();
            ListedPlay lp = new ListedPlay(p.path("playId").asText(), names.getOrDefault(trackId, trackId),
                    Duration.between(origin, Instant.parse(p.get("startedAt").asText())).toMillis(),
                    Duration.between(origin, Instant.parse(p.get("endedAt").asText())).toMillis(),
                    p.path("durationMs").asLong(), p.path("status").asText());
            for (Airing a : s.scored) {
                if (lists(lp, a)) {
                    s.firstSeen.putIfAbsent(a.id(), now);
                }
            }
        }
        on.forEach(s -> s.listed = listed.getOrDefault(s.id, 0));
        return sig.toString();
    }

    /**
     * Whether a listed play shows an airing: {@link PlayScoring#listsAiring} (a play starting with it), or a play of
     * its track already reaching 5 s into it (a song replayed back to back may be one play over both airings).
     */
    static boolean lists(ListedPlay p, Airing a) {
        return PlayScoring.listsAiring(p, a) || (a.registered() && a.track().equals(p.track())
                && p.startMs() < a.endMs() && p.endMs() >= a.startMs() + 5_000);
    }

    /** Queue depths from GET /health ({@code queues}, local runtime); null when it has none. */
    private static DepthSample depth(SpinLedgerClient client, long now) {
        SpinLedgerClient.Answer h = client.get("/health");
        if (h.status() != 200) {
            return null;
        }
        JsonNode q = h.json().path("queues");
        if (q.isMissingNode() || !q.isObject()) {
            return null;
        }
        long capWaiting = 0;
        long capInFlight = 0;
        long downstream = 0;
        long dead = 0;
        for (var it = q.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            dead += v.path("dead").asLong();
            if (e.getKey().equals("spinledger-capture")) {
                capWaiting = v.path("waiting").asLong() + v.path("delayed").asLong();
                capInFlight = v.path("inFlight").asLong();
            } else {
                downstream += v.path("waiting").asLong() + v.path("delayed").asLong() + v.path("inFlight").asLong();
            }
        }
        return new DepthSample(now, capWaiting, capInFlight, downstream, dead);
    }

    /**
     * The backlog's trend while every station is on air, after a minute of warm-up: the least-squares slope of
     * (downstream messages + capture requests waiting), and whether it grew: the mean of the last 30 s above the
     * mean of the first 30 s by more than max(5, N / 5) messages.
     */
    private static void trend(CapacityReport.Step step, List<DepthSample> all, long from, long to, int n) {
        List<DepthSample> d = all.stream().filter(s -> s.nanos() >= from + WARM_UP_MS * 1_000_000L
                && s.nanos() <= to).toList();
        List<DepthSample> onAir = all.stream().filter(s -> s.nanos() >= from && s.nanos() <= to).toList();
        step.captureWaiting = onAir.stream().mapToLong(DepthSample::captureWaiting).average().orElse(Double.NaN);
        step.captureInFlight = onAir.stream().mapToLong(DepthSample::captureInFlight).average().orElse(Double.NaN);
        step.downstreamMean = onAir.stream().mapToLong(DepthSample::downstream).average().orElse(Double.NaN);
        step.downstreamMax = onAir.stream().mapToLong(DepthSample::downstream).max().orElse(0);
        if (d.size() < 3) {
            step.slopePerMin = Double.NaN;
            return;
        }
        double mx = 0;
        double my = 0;
        for (DepthSample s : d) {
            mx += s.nanos() / 6e10;
            my += s.downstream() + s.captureWaiting();
        }
        mx /= d.size();
        my /= d.size();
        double sxy = 0;
        double sxx = 0;
        for (DepthSample s : d) {
            double x = s.nanos() / 6e10 - mx;
            sxy += x * (s.downstream() + s.captureWaiting() - my);
            sxx += x * x;
        }
        step.slopePerMin = sxx == 0 ? 0 : sxy / sxx;
        long last = d.get(d.size() - 1).nanos();
        long first = d.get(0).nanos();
        double head = d.stream().filter(s -> s.nanos() <= first + 30_000_000_000L)
                .mapToLong(s -> s.downstream() + s.captureWaiting()).average().orElse(0);
        double tail = d.stream().filter(s -> s.nanos() >= last - 30_000_000_000L)
                .mapToLong(s -> s.downstream() + s.captureWaiting()).average().orElse(0);
        step.grew = tail - head > Math.max(5, n / 5.0) && step.slopePerMin > 0;
    }

    private static CpuSample nearest(List<CpuSample> samples, long at, boolean after) {
        CpuSample best = null;
        for (CpuSample s : samples) {
            if (after ? s.nanos() >= at && best == null : s.nanos() <= at) {
                best = s;
            }
        }
        if (best == null && !samples.isEmpty()) {
            best = after ? samples.get(samples.size() - 1) : samples.get(0);
        }
        return best;
    }

    private static int seen(List<Station> on) {
        return on.stream().mapToInt(s -> s.firstSeen.size()).sum();
    }

    private static int scored(List<Station> on) {
        return on.stream().mapToInt(s -> s.scored.size()).sum();
    }

    private List<String> commandLine() {
        List<String> a = new ArrayList<>(List.of("scripts/bench-capacity", "--stations",
                String.join(",", stations.stream().map(String::valueOf).toList()), "--minutes",
                String.valueOf(minutes), "--seed", String.valueOf(seed)));
        if (!feeder.equals("java")) {
            a.addAll(List.of("--feeder", feeder));
        }
        if (allSteps) {
            a.add("--all-steps");
        }
        return a;
    }

    private double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void progress(String line) {
        System.err.println("[bench capacity " + LocalTime.now().format(CLOCK) + "] " + line);
    }
}
