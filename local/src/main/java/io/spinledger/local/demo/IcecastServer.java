package io.spinledger.local.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Icecast 2 server on loopback for tests: {@code try (IcecastServer server = IcecastServer.start())}.
 *
 * <p>It binds 127.0.0.1 on a free port, with random source/admin passwords, and with burst-on-connect off, so
 * a listener receives live audio only (what it hears was sent after it connected). Config, logs and pid live
 * in a temporary directory that {@link #stop()} deletes. Icecast refuses to run as root, so when the test runs
 * as root the config tells it to switch to the {@code icecast2} user (or {@code nobody}) and the directory is
 * made writable for that user. Requires {@code /usr/bin/icecast2} ({@code scripts/install-deps.sh}).
 */
public final class IcecastServer implements AutoCloseable {

    /** Loopback address the server binds. */
    public static final String HOST = "127.0.0.1";

    private final Path dir;
    private final int port;
    private final String sourcePassword;
    private final String adminPassword;
    private final Process process;
    private final Thread shutdownHook;

    private IcecastServer(Path dir, int port, String sourcePassword, String adminPassword, Process process) {
        this.dir = dir;
        this.port = port;
        this.sourcePassword = sourcePassword;
        this.adminPassword = adminPassword;
        this.process = process;
        this.shutdownHook = new Thread(process::destroyForcibly, "icecast-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Writes a config, starts {@code icecast2 -c <config>} and waits (up to 10 s) until its port answers.
     *
     * @throws IllegalStateException when icecast2 is not installed
     * @throws IOException           when it does not start; the message holds its error log
     */
    public static IcecastServer start() throws IOException {
        return start(20);
    }

    /**
     * Like {@link #start()}, with room for {@code maxSources} mounts at once (and twice as many listeners, plus ten),
     * at least the defaults (20 sources, 100 clients).
     *
     * @throws IOException when it does not start; the message holds its error log
     */
    public static IcecastServer start(int maxSources) throws IOException {
        Path icecast = ExternalTools.require("icecast2");
        Path dir = Files.createTempDirectory("icecast-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        String sourcePassword = "src-" + UUID.randomUUID().toString().substring(0, 8);
        String adminPassword = "adm-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = dir.resolve("icecast.xml");
        Files.writeString(config, config(dir, port, sourcePassword, adminPassword, Math.max(20, maxSources)),
                StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(icecast.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        IcecastServer server = new IcecastServer(dir, port, sourcePassword, adminPassword, process);
        try {
            server.awaitPort(10_000);
        } catch (IOException | RuntimeException e) {
            String logs = server.logs();
            server.stop();
            throw new IOException("icecast2 did not start on port " + port + ": " + e.getMessage() + "\n" + logs, e);
        }
        return server;
    }

    private static String config(Path dir, int port, String sourcePassword, String adminPassword, int sources) {
        String security = runningAsRoot()
                ? "<security><chroot>0</chroot><changeowner><user>" + unprivilegedUser() + "</user><group>"
                  + groupOf(unprivilegedUser()) + "</group></changeowner></security>"
                : "<security><chroot>0</chroot></security>";
        return """
                <icecast>
                  <location>SpinLedger test</location>
                  <admin>test@localhost</admin>
                  <hostname>%1$s</hostname>
                  <limits>
                    <clients>%7$d</clients><sources>%8$d</sources><queue-size>%9$d</queue-size>
                    <client-timeout>30</client-timeout><header-timeout>15</header-timeout>
                    <source-timeout>5</source-timeout>
                    <burst-on-connect>0</burst-on-connect><burst-size>0</burst-size>
                  </limits>
                  <authentication>
                    <source-password>%3$s</source-password><relay-password>%3$s</relay-password>
                    <admin-user>admin</admin-user><admin-password>%4$s</admin-password>
                  </authentication>
                  <listen-socket><port>%2$d</port><bind-address>%1$s</bind-address></listen-socket>
                  <fileserve>0</fileserve>
                  <paths>
                    <basedir>/usr/share/icecast2</basedir><webroot>/usr/share/icecast2/web</webroot>
                    <adminroot>/usr/share/icecast2/admin</adminroot>
                    <logdir>%5$s</logdir><pidfile>%5$s/icecast.pid</pidfile>
                  </paths>
                  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>3</loglevel></logging>
                  %6$s
                </icecast>
                """.formatted(HOST, port, sourcePassword, adminPassword, dir, security,
                Math.max(100, 2 * sources + 10), sources, sources > 20 ? 1_048_576 : 524_288);
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String unprivilegedUser() {
        return passwdEntry("icecast2").isPresent() ? "icecast2" : "nobody";
    }

    /** Name of the user's primary group, from /etc/passwd and /etc/group. */
    private static String groupOf(String user) {
        String gid = passwdEntry(user).map(f -> f[3]).orElse("65534");
        try (Stream<String> lines = Files.lines(Path.of("/etc/group"))) {
            return lines.map(l -> l.split(":")).filter(f -> f.length > 2 && f[2].equals(gid)).map(f -> f[0])
                    .findFirst().orElse("nogroup");
        } catch (IOException e) {
            return "nogroup";
        }
    }

    private static Optional<String[]> passwdEntry(String user) {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":")).filter(f -> f.length > 3 && f[0].equals(user)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    private void awaitPort(long timeoutMs) throws IOException {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("icecast2 exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw new IOException("port " + port + " not answering after " + timeoutMs + " ms");
                }
                sleep(50);
            }
        }
    }

    /** Process id of the icecast2 server (for CPU accounting). */
    public long pid() {
        return process.pid();
    }

    /** TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Password a source must present. */
    public String sourcePassword() {
        return sourcePassword;
    }

    /** Listener URL of a mount, e.g. {@code http://127.0.0.1:8123/live.mp3} for mount {@code live.mp3}. */
    public String listenUrl(String mount) {
        return "http://" + HOST + ":" + port + "/" + strip(mount);
    }

    /** URL an ffmpeg source publishes to: {@code icecast://source:<password>@127.0.0.1:<port>/<mount>}. */
    public String sourceUrl(String mount) {
        return "icecast://source:" + sourcePassword + "@" + HOST + ":" + port + "/" + strip(mount);
    }

    /** Whether a source is currently connected to {@code mount} (asks the admin interface). */
    public boolean hasMount(String mount) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + HOST + ":" + port + "/admin/listmounts")
                    .toURL().openConnection();
            c.setConnectTimeout(1_000);
            c.setReadTimeout(2_000);
            c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)));
            try (var in = c.getInputStream()) {
                String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return xml.contains("mount=\"/" + strip(mount) + "\"");
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Waits until a source is connected to {@code mount}.
     *
     * @throws IllegalStateException when it is not there after {@code timeoutMs}
     */
    public void awaitMount(String mount, long timeoutMs) {
        long until = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!hasMount(mount)) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("mount /" + strip(mount) + " not up after " + timeoutMs + " ms\n"
                        + logs());
            }
            sleep(50);
        }
    }

    /** Directory holding config and logs (deleted by {@link #stop()}). */
    public Path dir() {
        return dir;
    }

    /** The server's error log and console output so far, for failure messages. */
    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (String name : new String[] {"stdout.log", "error.log"}) {
            try {
                sb.append("--- ").append(name).append('\n').append(Files.readString(dir.resolve(name)));
            } catch (IOException e) {
                sb.append("--- ").append(name).append(" unreadable: ").append(e.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its directory. Idempotent. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
        deleteTree(dir);
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static String strip(String mount) {
        return mount.startsWith("/") ? mount.substring(1) : mount;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }
}
