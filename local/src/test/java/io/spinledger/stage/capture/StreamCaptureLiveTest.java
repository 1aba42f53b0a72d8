package io.spinledger.stage.capture;

import io.spinledger.config.Settings;
import io.spinledger.local.demo.IcecastServer;
import io.spinledger.local.demo.IcecastSource;
import io.spinledger.local.demo.Playlist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Captures real streams from a real Icecast server fed by ffmpeg, and checks the chunks against the truth of
 * what was sent and when.
 */
class StreamCaptureLiveTest {

    private static final Logger log = LoggerFactory.getLogger(StreamCaptureLiveTest.class);
    private static final int RATE = 11_025;

    @TempDir
    static Path tmp;
    static IcecastServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = IcecastServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private static Settings.Capture settings(long chunkMs, long overlapMs, long connectTimeoutMs, long maxBackoffMs) {
        return new Settings.Capture(chunkMs, overlapMs, 300_000, 5_000, RATE, connectTimeoutMs, maxBackoffMs);
    }

    /** Everything a listener saw, in order. */
    static final class Recorder implements CaptureListener {
        record Event(String type, Instant at, String message, int consecutive, Instant next, ChunkAudio chunk) {
        }

        final List<Event> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onConnected(String url, Instant at) {
            events.add(new Event("connected", at, url, 0, null, null));
        }

        @Override
        public void onAudio(Instant lastAudioAt) {
            events.add(new Event("audio", lastAudioAt, null, 0, null, null));
        }

        @Override
        public void onSilence(ChunkAudio chunk) {
            events.add(new Event("silence", Instant.now(), null, 0, null, chunk));
        }

        @Override
        public void onError(String message, int consecutiveErrors, Instant nextAttemptAt) {
            events.add(new Event("error", Instant.now(), message, consecutiveErrors, nextAttemptAt, null));
        }

        @Override
        public void onChunk(ChunkAudio chunk) {
            events.add(new Event("chunk", Instant.now(), null, 0, null, chunk));
        }

        List<Event> of(String type) {
            synchronized (events) {
                return events.stream().filter(e -> e.type().equals(type)).toList();
            }
        }

        /** Chunks grouped by the connection that produced them. */
        List<List<ChunkAudio>> chunksPerConnection() {
            List<List<ChunkAudio>> out = new ArrayList<>();
            synchronized (events) {
                for (Event e : events) {
                    if (e.type().equals("connected")) {
                        out.add(new ArrayList<>());
                    } else if (e.type().equals("chunk")) {
                        out.getLast().add(e.chunk());
                    }
                }
            }
            return out;
        }
    }

    /** The chunks of one connection laid back onto one timeline: overlaps dropped, sample-exact. */
    private static float[] timeline(List<ChunkAudio> chunks, int hopSamples) {
        ChunkAudio last = chunks.getLast();
        int length = (chunks.size() - 1) * hopSamples + last.samples().length;
        float[] out = new float[length];
        for (int k = 0; k < chunks.size(); k++) {
            float[] s = chunks.get(k).samples();
            System.arraycopy(s, 0, out, k * hopSamples, s.length);
        }
        return out;
    }

    /** Start sample and length of the longest run of 50 ms windows quieter than {@code rms}. */
    private static int[] longestQuietRun(float[] audio, double rms) {
        int window = RATE / 20;
        int bestStart = -1;
        int bestLen = 0;
        int runStart = -1;
        for (int w = 0; w + window <= audio.length; w += window) {
            boolean quiet = ChunkAudio.rms(audio, w, window) < rms;
            if (quiet && runStart < 0) {
                runStart = w;
            }
            if (!quiet || w + 2 * window > audio.length) {
                int end = quiet ? w + window : w;
                if (runStart >= 0 && end - runStart > bestLen) {
                    bestLen = end - runStart;
                    bestStart = runStart;
                }
                runStart = quiet ? runStart : -1;
            }
        }
        return new int[] {bestStart, bestLen};
    }

