package io.spinledger.cli.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.cli.Media;
import io.spinledger.cli.bench.PlayScoring.Airing;
import io.spinledger.engine.audio.Loudness;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import io.spinledger.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The play bench's broadcasts: radio programmes built from real recordings (Debian's wesnoth-1.16-music), espeak-ng
 * speech, synthetic jingles and SoX/FFmpeg processing, each with its exact truth (which track aired from which ms
 * to which ms). One {@link Kind} per difficulty. Everything is seeded: the same seed, kind, length and lead-in give
 * the same programme, so the encoded file and its truth are cached ({@code <cache>/<key>.mp3|.aac} and
 * {@code .json}) and made only once.
 *
 * <p>A programme is a timeline of placed clips (songs, talk, jingles; with gains and linear fades; clips may
 * overlap: crossfades, talk-over, speech over background music) summed, then run through the broadcast chain
 * ({@link Media#broadcastChain}: compression, EQ, limiter), then the kind's noise, then encoded as an air-check
 * logger would record it: MP3 128 kbit/s, or AAC 32 kbit/s mono for {@link Kind#AAC}. An airing's truth is the
 * span in which its audio is audible in the timeline (fades and crossfades included).
 *
 * <p>Every case mixes registered tracks with unregistered ones (never in the catalog, so never to be claimed),
 * one airing shorter than the rate card's 30 s minimum (expected unpaid), DJ talk and jingles between songs.
 * The registered reference of a track is always its clean original recording; what airs is the edit.
 */
public final class PlayBroadcasts {
    /** Rate the programmes are made at, Hz (the runtime decodes and resamples them itself). */
    public static final int RATE_HZ = 22_050;
    /** Bumped whenever generation changes, so cached programmes of an older version are not reused. */
    static final String VERSION = "v3";
    /**
     * Recordings left out of the bench: too short to air as songs ({@code victory*}, {@code defeat*}, {@code silence},
     * {@code elf-land}) or alternative versions of another recording ({@code frantic-old}, {@code battle-epic}),
     * which would make an "unregistered" airing sound like a registered one.
     */
    static final List<String> LEFT_OUT = List.of("silence", "victory", "victory2", "defeat", "defeat2", "elf-land",
            "frantic-old", "battle-epic");
    private static final double MUSIC_RMS = 0.1;
    private static final double SPEECH_RMS = 0.1;
    private static final double JINGLE_RMS = 0.08;

    /** The difficulties, one case each. */
    public enum Kind {
        /** Tracks with a bar (2-4 s) looped several times or a chorus (8-16 s) repeated: the same audio at two track offsets. */
        LOOPS,
        /** The same track aired twice back to back, and earlier tracks aired again later in the hour. */
        REPLAYS,
        /** 3-6 s crossfades between consecutive songs. */
        CROSSFADES,
        /** Every song sped up or slowed down 2-5 % (SoX speed: pitch and tempo) or its tempo changed 2-3 %; talk over half the intros. */
        SPEED,
        /** Plain programme under pink noise at 10 dB SNR. */
        NOISE,
        /** Talk over half the intros, white noise at 5 dB SNR, encoded as AAC 32 kbit/s mono. */
        AAC,
        /** TV-like: half the songs as background music 12-18 dB under continuous speech, half in the foreground. */
        TV;

        /** Lower-case name, as used on the command line and in station ids. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind of a label (case-insensitive). @throws IllegalArgumentException naming the labels */
        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label().equalsIgnoreCase(label.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no case " + label + "; cases: " + java.util.Arrays.stream(values())
                    .map(Kind::label).toList());
        }
    }

    /**
     * Which recordings are registered in the catalog and which air unregistered.
     *
     * @param registered   track names (file names without .ogg) to register
     * @param unregistered track names that air but are never registered
     */
    public record Catalog(List<String> registered, List<String> unregistered) {
    }

    /**
     * A generated broadcast.
     *
     * @param kind        its kind
     * @param seed        its seed
     * @param audioFile   the encoded programme (MP3 or AAC), what is uploaded or streamed
     * @param durationMs  its length, ms
     * @param leadInMs    talk and jingles before the first song, ms
     * @param truth       every airing (registered and unregistered tracks), ms from the first sample
     * @param description what it holds, for the report
     */
    public record Broadcast(Kind kind, long seed, Path audioFile, long durationMs, long leadInMs, List<Airing> truth,
                            String description) {
    }

    /** The cached form of a broadcast (the audio lies beside it). */
    record Stored(String kind, long seed, String audioFileName, long durationMs, long leadInMs, List<Airing> truth,
                  String description) {
    }

    private final Path music;
    private final Catalog catalog;
    private final Path cache;
    private final Media media = new Media(RATE_HZ);
    private final Consumer<String> log;
    private final Map<String, Pcm> decoded = new HashMap<>();
    private final Map<String, Pcm> spoken = new HashMap<>();

    /**
     * @param music   folder of the recordings ({@code <name>.ogg})
     * @param catalog the split
     * @param cache   folder for generated programmes (created when missing)
     * @param log     progress lines
     */
    public PlayBroadcasts(Path music, Catalog catalog, Path cache, Consumer<String> log) {
        this.music = music;
        this.catalog = catalog;
        this.cache = cache;
        this.log = log;
    }

    /**
     * Splits the recordings of a folder (all {@code .ogg} but {@link #LEFT_OUT}) by a seeded shuffle: the first
     * {@code unregisteredCount} air unregistered, the rest are registered.
     *
     * @throws IllegalStateException when the folder has too few recordings
     */
    public static Catalog catalog(Path music, long seed, int unregisteredCount) {
        List<String> names;
        try (var s = Files.list(music)) {
            names = new ArrayList<>(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ogg"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> !LEFT_OUT.contains(n)).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + music + " (install wesnoth-1.16-music: "
                    + "scripts/install-deps.sh)", e);
        }
        if (names.size() < unregisteredCount + 8) {
            throw new IllegalStateException("only " + names.size() + " usable recordings in " + music);
        }
        Collections.shuffle(names, new Random(seed));
        return new Catalog(List.copyOf(names.subList(unregisteredCount, names.size()).stream().sorted().toList()),
                List.copyOf(names.subList(0, unregisteredCount).stream().sorted().toList()));
    }

    /** The file of a recording. */
    public Path file(String track) {
        return music.resolve(track + ".ogg");
    }

    /**
     * The broadcast of a kind, from the cache or made now.
     *
     * @param kind     difficulty
     * @param seed     seed
     * @param minutes  about how long (songs are added until this is reached), min
     * @param leadInMs talk and jingles before the first song, ms (at least a short intro is always there)
     */
    public Broadcast get(Kind kind, long seed, int minutes, long leadInMs) {
        String key = String.format(Locale.ROOT, "%s-s%d-m%d-l%d-r%d-%s", kind.label(), seed, minutes, leadInMs,
                catalog.hashCode() & 0x7fffffff, VERSION);
        Path meta = cache.resolve(key + ".json");
        try {
            Files.createDirectories(cache);
            if (Files.isRegularFile(meta)) {
                Stored s = Json.MAPPER.readValue(meta.toFile(), Stored.class);
                Path audio = cache.resolve(s.audioFileName());
                if (Files.isRegularFile(audio)) {
                    return new Broadcast(kind, seed, audio, s.durationMs(), s.leadInMs(), s.truth(), s.description());
                }
            }
            long t0 = System.nanoTime();
            Broadcast b;
            try {
                b = new Program(kind, seed, minutes, leadInMs).make(key);
            } finally {
                decoded.clear();
            }
            Files.writeString(meta, Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                    new Stored(kind.label(), seed, b.audioFile().getFileName().toString(), b.durationMs(),
                            b.leadInMs(), b.truth(), b.description())));
            log.accept(String.format(Locale.ROOT, "generated %s in %.0f s: %s", key, (System.nanoTime() - t0) / 1e9,
                    b.description()));
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Pcm track(String name) {
        return decoded.computeIfAbsent(name, n -> media.decoder().decode(file(n)));
    }

    private static final String[] LINES = {
        "Good morning, you are listening to SpinLedger F M, the home of fair royalties.",
        "That was a classic from the archive. Call the studio line and tell us what you want to hear next.",
        "Traffic on the ring road is moving slowly after an accident near the bridge.",
        "The weather tomorrow will be sunny in the morning, with rain later in the day.",
        "Coming up after the break, the news, and a chance to win two tickets to the concert on Saturday.",
        "The market closed higher today, led by banks and energy companies.",
        "And now the sports. The home side won three goals to one in a match decided in the last ten minutes.",
        "Here is one of my favourites. Turn it up.",
        "You are listening to the afternoon show. Stay with us, there is a lot more music coming.",
        "This next one goes out to everybody stuck in traffic on the motorway tonight.",
        "Police have closed the main road into town while the water pipe is repaired.",
        "Our reporter is at the stadium, where thousands of fans are waiting for the gates to open.",
        "The council has approved a new bus line that will connect the market with the university.",
        "Scientists say the dry season will be longer this year, and farmers are worried about their crops.",
        "In the studio with me today is a local author who has just published her first novel.",
        "Remember, the competition closes at midnight, so send your answers now.",
        "That song was number one for six weeks in the summer, and it still sounds fresh today.",
        "The festival starts on Friday, with more than forty bands on three stages.",
        "Prices at the fuel pumps went up again this week, the third rise in a month.",
        "Thank you for all your messages this morning. Keep them coming.",
    };
    private static final String[] VOICES = {"en", "en-us", "en-gb-x-rp", "en+f3", "en-us+m3", "en+f4",
        "en-gb-scotland"};

    private Pcm sentence(int line, int voice, int wpm) {
        String key = line + "/" + voice + "/" + wpm;
        return spoken.computeIfAbsent(key, k -> level(media.speech(LINES[line], VOICES[voice], wpm), SPEECH_RMS));
    }

    private static Pcm level(Pcm p, double rms) {
        double now = Loudness.rms(p.samples());
        if (now < 1e-6) {
            return p;
        }
        float k = (float) (rms / now);
        float[] out = p.samples().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= k;
        }
        return new Pcm(out, p.sampleRateHz());
    }

    /** One programme being built: a timeline of placed clips and its truth. */
    private final class Program {
        private record Placed(Pcm clip, long atMs, double gain, long fadeInMs, long fadeOutMs) {
            long endMs() {
                return atMs + clip.durationMs();
            }
        }

        private final Kind kind;
        private final long seed;
        private final Random r;
        private final long targetMs;
        private final long leadInMs;
        private final List<Placed> placed = new ArrayList<>();
        private final List<Airing> truth = new ArrayList<>();
        private final Deque<String> fresh = new ArrayDeque<>();
        private final Deque<String> freshUnknown = new ArrayDeque<>();
        private final List<String> aired = new ArrayList<>();
        private final Map<String, Integer> counts = new java.util.TreeMap<>();
        private long cursor;
        private int speechVoice;

        Program(Kind kind, long seed, int minutes, long leadInMs) {
            this.kind = kind;
            this.seed = seed;
            this.r = new Random(seed * 1_000_003L + kind.ordinal() * 7_919L + minutes);
            this.targetMs = minutes * 60_000L;
            this.leadInMs = leadInMs;
            this.speechVoice = r.nextInt(VOICES.length);
        }

        Broadcast make(String key) throws IOException {
            intro();
            switch (kind) {
                case LOOPS -> loops();
                case REPLAYS -> replays();
                case CROSSFADES -> crossfades();
                case SPEED -> speed();
                case NOISE, AAC -> plain(kind == Kind.AAC);
                case TV -> tv();
            }
            talk(4_000, 8_000);
            Pcm program = media.broadcastChain(render());
            String encoding;
            Path out;
            if (kind == Kind.NOISE) {
                program = Media.mix(program, Media.pinkNoise(program.durationMs(), RATE_HZ, 0.1, seed + 11), -10);
            }
            if (kind == Kind.AAC) {
                program = Media.withNoise(program, 5, seed + 13);
                out = cache.resolve(key + ".aac");
                encode(program, out, "-c:a", "aac", "-b:a", "32k", "-ac", "1", "-ar", "22050", "-f", "adts");
                encoding = "AAC 32 kbit/s mono";
            } else {
                out = cache.resolve(key + ".mp3");
                encode(program, out, "-c:a", "libmp3lame", "-b:a", "128k", "-ac", "1", "-ar", "44100");
                encoding = "MP3 128 kbit/s";
            }
            long registered = truth.stream().filter(Airing::registered).count();
            long tracks = truth.stream().filter(Airing::registered).map(Airing::track).distinct().count();
            long shortOnes = truth.stream().filter(a -> a.registered() && a.durationMs() < 30_000).count();
            String what = counts.isEmpty() ? "" : " (" + String.join(", ", counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).toList()) + ")";
            String description = String.format(Locale.ROOT, "%.1f min, %d airings of %d registered tracks%s, "
                            + "%d under 30 s; %d unregistered airings; talk and jingles; broadcast chain%s; %s",
                    program.durationMs() / 60_000.0, registered, tracks, what, shortOnes,
                    truth.size() - registered, kind == Kind.NOISE ? ", pink noise 10 dB SNR"
                            : kind == Kind.AAC ? ", white noise 5 dB SNR" : "", encoding);
            return new Broadcast(kind, seed, out, program.durationMs(), leadInMs, List.copyOf(truth), description);
        }

        private void encode(Pcm program, Path out, String... codec) throws IOException {
            Path wav = Files.createTempFile("bench-plays-", ".wav");
            try {
                Files.write(wav, Wav.write(program));
                List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i",
                        wav.toString()));
                cmd.addAll(List.of(codec));
                cmd.add(out.toString());
                Media.run(cmd);
            } finally {
                Files.deleteIfExists(wav);
            }
        }

        private void count(String what) {
            counts.merge(what, 1, Integer::sum);
        }

        // ---- the cases -------------------------------------------------------------------------------------

        private void loops() {
            int n = 0;
            for (int i = 0; cursor < targetMs; i++) {
                if (i % 4 == 3) {
                    unknownSong(40_000, 80_000);
                } else if (i == 4) {
                    shortSong();
                } else {
                    String t = nextTrack();
                    Piece p = excerpt(t, 60_000, 100_000);
                    Pcm audio = p.pcm();
                    String change;
                    switch (n++ % 5) {
                        case 0, 2 -> {
                            long bar = 2_000 + r.nextInt(2_001);
                            long at = 10_000 + (long) (r.nextDouble() * (audio.durationMs() - 20_000 - bar));
                            int copies = 3 + r.nextInt(4);
                            audio = repeat(audio, at, bar, copies);
                            change = String.format(Locale.ROOT, "bar %.1f s at %.0f s played x%d", bar / 1000.0,
                                    (p.fromMs() + at) / 1000.0, copies);
                            count("bar loops");
                        }
                        case 1, 3 -> {
                            long chorus = 8_000 + r.nextInt(8_001);
                            long at = 10_000 + (long) (r.nextDouble() * (audio.durationMs() - 15_000 - chorus));
                            audio = repeat(audio, at, chorus, 2);
                            change = String.format(Locale.ROOT, "chorus %.1f s at %.0f s played twice",
                                    chorus / 1000.0, (p.fromMs() + at) / 1000.0);
                            count("chorus repeats");
                        }
                        default -> change = "clean";
                    }
                    song(t, true, audio, cursor, 0, 1_500, change + from(p));
                }
                between();
            }
        }

        private void replays() {
            String[] plan = {"pair", "single", "again", "unknown", "short", "pair", "again", "single", "again", "pair",
                "unknown"};
            for (int i = 0; cursor < targetMs; i++) {
                switch (plan[i % plan.length]) {
                    case "pair" -> {
                        String t = nextTrack();
                        Pcm whole = track(t);
                        boolean full = whole.durationMs() <= 100_000;
                        Pcm first = trim(level(full ? whole : whole.slice(0, 40_000 + r.nextInt(30_001)), MUSIC_RMS));
                        song(t, true, first, cursor, 0, full ? 0 : 1_500,
                                full ? "whole track, then again at once" : "first 40-70 s, then again at once");
                        Pcm second = trim(level(whole.slice(0, Math.min(whole.durationMs(), 40_000 + r.nextInt(30_001))),
                                MUSIC_RMS));
                        song(t, true, second, cursor, 0, 1_500, "aired again straight after");
                        count("back-to-back pairs");
                    }
                    case "again" -> {
                        List<String> earlier = aired.subList(0, Math.max(0, aired.size() - 2));
                        String t = earlier.isEmpty() ? nextTrack() : earlier.get(r.nextInt(earlier.size()));
                        Piece p = excerpt(t, 40_000, 80_000);
                        song(t, true, p.pcm(), cursor, 0, 1_500, "replayed later" + from(p));
                        count("later replays");
                    }
                    case "unknown" -> unknownSong(40_000, 80_000);
                    case "short" -> shortSong();
                    default -> {
                        Piece p = excerpt(nextTrack(), 40_000, 80_000);
                        song(p.track(), true, p.pcm(), cursor, 0, 1_500, "clean" + from(p));
                    }
                }
                between();
            }
        }

        private void crossfades() {
            long overlap = 0;
            for (int i = 0; cursor < targetMs; i++) {
                boolean unknown = i % 4 == 2;
                boolean shortOne = i == 5;
                String t = unknown ? nextUnknown() : nextTrack();
                Piece p = shortOne ? excerptOf(t, 18_000, 26_000) : excerptOf(t, 45_000, 95_000);
                boolean crossNext = r.nextDouble() < 0.75;
                long fadeOut = crossNext ? 3_000 + r.nextInt(3_001) : 1_500;
                long at = cursor - overlap;
                song(t, !unknown, p.pcm(), at, overlap, fadeOut, (overlap > 0 ? String.format(Locale.ROOT,
                        "crossfaded in over %.1f s", overlap / 1000.0) : "after talk")
                        + (crossNext ? String.format(Locale.ROOT, ", out over %.1f s", fadeOut / 1000.0) : "")
                        + from(p));
                if (overlap > 0) {
                    count("crossfades");
                }
                if (crossNext) {
                    overlap = fadeOut;
                } else {
                    overlap = 0;
                    between();
                }
            }
        }

        private void speed() {
            int n = 0;
            for (int i = 0; cursor < targetMs; i++) {
                if (i % 4 == 3) {
                    unknownSong(40_000, 80_000);
                    between();
                    continue;
                }
                Piece p = i == 5 ? excerpt(nextTrack(), 20_000, 28_000) : excerpt(nextTrack(), 45_000, 95_000);
                Pcm audio = p.pcm();
                String change;
                boolean up = r.nextDouble() < 0.7;
                if (n % 2 == 0) {
                    double f = 1 + (up ? 1 : -1) * (0.02 + 0.03 * r.nextDouble());
                    audio = level(media.sox(audio, "speed", String.format(Locale.ROOT, "%.4f", f)), MUSIC_RMS);
                    change = String.format(Locale.ROOT, "speed x%.3f", f);
                    count("speed changes");
                } else {
                    double f = 1 + (up ? 1 : -1) * (0.02 + 0.01 * r.nextDouble());
                    audio = level(media.sox(audio, "tempo", String.format(Locale.ROOT, "%.4f", f)), MUSIC_RMS);
                    change = String.format(Locale.ROOT, "tempo x%.3f", f);
                    count("tempo changes");
                }
                long at = cursor;
                song(p.track(), true, audio, at, 0, 1_500, change + from(p));
                if (n / 2 % 2 == 0) {
                    talkOver(at, 5_000, 10_000);
                    truth.set(truth.size() - 1, relabel(truth.get(truth.size() - 1), ", talk-over"));
                    count("talk-overs");
                }
                n++;
                between();
            }
        }

        private void plain(boolean talkOverHalf) {
            for (int i = 0; cursor < targetMs; i++) {
                if (i % 4 == 3) {
                    unknownSong(40_000, 80_000);
                } else if (i == 5) {
                    shortSong();
                } else {
                    Piece p = excerpt(nextTrack(), 40_000, 100_000);
                    long at = cursor;
                    song(p.track(), true, p.pcm(), at, 0, 1_500, "clean" + from(p));
                    if (talkOverHalf && i % 2 == 0) {
                        talkOver(at, 5_000, 10_000);
                        truth.set(truth.size() - 1, relabel(truth.get(truth.size() - 1), ", talk-over"));
                        count("talk-overs");
                    }
                }
                between();
            }
        }

        private void tv() {
            for (int i = 0; cursor < targetMs; i++) {
                talk(8_000, 25_000);
                boolean unknown = i % 4 == 3;
                boolean shortOne = i == 5;
                String t = unknown ? nextUnknown() : nextTrack();
                Piece p = shortOne ? excerptOf(t, 20_000, 28_000) : excerptOf(t, 40_000, 90_000);
                long at = cursor;
                if (i % 2 == 0) {
                    double under = 12 + 6 * r.nextDouble();
                    Pcm bed = gain(p.pcm(), -under);
                    song(t, !unknown, bed, at, 2_000, 2_000, String.format(Locale.ROOT,
                            "background %.1f dB under speech", under) + from(p));
                    Pcm speech = speech(bed.durationMs());
                    placed.add(new Placed(speech.slice(0, bed.durationMs()), at, 1, 0, 300));
                    count("background beds");
                } else {
                    song(t, !unknown, p.pcm(), at, 0, 1_500, "foreground" + from(p));
                }
            }
        }

        // ---- building blocks ------------------------------------------------------------------------------

        private record Piece(String track, Pcm pcm, long fromMs) {
        }

        private static String from(Piece p) {
            return p.fromMs() == 0 ? "" : String.format(Locale.ROOT, " (from %.0f s)", p.fromMs() / 1000.0);
        }

        private String nextTrack() {
            return next(fresh, catalog.registered());
        }

        private String nextUnknown() {
            return next(freshUnknown, catalog.unregistered());
        }

        /** The next name of a shuffled round of {@code names}, a new round when the last one is used up. */
        private String next(java.util.Queue<String> round, List<String> names) {
            if (round.isEmpty()) {
                List<String> all = new ArrayList<>(names);
                Collections.shuffle(all, r);
                round.addAll(all);
            }
            return round.poll();
        }

        private Piece excerpt(String track, long minMs, long maxMs) {
            return excerptOf(track, minMs, maxMs);
        }

        /** A piece of a recording: from its start (60 %) or from inside it, levelled to the music RMS. */
        private Piece excerptOf(String track, long minMs, long maxMs) {
            Pcm whole = track(track);
            long len = Math.min(whole.durationMs(), minMs + (long) (r.nextDouble() * (maxMs - minMs)));
            long room = whole.durationMs() - len;
            long from = r.nextDouble() < 0.6 || room < 10_000 ? 0 : 5_000 + (long) (r.nextDouble() * (room - 5_000));
            return new Piece(track, trim(level(whole.slice(from, from + len), MUSIC_RMS)), from);
        }

        /**
         * Cuts near-silence (50 ms windows under 0.001 RMS, 40 dB under the music level) from both ends, so an airing's
         * truth is the span in which it is audible. (A cut start is not reflected in {@link Piece#fromMs()}.)
         */
        private static Pcm trim(Pcm p) {
            float[] x = p.samples();
            int w = p.sampleRateHz() / 20;
            int first = 0;
            while (first + w <= x.length && Loudness.rms(x, first, w) < 0.001) {
                first += w;
            }
            int last = x.length;
            while (last - w >= first && Loudness.rms(x, last - w, w) < 0.001) {
                last -= w;
            }
            return first == 0 && last == x.length ? p
                    : new Pcm(java.util.Arrays.copyOfRange(x, first, Math.max(first, last)), p.sampleRateHz());
        }

        private void unknownSong(long minMs, long maxMs) {
            Piece p = excerptOf(nextUnknown(), minMs, maxMs);
            song(p.track(), false, p.pcm(), cursor, 0, 1_500, "unregistered" + from(p));
        }

        private void shortSong() {
            Piece p = excerptOf(nextTrack(), 18_000, 27_000);
            song(p.track(), true, p.pcm(), cursor, 0, 1_000, "short (under the 30 s minimum)" + from(p));
        }

        /** Places a song and records its airing; the cursor moves to its end. */
        private void song(String t, boolean registered, Pcm audio, long atMs, long fadeInMs, long fadeOutMs,
                          String change) {
            placed.add(new Placed(audio, atMs, 1, fadeInMs, fadeOutMs));
            truth.add(new Airing(truth.size(), t, atMs, atMs + audio.durationMs(), registered, change));
            if (registered) {
                aired.add(t);
            }
            cursor = Math.max(cursor, atMs + audio.durationMs());
        }

        private Airing relabel(Airing a, String more) {
            return new Airing(a.id(), a.track(), a.startMs(), a.endMs(), a.registered(), a.change() + more);
        }

        private void intro() {
            do {
                talk(5_000, 9_000);
                if (cursor < leadInMs) {
                    jingle();
                }
            } while (cursor < leadInMs);
        }

        /** Talk, a jingle, or both, between songs. */
        private void between() {
            double u = r.nextDouble();
            if (u < 0.45) {
                talk(6_000, 20_000);
            } else if (u < 0.8) {
                jingle();
            } else {
                jingle();
                talk(5_000, 12_000);
            }
        }

        private void talk(long minMs, long maxMs) {
            long len = minMs + (long) (r.nextDouble() * (maxMs - minMs));
            Pcm s = speech(len);
            placed.add(new Placed(s, cursor + 300, 1, 0, 200));
            cursor += 300 + s.durationMs() + 200 + r.nextInt(400);
        }

        /** Speech over the start of a song, 0-3 dB louder than the music. */
        private void talkOver(long atMs, long minMs, long maxMs) {
            long len = minMs + (long) (r.nextDouble() * (maxMs - minMs));
            Pcm s = speech(len);
            placed.add(new Placed(s.slice(0, len), atMs + 500, Math.pow(10, 3 * r.nextDouble() / 20), 0, 200));
        }

        private void jingle() {
            Pcm j = level(Media.jingle(RATE_HZ, seed * 131 + placed.size()), JINGLE_RMS);
            placed.add(new Placed(j, cursor + 200, 1, 30, 300));
            cursor += 200 + j.durationMs() + 300;
        }

        /** Sentences by one voice, with short pauses, at least {@code minMs} long. */
        private Pcm speech(long minMs) {
            speechVoice = (speechVoice + 1 + r.nextInt(2)) % VOICES.length;
            int wpm = 150 + 10 * r.nextInt(3);
            List<Pcm> parts = new ArrayList<>();
            long len = 0;
            while (len < minMs) {
                Pcm s = sentence(r.nextInt(LINES.length), speechVoice, wpm);
                parts.add(s);
                Pcm pause = Media.silence(250 + r.nextInt(500), RATE_HZ);
                parts.add(pause);
                len += s.durationMs() + pause.durationMs();
            }
            return Media.concat(parts);
        }

        /** {@code copies} copies of {@code [atMs, atMs + lenMs)} where there was one: the same audio at later track offsets. */
        private static Pcm repeat(Pcm audio, long atMs, long lenMs, int copies) {
            List<Pcm> parts = new ArrayList<>();
            parts.add(audio.slice(0, atMs + lenMs));
            Pcm section = audio.slice(atMs, atMs + lenMs);
            for (int c = 1; c < copies; c++) {
                parts.add(section);
            }
            parts.add(audio.slice(atMs + lenMs, audio.durationMs()));
            return Media.concat(parts);
        }

        private static Pcm gain(Pcm p, double db) {
            float k = (float) Math.pow(10, db / 20);
            float[] out = p.samples().clone();
            for (int i = 0; i < out.length; i++) {
                out[i] *= k;
            }
            return new Pcm(out, p.sampleRateHz());
        }

        /** Sums the placed clips with their gains and fades. */
        private Pcm render() {
            long end = placed.stream().mapToLong(Placed::endMs).max().orElse(0);
            end = Math.max(end, cursor);
            float[] out = new float[(int) (end * RATE_HZ / 1000) + 1];
            for (Placed p : placed) {
                float[] x = p.clip().samples();
                int at = (int) (p.atMs() * RATE_HZ / 1000);
                int in = (int) (p.fadeInMs() * RATE_HZ / 1000);
                int fo = (int) (p.fadeOutMs() * RATE_HZ / 1000);
                for (int i = 0; i < x.length && at + i < out.length; i++) {
                    double g = p.gain();
                    if (i < in) {
                        g *= (double) i / in;
                    }
                    if (x.length - i <= fo) {
                        g *= (double) (x.length - i) / fo;
                    }
                    out[at + i] += (float) (g * x[i]);
                }
            }
            return new Pcm(Media.normalise(out), RATE_HZ);
        }
    }
}
