package io.spinledger.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded runtime as a user starts it, in a child process: by default the command {@code scripts/run} ends in
 * ({@code io.spinledger.local.LocalRuntime --no-demo --port P --data-dir D}, with {@code DDB_LOCAL_TELEMETRY=0}) on
 * the class path this bench was built with, or any command given as a template with {@code {port}} and
 * {@code {dataDir}} (e.g. {@code scripts/run --no-demo --port {port} --data-dir {dataDir}}). Its output goes to a
 * log file. {@link #close()} stops it (SIGTERM to it and its descendants, so its shutdown hook closes the pipeline;
 * SIGKILL after 30 s).
 */
final class RuntimeProcess implements AutoCloseable {
    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final Thread hook;
    private final Consumer<String> progress;
    private volatile String stopNote = "";

    private RuntimeProcess(Process process, String baseUrl, Path log, Consumer<String> progress) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.progress = progress;
        this.hook = new Thread(() -> stop(), "bench-runtime-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts the runtime on a free loopback port and waits until {@code GET /health} answers 200.
     *
     * @param template     null for the built-in command, else a command line with {@code {port}}, {@code {dataDir}}
     * @param dataDir      the runtime's data directory
     * @param log          where its output goes
     * @param startTimeout how long to wait for health
     * @param progress     progress lines
     * @throws IllegalStateException when it exits or does not answer in time (with the end of its log)
     */
    static RuntimeProcess start(String template, Path dataDir, Path log, Duration startTimeout,
                                Consumer<String> progress) {
        int port = freePort();
        List<String> command = template == null ? builtIn(port, dataDir)
                : Arrays.stream(template.trim().split("\\s+")).map(a -> a.replace("{port}", String.valueOf(port))
                .replace("{dataDir}", dataDir.toString())).toList();
        progress.accept("starting the runtime: " + (template == null
                ? "java ... io.spinledger.local.LocalRuntime " + String.join(" ", command.subList(command.size() - 5,
                command.size())) : String.join(" ", command)) + " (log: " + log + ")");
        Process p;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("DDB_LOCAL_TELEMETRY", "0");
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        RuntimeProcess rt = new RuntimeProcess(p, "http://127.0.0.1:" + port, log, progress);
        long t0 = System.nanoTime();
        long until = t0 + startTimeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!p.isAlive()) {
                rt.close();
                throw new IllegalStateException("the runtime exited with " + p.exitValue() + " before answering:\n"
                        + rt.logTail(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rt.baseUrl + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    progress.accept(String.format(java.util.Locale.ROOT, "runtime up at %s after %.1f s",
                            rt.baseUrl, (System.nanoTime() - t0) / 1e9));
                    return rt;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                rt.close();
                throw new IllegalStateException("interrupted", e);
            }
            if (System.nanoTime() > until) {
                rt.close();
                throw new IllegalStateException("the runtime did not answer GET /health within " + startTimeout
                        + ":\n" + rt.logTail(40));
            }
            sleep(500);
        }
    }

    private static List<String> builtIn(int port, Path dataDir) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        // the bench's class path minus the CLI module itself (its logback.xml would silence the runtime's log)
        String cp = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().normalize().toString().contains("/cli/target/"))
                .reduce((a, b) -> a + java.io.File.pathSeparator + b).orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", cp, "io.spinledger.local.LocalRuntime"));
        cmd.addAll(List.of("--no-demo", "--port", String.valueOf(port), "--data-dir", dataDir.toString()));
        return cmd;
    }

    /** How it stopped (empty while it runs). */
    String stopNote() {
        return stopNote;
    }

    /** Base URL of its HTTP API. */
    String baseUrl() {
        return baseUrl;
    }

    /** Process id of the started command (the runtime's JVM with the built-in command). */
    long pid() {
        return process.pid();
    }

    /** Whether it still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of its log. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL after 30 s; says which it took. */
    private String stop() {
        if (!process.isAlive()) {
            return "the runtime had exited with " + process.exitValue();
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        long t0 = System.nanoTime();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (process.waitFor(30, TimeUnit.SECONDS)) {
                return String.format(java.util.Locale.ROOT, "the runtime stopped %.1f s after SIGTERM (exit %d)",
                        (System.nanoTime() - t0) / 1e9, process.exitValue());
            }
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
            return "the runtime did not stop within 30 s of SIGTERM: killed";
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted while stopping the runtime: killed";
        }
    }

    /** Stops it. Idempotent. */
    @Override
    public void close() {
        if (stopNote.isEmpty()) {
            stopNote = stop();
            progress.accept(stopNote);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            io.spinledger.ports.Sleeper.REAL.sleep(java.time.Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
