package io.spinledger.local.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live source for an {@link IcecastServer} mount: {@code ffmpeg -re} encodes a rendered {@link Playlist} (or
 * any audio file) in real time and publishes it, like a station's playout feeding its streaming server.
 *
 * <p><b>Truth.</b> {@link #segments()} gives each segment's offset from the start of the feed (exact), and
 * {@link #sendingStartedAt()} the wall-clock instant the first sample was sent, so segment {@code s} aired at
 * {@code sendingStartedAt() + s.startMs()}. That instant is an estimate: ffmpeg reports, several times a
 * second, how much media it has sent ({@code -progress}); since {@code -re} sends no faster than real time,
 * {@code reportTime - mediaSent} bounds the start from above, and the smallest bound is kept. Before the
 * first report it is the process start plus 100 ms. Expected error: tens of milliseconds late (process and
 * encoder start-up, report granularity), plus the MP3 encoder's priming delay (about 25 ms).
 */
public final class IcecastSource implements AutoCloseable {

    /** How the feed is encoded. */
    public enum Codec {
        /** MP3 128 kbit/s, 44.1 kHz stereo, {@code audio/mpeg}. */
        MP3("libmp3lame", "mp3", "audio/mpeg"),
        /** Ogg Vorbis (quality 3, about 112 kbit/s), 44.1 kHz stereo, {@code application/ogg}. */
        OGG_VORBIS("libvorbis", "ogg", "application/ogg"),
        /** An MP3 file passed through unchanged ({@code -c copy}): no decoding or encoding, the cheapest feed. */
        MP3_COPY("copy", "mp3", "audio/mpeg");

        private final String encoder;
        private final String muxer;
        private final String contentType;

        Codec(String encoder, String muxer, String contentType) {
            this.encoder = encoder;
            this.muxer = muxer;
            this.contentType = contentType;
        }
    }

    private final Process process;
    private final String listenUrl;
    private final List<Playlist.Segment> segments;
    private final long durationMs;
    private final Instant processStartedAt;
    private final Instant nanoBaseWall;
    private final long nanoBase;
    private final AtomicLong bestStartNanos = new AtomicLong(Long.MAX_VALUE);
    private final long fallbackStartNanos;
    private final Path log;

    private IcecastSource(Process process, String listenUrl, List<Playlist.Segment> segments, long durationMs,
                          Instant processStartedAt, Instant nanoBaseWall, long nanoBase, long startNanos, Path log) {
        this.process = process;
        this.listenUrl = listenUrl;
        this.segments = List.copyOf(segments);
        this.durationMs = durationMs;
        this.processStartedAt = processStartedAt;
        this.nanoBaseWall = nanoBaseWall;
        this.nanoBase = nanoBase;
        this.fallbackStartNanos = startNanos;
        this.log = log;
    }

    /**
     * Starts feeding a rendered playlist to {@code mount} and waits (up to 10 s) until the server lists the mount.
     *
     * @throws IllegalStateException when ffmpeg is missing or the mount does not come up
     * @throws IOException           when ffmpeg cannot be started
     */
    public static IcecastSource start(IcecastServer server, String mount, Playlist.Rendered playlist, Codec codec)
            throws IOException {
        return start(server, mount, playlist.wav(), playlist.segments(), playlist.durationMs(), codec, 0);
    }

    /**
     * Starts feeding any audio file (as a single segment of unknown length, {@code durationMs} -1).
     *
     * @see #start(IcecastServer, String, Playlist.Rendered, Codec)
     */
    public static IcecastSource start(IcecastServer server, String mount, Path audioFile, Codec codec)
            throws IOException {
        return start(server, mount, audioFile, List.of(), -1, codec, 0);
    }

    /**
     * Feeds an audio file for at most {@code maxSeconds} (ffmpeg's {@code -t}; 0 = all of it), e.g. a pre-encoded MP3
     * with {@link Codec#MP3_COPY}.
     *
     * @see #start(IcecastServer, String, Playlist.Rendered, Codec)
     */
    public static IcecastSource start(IcecastServer server, String mount, Path audioFile, Codec codec,
                                      double maxSeconds) throws IOException {
        return start(server, mount, audioFile, List.of(), -1, codec, maxSeconds);
    }

    private static IcecastSource start(IcecastServer server, String mount, Path input, List<Playlist.Segment> segments,
                                       long durationMs, Codec codec, double maxSeconds) throws IOException {
        Path ffmpeg = ExternalTools.require("ffmpeg");
        Path log = Files.createTempFile("icecast-source-", ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
                "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-stats_period", "0.1",
                "-re", "-i", input.toString(), "-vn",
                "-c:a", codec.encoder));
        if (maxSeconds > 0) {
            cmd.addAll(List.of("-t", String.format(java.util.Locale.ROOT, "%.3f", maxSeconds)));
        }
        if (codec == Codec.MP3) {
            cmd.addAll(List.of("-b:a", "128k", "-ar", "44100", "-ac", "2"));
        } else if (codec == Codec.OGG_VORBIS) {
            cmd.addAll(List.of("-q:a", "3", "-ar", "44100", "-ac", "2"));
        }
        cmd.addAll(List.of("-content_type", codec.contentType, "-ice_name",
                "SpinLedger test " + mount, "-f", codec.muxer, server.sourceUrl(mount)));
        Instant wall = Instant.now();
        long nanos = System.nanoTime();
        Process process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        process.getOutputStream().close();
        IcecastSource source = new IcecastSource(process, server.listenUrl(mount), segments, durationMs, wall, wall,
                nanos, nanos + 100_000_000L, log);
        Thread.ofPlatform().daemon().name("icecast-source-progress-" + mount).start(source::readProgress);
        try {
            server.awaitMount(mount, 10_000);
        } catch (RuntimeException e) {
            String err = source.log();
            source.stop();
            throw new IllegalStateException(e.getMessage() + "\nffmpeg: " + err, e);
        }
        return source;
    }

    /** Reads ffmpeg's {@code -progress} lines and keeps the smallest {@code now - out_time} bound. */
    private void readProgress() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                if (line.startsWith("out_time_us=")) {
                    try {
                        long outUs = Long.parseLong(line.substring("out_time_us=".length()).trim());
                        if (outUs > 0) {
                            bestStartNanos.accumulateAndGet(now - outUs * 1000L, Math::min);
                        }
                    } catch (NumberFormatException ignored) {
                        // "N/A" before the first packet
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Listener URL of the mount being fed. */
    public String listenUrl() {
        return listenUrl;
    }

    /** The playlist's segments with their offsets from the start of the feed (empty for a plain file). */
    public List<Playlist.Segment> segments() {
        return segments;
    }

    /** Length of the feed in ms, or -1 when unknown (plain file). */
    public long durationMs() {
        return durationMs;
    }

    /** Wall-clock instant the ffmpeg process was started. */
    public Instant processStartedAt() {
        return processStartedAt;
    }

    /** Best estimate of the wall-clock instant the feed's first sample was sent (see the class comment). */
    public Instant sendingStartedAt() {
        long best = bestStartNanos.get();
        return nanoBaseWall.plusNanos((best == Long.MAX_VALUE ? fallbackStartNanos : best) - nanoBase);
    }

    /** Wall-clock instant at which the feed's offset {@code offsetMs} was sent. */
    public Instant instantOf(long offsetMs) {
        return sendingStartedAt().plusMillis(offsetMs);
    }

    /** Process id of the feeding ffmpeg (for CPU accounting). */
    public long pid() {
        return process.pid();
    }

    /** Whether ffmpeg is still feeding. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the feed ends by itself; false on timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the source abruptly (SIGKILL), as when a playout machine dies; the mount disappears. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ffmpeg's error output so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the feed (SIGTERM, then SIGKILL after 3 s). Idempotent. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
