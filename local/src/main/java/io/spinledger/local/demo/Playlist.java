package io.spinledger.local.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A programme of music, speech and silence, rendered to one 44.1 kHz mono 16-bit WAV with exactly known
 * segment boundaries: every segment is cut or padded to a whole number of milliseconds, so
 * {@link Segment#startMs()} is exact (sample-accurate) within the rendered file.
 *
 * <p>Music comes from real recordings (e.g. {@link #wesnothMusic(String)}), speech from
 * {@code espeak-ng}, and ffmpeg does the decoding and resampling ({@code scripts/install-deps.sh}).
 *
 * <pre>{@code
 * Playlist.Rendered show = new Playlist()
 *         .music(Playlist.wesnothMusic("battle.ogg"), 5_000, 12_000)
 *         .silence(2_000)
 *         .speech("You are listening to SpinLedger radio")
 *         .render(tempDir);
 * }</pre>
 */
public final class Playlist {

    /** Sample rate of the rendered WAV. */
    public static final int SAMPLE_RATE_HZ = 44_100;

    /** Where Debian's wesnoth-1.16-music package puts its 41 Ogg Vorbis recordings. */
    public static final Path WESNOTH_MUSIC = Path.of("/usr/share/games/wesnoth/1.16/data/core/music");

    /** What a segment holds. */
    public enum Kind { MUSIC, SPEECH, SILENCE }

    /**
     * One segment of a rendered playlist.
     *
     * @param kind           music, speech or silence
     * @param label          file name, spoken text, or "silence"
     * @param startMs        offset of its first sample in the rendered programme
     * @param durationMs     its length
     * @param source         the music file, or null
     * @param sourceOffsetMs for music: where in {@code source} the segment was cut from; otherwise 0
     */
    public record Segment(Kind kind, String label, long startMs, long durationMs, Path source, long sourceOffsetMs) {
        /** Offset just after its last sample. */
        public long endMs() {
            return startMs + durationMs;
        }
    }

    /**
     * A rendered programme.
     *
     * @param wav        44.1 kHz mono 16-bit PCM WAV
     * @param segments   segments in programme order, back to back from 0
     * @param durationMs total length
     */
    public record Rendered(Path wav, List<Segment> segments, long durationMs) {
        public Rendered {
            segments = List.copyOf(segments);
        }

        /** The segment playing at {@code offsetMs}, if any. */
        public java.util.Optional<Segment> segmentAt(long offsetMs) {
            return segments.stream().filter(s -> s.startMs() <= offsetMs && offsetMs < s.endMs()).findFirst();
        }
    }

    private sealed interface Item permits Music, Speech, Silence {
    }

    private record Music(Path file, long fromMs, long durationMs) implements Item {
    }

    private record Speech(String text) implements Item {
    }

    private record Silence(long durationMs) implements Item {
    }

    private final List<Item> items = new ArrayList<>();

    /** A recording from the wesnoth-1.16-music package, e.g. {@code "battle.ogg"}. */
    public static Path wesnothMusic(String fileName) {
        Path p = WESNOTH_MUSIC.resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/install-deps.sh (wesnoth-1.16-music)");
        }
        return p;
    }

    /** All recordings of the wesnoth-1.16-music package, sorted by name. */
    public static List<Path> wesnothMusic() throws IOException {
        if (!Files.isDirectory(WESNOTH_MUSIC)) {
            throw new IllegalStateException(WESNOTH_MUSIC + " is missing: run scripts/install-deps.sh");
        }
        try (Stream<Path> files = Files.list(WESNOTH_MUSIC)) {
            return files.filter(p -> p.toString().endsWith(".ogg")).sorted().toList();
        }
    }

    /**
     * Appends {@code durationMs} of a recording starting {@code fromMs} into it (padded with silence if the
     * recording is shorter).
     */
    public Playlist music(Path file, long fromMs, long durationMs) {
        if (fromMs < 0 || durationMs <= 0) {
            throw new IllegalArgumentException("need fromMs >= 0 and durationMs > 0");
        }
        items.add(new Music(file, fromMs, durationMs));
        return this;
    }

    /** Appends the text spoken by espeak-ng, at its natural length (rounded up to a whole ms). */
    public Playlist speech(String text) {
        items.add(new Speech(text));
        return this;
    }

    /** Appends digital silence. */
    public Playlist silence(long durationMs) {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("durationMs must be positive");
        }
        items.add(new Silence(durationMs));
        return this;
    }

    /**
     * Renders the programme to {@code dir/playlist.wav} (intermediate files go to {@code dir} too).
     *
     * @throws IOException when ffmpeg or espeak-ng fails
     */
    public Rendered render(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Segment> segments = new ArrayList<>();
        Path wav = dir.resolve("playlist.wav");
        long startMs = 0;
        List<Path> parts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Path raw = dir.resolve("part-" + i + ".raw");
            Segment segment = switch (items.get(i)) {
                case Music m -> {
                    decode(m.file(), m.fromMs(), m.durationMs(), raw);
                    fitToMs(raw, m.durationMs());
                    yield new Segment(Kind.MUSIC, m.file().getFileName().toString(), startMs, m.durationMs(),
                            m.file(), m.fromMs());
                }
                case Speech s -> {
                    Path spoken = dir.resolve("speech-" + i + ".wav");
                    ExternalTools.run(60, ExternalTools.require("espeak-ng").toString(), "-w", spoken.toString(),
                            s.text());
                    decode(spoken, 0, -1, raw);
                    long samples = Files.size(raw) / 2;
                    long ms = (samples * 1000 + SAMPLE_RATE_HZ - 1) / SAMPLE_RATE_HZ;
                    fitToMs(raw, ms);
                    yield new Segment(Kind.SPEECH, s.text(), startMs, ms, null, 0);
                }
                case Silence z -> {
                    Files.write(raw, new byte[0]);
                    fitToMs(raw, z.durationMs());
                    yield new Segment(Kind.SILENCE, "silence", startMs, z.durationMs(), null, 0);
                }
            };
            segments.add(segment);
            parts.add(raw);
            startMs += segment.durationMs();
        }
        writeWav(wav, parts, samplesOf(startMs));
        for (Path p : parts) {
            Files.deleteIfExists(p);
        }
        return new Rendered(wav, segments, startMs);
    }

    private static long samplesOf(long ms) {
        return ms * SAMPLE_RATE_HZ / 1000;
    }

    /** Decodes to raw 44.1 kHz mono s16le; {@code durationMs < 0} means to the end. */
    private static void decode(Path input, long fromMs, long durationMs, Path raw) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ExternalTools.require("ffmpeg").toString(), "-nostdin",
                "-hide_banner", "-loglevel", "error", "-y"));
        if (fromMs > 0) {
            cmd.addAll(List.of("-ss", String.format(java.util.Locale.ROOT, "%.3f", fromMs / 1000.0)));
        }
        cmd.addAll(List.of("-i", input.toString()));
        if (durationMs >= 0) {
            cmd.addAll(List.of("-t", String.format(java.util.Locale.ROOT, "%.3f", durationMs / 1000.0)));
        }
        cmd.addAll(List.of("-ac", "1", "-ar", Integer.toString(SAMPLE_RATE_HZ), "-f", "s16le", "-c:a", "pcm_s16le",
                raw.toString()));
        ExternalTools.run(120, cmd.toArray(String[]::new));
    }

    /** Cuts or zero-pads a raw s16le file to exactly {@code ms} milliseconds of samples. */
    private static void fitToMs(Path raw, long ms) throws IOException {
        long bytes = samplesOf(ms) * 2;
        long have = Files.size(raw);
        try (var ch = java.nio.channels.FileChannel.open(raw, java.nio.file.StandardOpenOption.WRITE)) {
            if (have > bytes) {
                ch.truncate(bytes);
            } else if (have < bytes) {
                ch.position(have);
                ch.write(ByteBuffer.allocate((int) (bytes - have)));
            }
        }
    }

    private static void writeWav(Path wav, List<Path> parts, long samples) throws IOException {
        long dataBytes = samples * 2;
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(SAMPLE_RATE_HZ).putInt(SAMPLE_RATE_HZ * 2)
                .putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        try (OutputStream out = Files.newOutputStream(wav)) {
            out.write(h.array());
            for (Path p : parts) {
                Files.copy(p, out);
            }
        }
    }
}
