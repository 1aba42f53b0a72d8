package io.spinledger.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.cli.bench.PlayBroadcasts.Broadcast;
import io.spinledger.cli.bench.PlayBroadcasts.Kind;
import io.spinledger.cli.bench.PlayScoring.Airing;
import io.spinledger.cli.bench.PlayScoring.ListedPlay;
import io.spinledger.cli.bench.PlayScoring.Score;
import io.spinledger.json.Json;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code spinledger bench plays}: measures the play log where users meet it. Generates one hard broadcast per
 * difficulty ({@link PlayBroadcasts}), starts the embedded runtime the README's way in a temporary data directory,
 * registers the catalog over {@code POST /tracks}, uploads each broadcast as an air-check of its own station
 * ({@code POST /stations/{id}/airchecks}), waits until {@code GET /plays} lists only final plays (CLOSED or POSTED)
 * and stops changing, and scores every listed play against the truth ({@link PlayScoring}). With
 * {@code --live-stations N} it also streams N generated broadcasts through a real Icecast server to N live
 * stations at once and measures how late plays appear and become final. Writes a Markdown report.
 */
@Command(name = "plays", mixinStandardHelpOptions = true,
        description = "Benchmark the play log through the deployed runtime: air-checks over HTTP, GET /plays, "
                + "optionally live Icecast stations; writes a Markdown report.")
public final class PlaysBenchCommand implements Callable<Integer> {
    /** The rate card's minimum paid duration (gh-2026.x), ms. */
    static final long MIN_PAID_MS = 30_000;
    /** How far paid seconds may be from the truth and still count as right, ms. */
    static final long PAID_TOLERANCE_MS = 2_000;

    @Option(names = "--music", description = "folder of the recordings (default: ${DEFAULT-VALUE})")
    Path music = BenchDataset.WESNOTH_MUSIC;

    @Option(names = "--seed", description = "seed of the catalog split and the broadcasts (default: ${DEFAULT-VALUE})")
    long seed = 2026;

    @Option(names = "--minutes", description = "air per case, min (default: ${DEFAULT-VALUE})")
    int minutes = 9;

    @Option(names = "--cases", split = ",", description = "cases to run, 'none' for live only (default: all: "
            + "loops,replays,crossfades,speed,noise,aac,tv)")
    List<String> cases = List.of();

    @Option(names = "--unregistered", description = "recordings that air but are never registered (default: ${DEFAULT-VALUE})")
    int unregistered = 6;

    @Option(names = "--cache", description = "folder of generated broadcasts, kept between runs (default: ${DEFAULT-VALUE})")
    Path cache = Path.of("target/bench-plays-cache");

    @Option(names = "--out", description = "the Markdown report (default: ${DEFAULT-VALUE}); raw plays and truth go "
            + "beside it, in <name>-raw/")
    Path out = Path.of("target/bench-plays.md");

    @Option(names = "--case-timeout", description = "longest wait for a case's plays to be final and stable, min "
            + "(default: ${DEFAULT-VALUE})")
    int caseTimeoutMinutes = 10;

    @Option(names = "--stable-seconds", description = "how long the plays (and the pipeline's counters) must not "
            + "change before a case counts as settled, s (default: ${DEFAULT-VALUE})")
    int stableSeconds = 30;

    @Option(names = "--live-stations", description = "live Icecast stations streamed at once, 0 = none (default: ${DEFAULT-VALUE})")
    int liveStations = 0;

    @Option(names = "--live-minutes", description = "air per live station, min (default: ${DEFAULT-VALUE})")
    int liveMinutes = 4;

    @Option(names = "--runtime-command", description = "start the runtime with this command instead of the built-in "
            + "'java -cp <build> io.spinledger.local.LocalRuntime --no-demo --port {port} --data-dir {dataDir}', "
            + "e.g. 'scripts/run --no-demo --port {port} --data-dir {dataDir}'")
    String runtimeCommand;

    @Option(names = "--runtime-start-timeout", description = "longest wait for GET /health, s (default: ${DEFAULT-VALUE})")
    int runtimeStartSeconds = 300;

    @Option(names = "--keep-data", description = "keep the runtime's temporary data directory and log")
    boolean keepData;

    private static final java.time.format.DateTimeFormatter CLOCK =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
    private final long t0 = System.nanoTime();

