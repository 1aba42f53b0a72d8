package io.spinledger.sim;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.MatchThresholds;
import io.spinledger.ports.InMemoryObjectStore;
import io.spinledger.stage.capture.ChunkAudio;
import io.spinledger.stage.capture.Chunker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The real audio of the slow mode ({@code scripts/simulate --audio}): Wesnoth recordings decoded once per JVM at
 * 11 025 Hz mono, the catalog ones indexed by a {@link FingerprintEngine} (track ids {@code t0..tN}, as
 * {@link Broadcast} names them), others aired as music only ACRCloud knows or unknown music, and espeak-ng speech
 * (pink-ish low noise when espeak-ng is missing) as talk. {@link #render} turns a broadcast's truth into PCM per
 * station and cuts it with the capture {@link Chunker}.
 */
public final class AudioWorld {
    /** Where Debian's wesnoth-1.16-music package puts its recordings. */
    public static final Path MUSIC = Path.of("/usr/share/games/wesnoth/1.16/data/core/music");
    /** Sample rate of everything, Hz (the engine's and the capture's default). */
    public static final int RATE = AudioDecoder.DEFAULT_SAMPLE_RATE_HZ;
    static final List<String> CATALOG = List.of("love_theme.ogg", "loyalists.ogg", "underground.ogg",
            "battle-epic.ogg", "frantic-old.ogg", "main_menu.ogg", "elvish-theme.ogg", "breaking_the_chains.ogg");
    static final List<String> ACR_ONLY = List.of("into_the_shadows.ogg", "heroes_rite.ogg");
    static final List<String> UNKNOWN = List.of("transience.ogg", "sad.ogg");

    private static AudioWorld shared;

    private final FingerprintEngine engine;
    private final List<Pcm> catalog = new ArrayList<>();
    private final List<Pcm> acrOnly = new ArrayList<>();
    private final List<Pcm> unknown = new ArrayList<>();
    private final float[] talk;
    /** Where the talk came from: "espeak-ng" or "noise". */
    final String talkSource;

    private AudioWorld() {
        AudioDecoder decoder = new AudioDecoder(RATE, AudioDecoder.DEFAULT_MAX_DURATION_MS);
        FingerprintConfig config = FingerprintConfig.defaults();
        engine = new FingerprintEngine(config, MatchThresholds.defaults(), new IndexStore(new InMemoryObjectStore(),
                config));
        for (int i = 0; i < CATALOG.size(); i++) {
            Pcm p = decoder.decode(MUSIC.resolve(CATALOG.get(i)));
            catalog.add(p);
            engine.register("t" + i, p);
        }
        engine.refresh();
        ACR_ONLY.forEach(f -> acrOnly.add(decoder.decode(MUSIC.resolve(f))));
        UNKNOWN.forEach(f -> unknown.add(decoder.decode(MUSIC.resolve(f))));
        float[] speech = speech(decoder);
        talkSource = speech != null ? "espeak-ng" : "noise";
        talk = speech != null ? speech : noise(RATE * 30, 0.02, new SplittableRandom(7));
    }

    /** The world of this JVM, decoded and indexed on first use. */
    public static synchronized AudioWorld shared() {
        if (shared == null) {
            shared = new AudioWorld();
        }
        return shared;
    }

    /** The engine with the catalog indexed. */
    public FingerprintEngine engine() {
        return engine;
    }

    /** Lengths of the catalog recordings, ms, by track number. */
    public long[] catalogDurationsMs() {
        return catalog.stream().mapToLong(Pcm::durationMs).toArray();
    }

    /**
     * Renders each station's air time as PCM from the truth (slices of the recordings at the truth's offsets, a
     * little noise) and cuts it into chunks with the capture chunker (10 s windows every 8 s; no partial last chunk,
     * as the broadcast has none).
     *
     * @param broadcast the truth
     * @param noiseSeed seed of the added noise
     * @return every full chunk's audio by chunk id ({@code stationId-startEpochMs}, as the capture names them)
     */
    public Map<String, ChunkAudio> render(Broadcast broadcast, long noiseSeed) {
        Map<String, ChunkAudio> chunks = new HashMap<>();
        SplittableRandom random = new SplittableRandom(noiseSeed);
        int total = Math.toIntExact((broadcast.endMs() - broadcast.startMs()) * RATE / 1000);
        for (var station : broadcast.stations()) {
            float[] air = noise(total, 0.003, random.split());
            for (Broadcast.Segment g : broadcast.segments()) {
                if (!g.stationId().equals(station.stationId())) {
                    continue;
                }
                float[] src;
                long fromMs;
                float gain = 1f;
                switch (g.kind()) {
                    case CATALOG -> {
                        src = catalog.get(Integer.parseInt(g.trackId().substring(1))).samples();
                        fromMs = g.trackStartMs();
                    }
                    case ACR_ONLY -> {
                        src = acrOnly.get(Integer.parseInt(g.trackId().substring(3)) % acrOnly.size()).samples();
                        fromMs = g.trackStartMs();
                    }
                    case UNKNOWN -> {
                        src = unknown.get((int) ((g.startMs() / 1000) % unknown.size())).samples();
                        fromMs = 0;
                    }
                    default -> {
                        src = talk;
                        fromMs = (g.startMs() / 1000) % 10 * 1000;
                        gain = 0.7f;
                    }
                }
                int at = Math.toIntExact((g.startMs() - broadcast.startMs()) * RATE / 1000);
                int len = Math.toIntExact(g.durationMs() * RATE / 1000);
                int from = Math.toIntExact(fromMs * RATE / 1000);
                for (int i = 0; i < len && at + i < total; i++) {
                    air[at + i] += gain * src[(from + i) % src.length];
                }
            }
            Chunker chunker = new Chunker(Instant.ofEpochMilli(broadcast.startMs()), RATE, Broadcast.CHUNK_MS,
                    Broadcast.CHUNK_MS - Broadcast.STEP_MS, Chunker.DEFAULT_SILENCE_RMS);
            for (ChunkAudio c : chunker.feed(air)) {
                chunks.put(station.stationId() + "-" + c.startedAt().toEpochMilli(), c);
            }
        }
        return chunks;
    }

    private static float[] noise(int n, double level, SplittableRandom random) {
        float[] x = new float[n];
        double b = 0;
        for (int i = 0; i < n; i++) {
            b = 0.95 * b + 0.05 * random.nextGaussian(); // low-passed white noise: pink-ish, low level
            x[i] = (float) (level * 4 * b);
        }
        return x;
    }

    /** Talk from espeak-ng (the small call of the tests' TestAudio.speech), or null when it is not installed. */
    private static float[] speech(AudioDecoder decoder) {
        try {
            Path dir = Files.createTempDirectory("spinledger-sim-speech");
            Path wav = dir.resolve("speech.wav");
            try {
                Process p = new ProcessBuilder("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(),
                        "Good morning, you are listening to the breakfast show on Sim FM. The traffic is heavy on "
                                + "the ring road this morning, and the weather will be warm and dry. Stay with us "
                                + "for the news at the top of the hour, and call the studio with your requests.")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return null;
                }
                return decoder.decode(wav).samples();
            } finally {
                Files.deleteIfExists(wav);
                Files.deleteIfExists(dir);
            }
        } catch (Exception e) {
            return null;
        }
    }
}
