package io.spinledger.engine.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Real audio for tests, made at test time: the Debian wesnoth-1.16-music recordings, speech from
 * espeak-ng, MP3 re-encodes by the ffmpeg command line, noise and silence. A missing tool or
 * package fails the test with a message naming scripts/install-deps.sh (never a silent skip).
 */
public final class TestAudio {
    /** Where Debian's wesnoth-1.16-music package puts its 41 Ogg Vorbis recordings. */
    public static final Path WESNOTH_MUSIC = Path.of("/usr/share/games/wesnoth/1.16/data/core/music");
    private static final String INSTALL_HINT = "; run scripts/install-deps.sh to install the test dependencies";

    private TestAudio() {
    }

    /** A Wesnoth recording by file name, e.g. {@code "knolls.ogg"}; fails if the package is missing. */
    public static Path wesnoth(String fileName) {
        Path p = WESNOTH_MUSIC.resolve(fileName);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing " + p + " (Debian package wesnoth-1.16-music)" + INSTALL_HINT);
        }
        return p;
    }

    /** All Wesnoth recordings, sorted by name. */
    public static List<Path> allWesnoth() {
        try (var files = Files.list(WESNOTH_MUSIC)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".ogg")).sorted().toList();
            if (list.size() < 30) {
                throw new AssertionError("expected 41 recordings in " + WESNOTH_MUSIC + INSTALL_HINT);
            }
            return list;
        } catch (IOException e) {
            throw new AssertionError("cannot list " + WESNOTH_MUSIC + INSTALL_HINT, e);
        }
    }

    /** Runs a command line tool; fails with the install hint if it is missing or fails. */
    public static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("failed (exit " + p.exitValue() + "): " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Encodes PCM to MP3 with the ffmpeg command line (libmp3lame, constant bit rate). */
    public static byte[] toMp3(Pcm pcm, int kbps) {
        try {
            Path dir = Files.createTempDirectory("spinledger-mp3");
            try {
                Path wav = dir.resolve("in.wav");
                Path mp3 = dir.resolve("out.mp3");
                Files.write(wav, Wav.write(pcm));
                run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", wav.toString(),
                        "-codec:a", "libmp3lame", "-b:a", kbps + "k", mp3.toString());
                return Files.readAllBytes(mp3);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs PCM through SoX effects (e.g. {@code "speed", "1.05"} or {@code "tempo", "0.97"}) and back at
     * the same rate.
     */
    public static Pcm sox(Pcm pcm, String... effects) {
        try {
            Path dir = Files.createTempDirectory("spinledger-sox");
            try {
                Path in = dir.resolve("in.wav");
                Path out = dir.resolve("out.wav");
                Files.write(in, Wav.write(pcm));
                List<String> cmd = new ArrayList<>(List.of("sox", "-G", "-V1", in.toString(), "-b", "16", out.toString()));
                cmd.addAll(List.of(effects));
                cmd.addAll(List.of("rate", "-h", String.valueOf(pcm.sampleRateHz())));
                run(cmd.toArray(String[]::new));
                return Wav.read(Files.readAllBytes(out));
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Speech from espeak-ng, decoded to PCM at the given rate. */
    public static Pcm speech(String text, int sampleRateHz) {
        try {
            Path dir = Files.createTempDirectory("spinledger-speech");
            try {
                Path wav = dir.resolve("speech.wav");
                run("espeak-ng", "-v", "en", "-s", "150", "-w", wav.toString(), text);
                return new AudioDecoder(sampleRateHz, AudioDecoder.DEFAULT_MAX_DURATION_MS).decode(wav);
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Adds white Gaussian noise at a signal-to-noise ratio measured over the whole clip. */
    public static Pcm withNoise(Pcm pcm, double snrDb, long seed) {
        float[] x = pcm.samples();
        double power = 0;
        for (float v : x) {
            power += v * v;
        }
        power /= Math.max(1, x.length);
        double noiseRms = Math.sqrt(power / Math.pow(10, snrDb / 10));
        Random random = new Random(seed);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.max(-1, Math.min(1, x[i] + noiseRms * random.nextGaussian()));
        }
        return new Pcm(y, pcm.sampleRateHz());
    }

    /** White Gaussian noise at the given RMS level. */
    public static Pcm whiteNoise(long durationMs, int sampleRateHz, double rms, long seed) {
        Random random = new Random(seed);
        float[] y = new float[(int) (durationMs * sampleRateHz / 1000)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.max(-1, Math.min(1, rms * random.nextGaussian()));
        }
        return new Pcm(y, sampleRateHz);
    }

    /** Digital silence. */
    public static Pcm silence(long durationMs, int sampleRateHz) {
        return new Pcm(new float[(int) (durationMs * sampleRateHz / 1000)], sampleRateHz);
    }

    /** Concatenates clips of one sample rate. */
    public static Pcm concat(Pcm... parts) {
        int n = 0;
        for (Pcm p : parts) {
            n += p.samples().length;
        }
        float[] out = new float[n];
        int at = 0;
        for (Pcm p : parts) {
            System.arraycopy(p.samples(), 0, out, at, p.samples().length);
            at += p.samples().length;
        }
        return new Pcm(out, parts[0].sampleRateHz());
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(paths::add);
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            Files.deleteIfExists(paths.get(i));
        }
    }
}