    @Override
    public Integer call() throws Exception {
        List<Kind> kinds = kinds();
        PlayBroadcasts.Catalog catalog = PlayBroadcasts.catalog(music, seed, unregistered);
        progress("catalog: " + catalog.registered().size() + " registered recordings, unregistered: "
                + String.join(", ", catalog.unregistered()));
        PlayBroadcasts gen = new PlayBroadcasts(music, catalog, cache, this::progress);
        List<Broadcast> caseBroadcasts = new ArrayList<>();
        for (Kind k : kinds) {
            caseBroadcasts.add(gen.get(k, seed, minutes, 0));
        }
        List<Broadcast> liveBroadcasts = new ArrayList<>();
        for (int i = 0; i < liveStations; i++) {
            liveBroadcasts.add(gen.get(Kind.values()[i % Kind.values().length], seed + 100 + i, liveMinutes, 30_000));
        }
        progress(String.format(Locale.ROOT, "broadcasts ready after %.0f s", seconds()));

        Path work = Files.createTempDirectory("spinledger-bench-plays-");
        PlaysReport report = new PlaysReport(out, seed, minutes, catalog, String.join(" ", commandLine()));
        report.runtime(runtimeCommand == null ? "java -cp <this build> io.spinledger.local.LocalRuntime --no-demo "
                + "--port <free port> --data-dir <temp dir> (what scripts/run starts, without its mvn install)"
                : runtimeCommand);
        RuntimeProcess rt = null;
        try {
            rt = RuntimeProcess.start(runtimeCommand, work.resolve("data"), work.resolve("runtime.log"),
                    Duration.ofSeconds(runtimeStartSeconds), this::progress);
            SpinLedgerClient client = new SpinLedgerClient(rt.baseUrl());
            Map<String, String> names = BenchApi.registerCatalog(client, gen, catalog, this::progress);
            if (!caseBroadcasts.isEmpty()) {
                report.cases(runCases(client, rt, caseBroadcasts, names));
            }
            if (!liveBroadcasts.isEmpty()) {
                report.live(runLive(client, rt, liveBroadcasts, names), liveMinutes);
            }
        } finally {
            if (rt != null) {
                rt.close();
                report.runtimeLog(grepWarnings(work.resolve("runtime.log")) + "; " + rt.stopNote());
            }
            if (!keepData) {
                BenchApi.deleteTree(work);
            } else {
                progress("kept the runtime's data and log in " + work);
            }
        }
        report.elapsed(seconds());
        String table = report.write();
        System.out.println(table);
        System.out.println("report: " + out.toAbsolutePath());
        return 0;
    }

    // ---- catalog ------------------------------------------------------------------------------------------------

    // ---- air-check cases ----------------------------------------------------------------------------------------

    /**
     * One case's outcome.
     *
     * @param broadcast     what aired
     * @param stationId     its station
     * @param startedAt     the air-check's start instant
     * @param score         the score
     * @param settled       whether every play was final and stable before the timeout
     * @param settledAfterS from the upload to the last change of the play log, s
     * @param uploadS       the upload's HTTP call, s
     */
    record CaseResult(Broadcast broadcast, String stationId, Instant startedAt, Score score, boolean settled,
                      double settledAfterS, double uploadS) {
    }

    private final class Watch {
        final String stationId;
        final Instant from;
        final Instant to;
        /** The instant offsets are measured from (a live feed's estimate improves while it plays). */
        final java.util.function.Supplier<Instant> origin;
        long uploadedNanos;
        long lastChangeNanos;
        String signature = "";
        volatile List<ListedPlay> plays = List.of();
        JsonNode raw;
        boolean done;
        boolean settled;

        Watch(String stationId, Instant from, long windowMs, java.util.function.Supplier<Instant> origin) {
            this.stationId = stationId;
            this.origin = origin;
            this.from = from.minus(1, ChronoUnit.HOURS);
            this.to = from.plusMillis(windowMs).plus(1, ChronoUnit.HOURS);
        }

