package io.spinledger.cli.bench;

import io.spinledger.local.demo.IcecastServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Many live Icecast sources from one thread: each feed sends a pre-encoded constant-bitrate MP3 file to its mount
 * ({@code PUT /mount}, the source protocol ffmpeg's {@code icecast://} speaks) at real-time pace (file bytes / audio
 * length), with no decoding or encoding: what {@code ffmpeg -re -c copy} does, for a fraction of the CPU. Every 100 ms
 * the thread tops each feed up to the bytes due by then, so a feed runs at most 100 ms ahead of real time. The
 * thread's CPU time is {@link #cpuNanos()}.
 */
final class Mp3Feeds implements AutoCloseable {
    private static final long TICK_MS = 100;

    /** One mount being fed. */
    final class Feed {
        private final String listenUrl;
        private final Socket socket;
        private final OutputStream out;
        private final byte[] bytes;
        private final double bytesPerMs;
        private final long limitBytes;
        private volatile long startNanos;
        private final Instant startWall;
        private final long startNanosWall;
        private long sent;
        private volatile boolean alive = true;

        private Feed(String listenUrl, Socket socket, byte[] bytes, long durationMs, long feedMs) {
            this.listenUrl = listenUrl;
            this.socket = socket;
            try {
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.bytes = bytes;
            this.bytesPerMs = (double) bytes.length / durationMs;
            this.limitBytes = Math.min(bytes.length, Math.round(bytesPerMs * feedMs));
            this.startWall = Instant.now();
            this.startNanosWall = System.nanoTime();
            this.startNanos = startNanosWall;
        }

        /** Listener URL of the mount. */
        String listenUrl() {
            return listenUrl;
        }

        /** Wall-clock instant the first byte was sent. */
        Instant sendingStartedAt() {
            return startWall.plusNanos(startNanos - startNanosWall);
        }

        /** Wall-clock instant offset {@code ms} of the file was sent. */
        Instant instantOf(long ms) {
            return sendingStartedAt().plusMillis(ms);
        }

        /** Whether it still sends. */
        boolean isAlive() {
            return alive;
        }

        /** Sends what is due; false once done (all sent, or the server dropped it). */
        private boolean pump(long now) {
            long due = Math.min(limitBytes, Math.round((now - startNanos) / 1e6 * bytesPerMs));
            try {
                if (due > sent) {
                    out.write(bytes, (int) sent, (int) (due - sent));
                    sent = due;
                }
            } catch (IOException e) {
                stop();
                return false;
            }
            if (sent >= limitBytes) {
                stop();
                return false;
            }
            return true;
        }

        /** Stops feeding: the mount goes away. */
        void stop() {
            alive = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private final List<Feed> feeds = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the feeding thread (idle until a feed is added). */
    Mp3Feeds() {
        thread = Thread.ofPlatform().daemon().name("mp3-feeds").start(this::run);
    }

    /**
     * Connects a source to {@code mount} and feeds {@code mp3} (constant bitrate, {@code durationMs} of audio) for
     * {@code feedMs} at most; waits until the server lists the mount.
     *
     * @throws IOException when the server cannot be reached
     */
    Feed start(IcecastServer server, String mount, Path mp3, long durationMs, long feedMs) throws IOException {
        byte[] bytes = Files.readAllBytes(mp3);
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(IcecastServer.HOST, server.port()), 5_000);
        socket.setTcpNoDelay(true);
        String m = mount.startsWith("/") ? mount : "/" + mount;
        String auth = Base64.getEncoder().encodeToString(("source:" + server.sourcePassword())
                .getBytes(StandardCharsets.UTF_8));
        String head = "PUT " + m + " HTTP/1.1\r\nHost: " + IcecastServer.HOST + ":" + server.port() + "\r\n"
                + "Authorization: Basic " + auth + "\r\nContent-Type: audio/mpeg\r\nIce-Public: 0\r\n"
                + "Ice-Name: SpinLedger capacity " + m + "\r\nUser-Agent: spinledger-bench\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        Feed f = new Feed(server.listenUrl(m), socket, bytes, durationMs, feedMs);
        feeds.add(f);
        server.awaitMount(m, 10_000);
        return f;
    }

    /** CPU time of the feeding thread so far, ns. */
    long cpuNanos() {
        long t = ManagementFactory.getThreadMXBean().getThreadCpuTime(thread.threadId());
        return Math.max(0, t);
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            for (Feed f : feeds) {
                if (f.isAlive() && !f.pump(now)) {
                    feeds.remove(f);
                }
            }
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops every feed and the thread. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        feeds.forEach(Feed::stop);
    }
}