    private static double rmsBetween(float[] audio, Instant timelineStart, Instant from, Instant to) {
        int a = (int) Math.max(0, Duration.between(timelineStart, from).toNanos() * RATE / 1_000_000_000L);
        int b = (int) Math.min(audio.length, Duration.between(timelineStart, to).toNanos() * RATE / 1_000_000_000L);
        return ChunkAudio.rms(audio, a, Math.max(0, b - a));
    }

    @Test
    void capturesALiveMp3StationIntoContiguousOverlappingChunksAtTheRightInstants() throws Exception {
        Playlist.Rendered show = new Playlist()
                .music(Playlist.wesnothMusic("battle.ogg"), 20_000, 12_000)
                .silence(2_000)
                .speech("You are listening to SpinLedger test radio. Now, more music.")
                .music(Playlist.wesnothMusic("frantic.ogg"), 20_000, 12_000)
                .render(tmp.resolve("live"));
        Playlist.Segment silence = show.segments().get(1);
        Playlist.Segment speech = show.segments().get(2);
        Playlist.Segment music2 = show.segments().get(3);

        Recorder recorder = new Recorder();
        List<ChunkAudio> sunk = new ArrayList<>();
        StreamCapture capture = new StreamCapture(settings(10_000, 2_000, 3_000, 4_000));
        long processCpuBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        CaptureResult result;
        Instant feedEnd;
        Instant sent;
        try (IcecastSource source = IcecastSource.start(server, "live.mp3", show, IcecastSource.Codec.MP3)) {
            Instant deadline = source.sendingStartedAt().plusMillis(show.durationMs() + 3_000);
            result = capture.capture("test-fm", source.listenUrl(), deadline, sunk::add, recorder);
            feedEnd = source.instantOf(show.durationMs());
            sent = source.sendingStartedAt();
            log.info("truth: sending started {} (process started {})", source.sendingStartedAt(),
                    source.processStartedAt());
        }
        double wallS = (System.nanoTime() - wallBefore) / 1e9;
        double processCpuS = (processCpuNanos() - processCpuBefore) / 1e9;
        log.info("capture CPU: thread {} ms over {} ms audio ({}%); whole test JVM "
                 + "{} s CPU / {} s wall", result.cpuMs(), result.audioMs(),
                String.format("%.2f", 100.0 * result.cpuMs() / Math.max(1, result.connectedMs())),
                String.format("%.2f", processCpuS), String.format("%.1f", wallS));

        // one connection, then the feed ended: an error, and reconnect attempts that found no mount
        assertThat(result.connections()).isEqualTo(1);
        assertThat(result.errors()).isGreaterThanOrEqualTo(1);
        assertThat(recorder.of("error").getFirst().message()).contains("stream ended");
        assertThat(recorder.of("connected")).hasSize(1);
        assertThat(recorder.of("audio")).hasSizeGreaterThan(20);
        assertThat(result.bytesRead()).isGreaterThan(300_000); // ~30 s at 128 kbit/s = 480 kB

        // chunks: 10 s windows every 8 s, sample-exact, in order, no gaps
        List<ChunkAudio> chunks = recorder.chunksPerConnection().getFirst();
        assertThat(sunk).isEqualTo(chunks);
        assertThat(result.chunks()).isEqualTo(chunks.size());
        assertThat(chunks).hasSizeBetween(4, 5);
        for (int k = 0; k + 1 < chunks.size(); k++) {
            assertThat(chunks.get(k).samples()).hasSize(110_250);
            assertThat(chunks.get(k).sampleRateHz()).isEqualTo(RATE);
            assertThat(Duration.between(chunks.get(k).startedAt(), chunks.get(k + 1).startedAt()))
                    .isEqualTo(Duration.ofSeconds(8));
            for (int i = 0; i < 22_050; i++) { // the 2 s overlap holds the very same samples
                if (chunks.get(k).samples()[88_200 + i] != chunks.get(k + 1).samples()[i]) {
                    throw new AssertionError("overlap differs in chunk " + k + " at " + i);
                }
            }
        }
        Instant firstSample = chunks.getFirst().startedAt();
        Instant lastSampleEnd = chunks.getLast().endedAt();

        // captured duration matches the wall clock the feed was live while we listened
        long capturedMs = Duration.between(firstSample, lastSampleEnd).toMillis();
        long liveMs = Duration.between(firstSample, feedEnd).toMillis();
        log.info("captured {} ms of audio, feed was live for {} ms after our first sample; connected {} ms",
                capturedMs, liveMs, result.connectedMs());
        assertThat(capturedMs).isCloseTo(liveMs, org.assertj.core.data.Offset.offset(2_000L));
        assertThat(result.audioMs()).isCloseTo(capturedMs, org.assertj.core.data.Offset.offset(100L));

        // timing: the 2 s of silence is where the truth says it was sent
        float[] audio = timeline(chunks, 88_200);
        int[] quiet = longestQuietRun(audio, 0.001);
        Instant quietAt = firstSample.plusNanos(quiet[0] * 1_000_000_000L / RATE);
        Instant truthAt = sent.plusMillis(silence.startMs());
        long errorMs = Duration.between(truthAt, quietAt).toMillis();
        log.info("silence found at {} for {} ms; truth {} -> capture instants are {} ms late", quietAt,
                quiet[1] * 1000L / RATE, truthAt, errorMs);
        assertThat(quiet[1] * 1000L / RATE).isBetween(1_700L, 2_300L);
        assertThat(Math.abs(errorMs)).isLessThan(1_000L);

        // content: music and speech carry energy where the truth puts them, the silence does not
        double musicRms = rmsBetween(audio, firstSample, sent.plusMillis(music2.startMs() + 500),
                sent.plusMillis(music2.endMs() - 500));
        double speechRms = rmsBetween(audio, firstSample, sent.plusMillis(speech.startMs() + 300),
                sent.plusMillis(speech.endMs() - 300));
        double silenceRms = rmsBetween(audio, firstSample, sent.plusMillis(silence.startMs() + 300),
                sent.plusMillis(silence.endMs() - 300));
        log.info("RMS: music {} speech {} silence {}", musicRms, speechRms, silenceRms);
        assertThat(musicRms).isGreaterThan(0.05);
        assertThat(speechRms).isGreaterThan(0.01);
        assertThat(silenceRms).isLessThan(0.001);
        assertThat(chunks).allSatisfy(c -> assertThat(c.silent()).isFalse());
    }