        void poll(SpinLedgerClient client, Map<String, String> names) {
            SpinLedgerClient.Answer a = client.get("/plays?stationId=" + stationId + "&from=" + from + "&to=" + to);
            if (a.status() != 200) {
                throw new IllegalStateException("GET /plays for " + stationId + ": HTTP " + a.status() + " " + a.body());
            }
            raw = a.json().get("plays");
            List<ListedPlay> now = new ArrayList<>();
            StringBuilder sig = new StringBuilder();
            for (JsonNode p : raw) {
                String trackId = p.get("trackId").asText();
                ListedPlay lp = new ListedPlay(p.get("playId").asText(), names.getOrDefault(trackId, trackId),
                        ms(p.get("startedAt")), ms(p.get("endedAt")), p.get("durationMs").asLong(),
                        p.get("status").asText());
                now.add(lp);
                sig.append(lp).append('\n');
            }
            plays = now;
            if (!sig.toString().equals(signature)) {
                signature = sig.toString();
                lastChangeNanos = System.nanoTime();
            }
        }

        long ms(JsonNode instant) {
            return Duration.between(origin.get(), Instant.parse(instant.asText())).toMillis();
        }

        long notFinal() {
            return plays.stream().filter(p -> !p.isFinal()).count();
        }
    }

    private List<CaseResult> runCases(SpinLedgerClient client, RuntimeProcess rt, List<Broadcast> broadcasts,
                                      Map<String, String> names) throws IOException {
        Instant origin = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(3, ChronoUnit.HOURS);
        Map<Broadcast, Watch> watches = new LinkedHashMap<>();
        Map<Broadcast, Double> uploadS = new HashMap<>();
        for (Broadcast b : broadcasts) {
            String station = "bench-" + b.kind().label();
            BenchApi.createStation(client, station, "Bench " + b.kind().label(), null);
            Watch w = new Watch(station, origin, b.durationMs(), () -> origin);
            long u0 = System.nanoTime();
            SpinLedgerClient.Answer a = client.uploadAircheck(station, Files.readAllBytes(b.audioFile()),
                    origin.toString());
            if (a.status() != 202) {
                throw new IllegalStateException("POST /stations/" + station + "/airchecks: HTTP " + a.status() + " "
                        + a.body());
            }
            w.uploadedNanos = System.nanoTime();
            w.lastChangeNanos = w.uploadedNanos;
            uploadS.put(b, (w.uploadedNanos - u0) / 1e9);
            watches.put(b, w);
            progress(String.format(Locale.ROOT, "uploaded %s (%.1f min, %d kB) as an air-check of %s starting %s",
                    b.audioFile().getFileName(), b.durationMs() / 60_000.0, Files.size(b.audioFile()) / 1024,
                    station, origin));
        }
        waitUntilSettled(client, rt, new ArrayList<>(watches.values()), names, Duration.ofMinutes(caseTimeoutMinutes),
                5_000, () -> true);
        List<CaseResult> results = new ArrayList<>();
        for (Map.Entry<Broadcast, Watch> e : watches.entrySet()) {
            Broadcast b = e.getKey();
            Watch w = e.getValue();
            Score s = PlayScoring.score(b.truth(), w.plays, MIN_PAID_MS, PAID_TOLERANCE_MS);
            results.add(new CaseResult(b, w.stationId, origin, s, w.settled,
                    (w.lastChangeNanos - w.uploadedNanos) / 1e9, uploadS.get(b)));
            writeRaw(w.stationId, b.truth(), w.raw);
            progress(String.format(Locale.ROOT, "%-10s listed %2d, recall %.2f, precision %.2f%s", b.kind().label(),
                    s.listed(), s.recall(), s.precision(), w.settled ? "" : " (NOT SETTLED: " + w.notFinal()
                            + " plays not final at the timeout)"));
        }
        return results;
    }

    /**
     * Polls until every watched station's plays are final and unchanged for the stable window while the pipeline's
     * counters ({@code GET /stats}) stand still too, or until the timeout; prints progress every 15 s.
     */
    private void waitUntilSettled(SpinLedgerClient client, RuntimeProcess rt, List<Watch> watches,
                                  Map<String, String> names, Duration timeout, long pollMs,
                                  java.util.function.BooleanSupplier mayFinish) {
        long stableNanos = stableSeconds * 1_000_000_000L;
        String stats = "";
        long statsChanged = System.nanoTime();
        int statsChanges = 0;
        long lastProgress = 0;
        while (watches.stream().anyMatch(w -> !w.done)) {
            if (!rt.isAlive()) {
                throw new IllegalStateException("the runtime died:\n" + rt.logTail(40));
            }
            long now = System.nanoTime();
            SpinLedgerClient.Answer st = client.get("/stats");
            String body = st.status() == 200 ? st.body() : "";
            if (!body.equals(stats)) {
                stats = body;
                statsChanged = now;
                statsChanges++;
            }
            // idle: the counters moved since the wait began (the first reading is one change) and then stood still
            boolean idle = st.status() != 200 || (statsChanges >= 2 && now - statsChanged >= stableNanos);
            for (Watch w : watches) {
                if (w.done) {
                    continue;
                }
                w.poll(client, names);
                boolean stable = now - w.lastChangeNanos >= stableNanos;
                if (mayFinish.getAsBoolean() && idle && stable && w.notFinal() == 0) {
                    w.done = true;
                    w.settled = true;
                } else if (now - w.uploadedNanos > timeout.toNanos()) {
                    w.done = true;
                }
            }
            if (now - lastProgress > 15_000_000_000L) {
                lastProgress = now;
                progress("waiting for final plays: " + String.join(" | ", watches.stream().map(w -> w.stationId + " "
                        + w.plays.size() + (w.notFinal() > 0 ? " (" + w.notFinal() + " not final)" : "")
                        + (w.done ? (w.settled ? " settled" : " TIMED OUT") : "")).toList()));
            }
            RuntimeProcess.sleep(pollMs);
        }
    }

    // ---- live stations ------------------------------------------------------------------------------------------

    /**
     * One live station's outcome.
     *
     * @param broadcast      what aired
     * @param stationId      its station
     * @param score          the score
     * @param settled        whether every play was final and stable before the timeout
     * @param firstSeenS     per found airing (by id): its start to the first listing of a play of it, s
     * @param finalSeenS     per found airing (by id): its end to its play being listed as final, s
     * @param health         the station's stream health at the end
     */
    record LiveResult(Broadcast broadcast, String stationId, Score score, boolean settled,
                      Map<Integer, Double> firstSeenS, Map<Integer, Double> finalSeenS, JsonNode health) {
    }