    @Test
    void capturesAnOggVorbisMount() throws Exception {
        Playlist.Rendered show = new Playlist().music(Playlist.wesnothMusic("elvish-theme.ogg"), 30_000, 9_000)
                .render(tmp.resolve("ogg"));
        Recorder recorder = new Recorder();
        List<ChunkAudio> chunks = new ArrayList<>();
        CaptureResult result;
        try (IcecastSource source = IcecastSource.start(server, "live.ogg", show, IcecastSource.Codec.OGG_VORBIS)) {
            Instant deadline = source.sendingStartedAt().plusMillis(show.durationMs() - 500);
            result = new StreamCapture(settings(4_000, 1_000, 3_000, 4_000))
                    .capture("ogg-fm", source.listenUrl(), deadline, chunks::add, recorder);
        }
        assertThat(result.connections()).isEqualTo(1);
        assertThat(result.errors()).isZero();
        // Ogg pages carry about a second of audio each, so the last page before the deadline may not be in
        assertThat(result.audioMs()).isBetween(5_000L, 9_000L);
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(2);
        for (int k = 0; k + 1 < chunks.size(); k++) {
            assertThat(Duration.between(chunks.get(k).startedAt(), chunks.get(k + 1).startedAt()))
                    .isEqualTo(Duration.ofSeconds(3));
        }
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.silent()).isFalse();
            assertThat(c.rms()).isGreaterThan(0.02);
        });
    }

    @Test
    void aDeadStreamBacksOffExponentiallyAndReturnsAtTheDeadlineWithoutThrowing() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            deadPort = s.getLocalPort();
        }
        Recorder recorder = new Recorder();
        List<ChunkAudio> chunks = new ArrayList<>();
        StreamCapture capture = new StreamCapture(settings(10_000, 2_000, 2_000, 4_000));
        Instant started = Instant.now();
        Instant deadline = started.plusSeconds(8);
        CaptureResult[] result = new CaptureResult[1];
        assertThatCode(() -> result[0] = capture.capture("dead-fm", "http://127.0.0.1:" + deadPort + "/live.mp3",
                deadline, chunks::add, recorder)).doesNotThrowAnyException();
        Instant returned = Instant.now();

        // attempts at about 0, 1, 3 and 7 s; the next (15 s) would be past the deadline
        assertThat(returned).isBetween(deadline.minusMillis(1_500), deadline.plusMillis(2_500));
        assertThat(result[0].errors()).isEqualTo(4);
        assertThat(result[0].connections()).isZero();
        assertThat(result[0].chunks()).isZero();
        assertThat(result[0].lastError()).contains("cannot open stream");
        assertThat(chunks).isEmpty();
        List<Recorder.Event> errors = recorder.of("error");
        assertThat(errors).extracting(Recorder.Event::consecutive).containsExactly(1, 2, 3, 4);
        assertThat(errors.getLast().next()).isNull(); // gave up for this segment
        List<Long> waitsMs = errors.subList(0, errors.size() - 1).stream()
                .map(e -> Duration.between(e.at(), e.next()).toMillis()).toList();
        log.info("reconnect waits: {} ms", waitsMs);
        assertThat(waitsMs).hasSize(3);
        assertThat(waitsMs.get(0)).isBetween(900L, 1_050L);
        assertThat(waitsMs.get(1)).isBetween(1_900L, 2_050L);
        assertThat(waitsMs.get(2)).isBetween(3_900L, 4_050L);
        // attempts really happened at those times
        for (int i = 1; i < errors.size(); i++) {
            assertThat(errors.get(i).at()).isAfterOrEqualTo(errors.get(i - 1).next());
        }

        // a URL FFmpeg cannot even parse is just another error
        CaptureResult garbage = new StreamCapture(settings(10_000, 2_000, 1_000, 1_000))
                .capture("garbage-fm", "nope://\\", Instant.now().plusMillis(500), chunks::add, null);
        assertThat(garbage.errors()).isEqualTo(1);
        assertThat(garbage.chunks()).isZero();
    }

    @Test
    void aSourceThatDiesIsReconnectedAndTheGapStaysVisible() throws Exception {
        Playlist.Rendered show = new Playlist().music(Playlist.wesnothMusic("frantic.ogg"), 0, 40_000)
                .render(tmp.resolve("dies"));
        Recorder recorder = new Recorder();
        List<ChunkAudio> chunks = new ArrayList<>();
        StreamCapture capture = new StreamCapture(settings(4_000, 1_000, 2_000, 8_000));
        IcecastSource first = IcecastSource.start(server, "dies.mp3", show, IcecastSource.Codec.MP3);
        IcecastSource[] second = new IcecastSource[1];
        Instant t0 = Instant.now();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        CaptureResult result;
        try {
            scheduler.schedule(first::kill, 7, TimeUnit.SECONDS);
            scheduler.schedule(() -> {
                second[0] = IcecastSource.start(server, "dies.mp3", show, IcecastSource.Codec.MP3);
                return null;
            }, 9, TimeUnit.SECONDS);
            result = capture.capture("dies-fm", first.listenUrl(), t0.plusSeconds(19), chunks::add, recorder);
        } finally {
            scheduler.shutdownNow();
            scheduler.awaitTermination(15, TimeUnit.SECONDS);
            first.stop();
            if (second[0] != null) {
                second[0].stop();
            }
        }
        log.info("events: {}", recorder.events.stream().filter(e -> !e.type().equals("audio"))
                .map(e -> e.type() + (e.message() == null ? "" : "(" + e.message() + ")")).toList());

        // killed at 7 s: the stream ends; the mount is gone (404) until the new source is up at about 9.3 s;
        // waits of 1 and 2 s put the reconnect at about 10 s
        assertThat(result.connections()).isEqualTo(2);
        assertThat(result.errors()).isBetween(2, 3);
        List<Recorder.Event> errors = recorder.of("error");
        assertThat(errors.getFirst().message()).containsAnyOf("stream ended", "read/decode error");
        assertThat(errors.get(1).message()).contains("cannot open stream");
        assertThat(errors).allSatisfy(e -> assertThat(e.next()).isNotNull());

        List<List<ChunkAudio>> perConnection = recorder.chunksPerConnection();
        assertThat(perConnection).hasSize(2);
        List<ChunkAudio> before = perConnection.get(0);
        List<ChunkAudio> after = perConnection.get(1);
        assertThat(before).hasSizeGreaterThanOrEqualTo(2);
        assertThat(after).hasSizeGreaterThanOrEqualTo(2);
        // the gap is a fact: the second connection's first chunk starts well after the first one's last ended
        Duration gap = Duration.between(before.getLast().endedAt(), after.getFirst().startedAt());
        log.info("gap between connections: {} ms", gap.toMillis());
        assertThat(gap).isBetween(Duration.ofMillis(1_500), Duration.ofMillis(5_000));
        for (List<ChunkAudio> run : perConnection) {
            for (int k = 0; k + 1 < run.size(); k++) {
                assertThat(Duration.between(run.get(k).startedAt(), run.get(k + 1).startedAt()))
                        .isEqualTo(Duration.ofSeconds(3));
            }
        }
        assertThat(chunks).hasSize(before.size() + after.size());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndCancelStopsTheCapture() throws Exception {
        try (ServerSocket mute = new ServerSocket()) {
            mute.bind(new InetSocketAddress("127.0.0.1", 0));
            List<java.net.Socket> accepted = Collections.synchronizedList(new ArrayList<>());
            List<Instant> acceptedAt = Collections.synchronizedList(new ArrayList<>());
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept()); // accept, then never say a word
                        acceptedAt.add(Instant.now());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            Recorder recorder = new Recorder();
            StreamCapture capture = new StreamCapture(settings(10_000, 2_000, 1_000, 4_000));
            Instant started = Instant.now();
            Instant[] cancelledAt = new Instant[1];
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            scheduler.schedule(() -> {
                cancelledAt[0] = Instant.now();
                capture.cancel();
            }, 3_500, TimeUnit.MILLISECONDS);
            CaptureResult result = capture.capture("mute-fm", "http://127.0.0.1:" + mute.getLocalPort() + "/live.mp3",
                    started.plusSeconds(60), c -> { }, recorder);
            Instant returned = Instant.now();
            scheduler.shutdownNow();

            // every attempt gives up after the 1 s read timeout (JavaCV opens a failing input twice, so up to 2 s)
            List<Recorder.Event> errors = recorder.of("error");
            log.info("mute server: {} connections accepted, errors at {}", accepted.size(),
                    errors.stream().map(e -> Duration.between(started, e.at()).toMillis()).toList());
            assertThat(errors).hasSizeBetween(1, 2);
            assertThat(errors).allSatisfy(e -> assertThat(e.message()).contains("timed out"));
            assertThat(Duration.between(acceptedAt.getFirst(), errors.getFirst().at()))
                    .isBetween(Duration.ofMillis(900), Duration.ofMillis(2_600));
            assertThat(result.errors()).isEqualTo(errors.size());
            // cancel() ends the capture at the latest when the blocked open times out
            assertThat(result.cancelled()).isTrue();
            assertThat(Duration.between(cancelledAt[0], returned)).isLessThan(Duration.ofMillis(2_600));
            mute.close();
            acceptor.join(2_000);
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