    private List<LiveResult> runLive(SpinLedgerClient client, RuntimeProcess rt, List<Broadcast> broadcasts,
                                     Map<String, String> names) throws IOException {
        List<LiveResult> results = new ArrayList<>();
        List<IcecastSource> sources = new ArrayList<>();
        try (IcecastServer icecast = IcecastServer.start()) {
            progress("icecast2 on port " + icecast.port());
            List<Watch> watches = new ArrayList<>();
            Instant from = Instant.now().minus(10, ChronoUnit.MINUTES);
            long window = broadcasts.stream().mapToLong(Broadcast::durationMs).max().orElse(0) + 3_600_000L;
            for (int i = 0; i < broadcasts.size(); i++) {
                Broadcast b = broadcasts.get(i);
                String mount = "/live-" + (i + 1) + ".mp3";
                IcecastSource src = IcecastSource.start(icecast, mount, b.audioFile(), IcecastSource.Codec.MP3);
                sources.add(src);
                String station = "live-" + (i + 1) + "-" + b.kind().label();
                BenchApi.createStation(client, station, "Live " + (i + 1), src.listenUrl());
                Watch w = new Watch(station, from, window, src::sendingStartedAt);
                w.uploadedNanos = System.nanoTime();
                w.lastChangeNanos = w.uploadedNanos;
                watches.add(w);
                progress(String.format(Locale.ROOT, "on air: %s -> %s (%.1f min, %s)", b.audioFile().getFileName(),
                        station, b.durationMs() / 60_000.0, src.listenUrl()));
            }
            // first listing of a play of each airing, and the instant each play was first listed as final
            List<Map<Integer, Instant>> firstSeen = new ArrayList<>();
            List<Map<String, Instant>> finalSeen = new ArrayList<>();
            for (int i = 0; i < broadcasts.size(); i++) {
                firstSeen.add(new HashMap<>());
                finalSeen.add(new HashMap<>());
            }
            long longest = broadcasts.stream().mapToLong(Broadcast::durationMs).max().orElse(0);
            Duration timeout = Duration.ofMillis(longest).plus(Duration.ofMinutes(caseTimeoutMinutes));
            Thread observer = Thread.ofPlatform().daemon().name("live-observer").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < watches.size(); i++) {
                        Watch w = watches.get(i);
                        List<ListedPlay> plays = w.plays;
                        Instant now = Instant.now();
                        for (ListedPlay p : plays) {
                            for (Airing a : broadcasts.get(i).truth()) {
                                if (PlayScoring.listsAiring(p, a)) {
                                    firstSeen.get(i).putIfAbsent(a.id(), now);
                                }
                            }
                            if (p.isFinal()) {
                                finalSeen.get(i).putIfAbsent(p.playId(), now);
                            }
                        }
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                waitUntilSettled(client, rt, watches, names, timeout, 1_000,
                        () -> sources.stream().noneMatch(IcecastSource::isAlive));
            } finally {
                observer.interrupt();
            }
            for (int i = 0; i < broadcasts.size(); i++) {
                Broadcast b = broadcasts.get(i);
                Watch w = watches.get(i);
                IcecastSource src = sources.get(i);
                w.poll(client, names);
                Score s = PlayScoring.score(b.truth(), w.plays, MIN_PAID_MS, PAID_TOLERANCE_MS);
                Map<Integer, Double> first = new LinkedHashMap<>();
                Map<Integer, Double> fin = new LinkedHashMap<>();
                for (PlayScoring.AiringResult ar : s.airings()) {
                    if (!ar.found()) {
                        continue;
                    }
                    Instant seen = firstSeen.get(i).get(ar.airing().id());
                    if (seen != null) {
                        first.put(ar.airing().id(),
                                Duration.between(src.instantOf(ar.airing().startMs()), seen).toMillis() / 1000.0);
                    }
                    Instant done = finalSeen.get(i).get(ar.playId());
                    if (done != null) {
                        fin.put(ar.airing().id(),
                                Duration.between(src.instantOf(ar.airing().endMs()), done).toMillis() / 1000.0);
                    }
                }
                JsonNode health = client.get("/stations/" + w.stationId).json().path("health");
                writeRaw(w.stationId, b.truth(), w.raw);
                results.add(new LiveResult(b, w.stationId, s, w.settled, first, fin, health));
                progress(String.format(Locale.ROOT, "%-16s listed %2d, recall %.2f, precision %.2f, first seen p50 "
                                + "%.1f s, final p50 %.1f s%s", w.stationId, s.listed(), s.recall(), s.precision(),
                        PlayScoring.quantile(List.copyOf(first.values()), 0.5),
                        PlayScoring.quantile(List.copyOf(fin.values()), 0.5),
                        w.settled ? "" : " (NOT SETTLED)"));
            }
        } finally {
            sources.forEach(IcecastSource::close);
        }
        return results;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void writeRaw(String stationId, List<Airing> truth, JsonNode plays) {
        try {
            String name = out.getFileName().toString().replaceFirst("\\.md$", "");
            Path dir = (out.getParent() == null ? Path.of(".") : out.getParent()).resolve(name + "-raw");
            Files.createDirectories(dir);
            var w = Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(dir.resolve(stationId + ".truth.json"), w.writeValueAsString(truth));
            Files.writeString(dir.resolve(stationId + ".plays.json"), w.writeValueAsString(plays));
        } catch (IOException e) {
            progress("could not write the raw plays of " + stationId + ": " + e.getMessage());
        }
    }

    private List<Kind> kinds() {
        if (cases.isEmpty()) {
            return List.of(Kind.values());
        }
        if (cases.size() == 1 && cases.get(0).equalsIgnoreCase("none")) {
            return List.of();
        }
        return cases.stream().map(Kind::of).distinct().toList();
    }

    private List<String> commandLine() {
        List<String> a = new ArrayList<>(List.of("scripts/bench-plays", "--seed", String.valueOf(seed), "--minutes",
                String.valueOf(minutes)));
        if (!cases.isEmpty()) {
            a.addAll(List.of("--cases", String.join(",", cases)));
        }
        if (liveStations > 0) {
            a.addAll(List.of("--live-stations", String.valueOf(liveStations), "--live-minutes",
                    String.valueOf(liveMinutes)));
        }
        return a;
    }

    private static String grepWarnings(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> w = lines.filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ (WARN|ERROR) .*")).toList();
            return w.size() + " WARN/ERROR lines" + (w.isEmpty() ? "" : "; first: " + w.get(0));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private double seconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void progress(String line) {
        System.err.println("[bench plays " + LocalTime.now().format(CLOCK) + "] " + line);
    }
}
