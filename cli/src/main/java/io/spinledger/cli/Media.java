package io.spinledger.cli;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Loudness;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Audio made and changed by the usual command-line tools (SoX, FFmpeg, espeak-ng) and by a few
 * signal generators: what the bench degrades its queries with. Everything is mono at one rate.
 */
public final class Media {
    private final int sampleRateHz;
    private final AudioDecoder decoder;

    /** @param sampleRateHz the rate everything is produced at */
    public Media(int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        this.decoder = new AudioDecoder(sampleRateHz, AudioDecoder.DEFAULT_MAX_DURATION_MS);
    }

    /** The decoder used (at the configured rate). */
    public AudioDecoder decoder() {
        return decoder;
    }

    /**
     * Runs audio through SoX effects ({@code sox in.wav -b 16 out.wav <effects> rate <hz>}), e.g.
     * {@code speed 1.05}, {@code tempo 0.97}, {@code sinc 300-3400}, {@code echo 0.8 0.9 500 0.3}. Repeatable
     * ({@code -R}): the same input gives the same output (SoX's dither is otherwise seeded from the clock).
     */
    public Pcm sox(Pcm in, String... effects) {
        return withTemp(dir -> {
            Path a = dir.resolve("in.wav");
            Path b = dir.resolve("out.wav");
            Files.write(a, Wav.write(in));
            List<String> cmd = new ArrayList<>(List.of("sox", "-R", "-G", "-V1", a.toString(), "-b", "16",
                    b.toString()));
            cmd.addAll(Arrays.asList(effects));
            cmd.addAll(List.of("rate", "-h", String.valueOf(sampleRateHz), "channels", "1"));
            run(cmd);
            return decoder.decode(b);
        });
    }

    /** Encodes with FFmpeg ({@code libmp3lame} or {@code aac}) at a bit rate, mono, and decodes back. */
    public Pcm codec(Pcm in, String codec, int kbps) {
        return withTemp(dir -> {
            Path a = dir.resolve("in.wav");
            Path b = dir.resolve(codec.equals("aac") ? "out.m4a" : "out.mp3");
            Files.write(a, Wav.write(in));
            run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", a.toString(), "-ac", "1",
                    "-ar", codec.equals("aac") ? "16000" : "22050", "-c:a", codec, "-b:a", kbps + "k", b.toString()));
            return decoder.decode(b);
        });
    }

    /** Speech by espeak-ng (voice e.g. {@code en}, {@code en-us}; words per minute). */
    public Pcm speech(String text, String voice, int wordsPerMinute) {
        return withTemp(dir -> {
            Path a = dir.resolve("speech.wav");
            run(List.of("espeak-ng", "-v", voice, "-s", String.valueOf(wordsPerMinute), "-w", a.toString(), text));
            return decoder.decode(a);
        });
    }

    /** The broadcast chain: compression, a low/high shelf EQ, then a limiter, by SoX. */
    public Pcm broadcastChain(Pcm in) {
        return sox(in, "compand", "0.005,0.1", "6:-70,-60,-40,-20,-20,-12,0,-6", "-3", "-90", "0.05",
                "bass", "+5", "100", "treble", "+4", "5000", "gain", "-n", "-1");
    }

    /** Mixes {@code add} into {@code base} (from sample 0) at a level relative to base's RMS, dB. */
    public static Pcm mix(Pcm base, Pcm add, double relativeDb) {
        float[] x = base.samples();
        float[] y = add.samples();
        double g = Loudness.rms(x) / Math.max(1e-9, Loudness.rms(y)) * Math.pow(10, relativeDb / 20);
        float[] out = x.clone();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            out[i] = (float) (x[i] + g * y[i]);
        }
        return new Pcm(normalise(out), base.sampleRateHz());
    }

    /** Adds white Gaussian noise at a signal-to-noise ratio over the whole clip, dB. */
    public static Pcm withNoise(Pcm pcm, double snrDb, long seed) {
        return mix(pcm, whiteNoise(pcm.durationMs(), pcm.sampleRateHz(), 0.1, seed), -snrDb);
    }

    /** White Gaussian noise at an RMS level. */
    public static Pcm whiteNoise(long durationMs, int rateHz, double rms, long seed) {
        Random r = new Random(seed);
        float[] y = new float[(int) (durationMs * rateHz / 1000)];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rms * r.nextGaussian());
        }
        return new Pcm(y, rateHz);
    }

    /** Pink-ish noise (white noise through a one-pole low-pass), normalised to an RMS level. */
    public static Pcm pinkNoise(long durationMs, int rateHz, double rms, long seed) {
        Random r = new Random(seed);
        float[] y = new float[(int) (durationMs * rateHz / 1000)];
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s = 0.97 * s + r.nextGaussian();
            y[i] = (float) s;
        }
        double k = rms / Math.max(1e-9, Loudness.rms(y));
        for (int i = 0; i < y.length; i++) {
            y[i] *= (float) k;
        }
        return new Pcm(y, rateHz);
    }

    /**
     * A synthetic station jingle: a few random notes (harmonic tones with decaying envelopes, some
     * as chords) over a pad, 3-8 s, made from a seed.
     */
    public static Pcm jingle(int rateHz, long seed) {
        Random r = new Random(seed);
        long durationMs = 3000 + r.nextInt(5000);
        float[] y = new float[(int) (durationMs * rateHz / 1000)];
        int notes = 4 + r.nextInt(8);
        double base = 180 + r.nextInt(200);
        int[] scale = {0, 2, 4, 5, 7, 9, 11, 12, 14, 16};
        for (int n = 0; n < notes; n++) {
            int start = (int) ((long) y.length * n / notes);
            int len = Math.min(y.length - start, (int) (rateHz * (0.3 + r.nextDouble())));
            int voices = 1 + r.nextInt(3);
            for (int v = 0; v < voices; v++) {
                double f = base * Math.pow(2, scale[r.nextInt(scale.length)] / 12.0);
                for (int i = 0; i < len; i++) {
                    double t = (double) i / rateHz;
                    double env = Math.exp(-3 * t);
                    double s = Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(4 * Math.PI * f * t)
                            + 0.25 * Math.sin(6 * Math.PI * f * t);
                    y[start + i] += (float) (0.15 * env * s);
                }
            }
        }
        double pad = base / 2;
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (0.05 * Math.sin(2 * Math.PI * pad * i / rateHz));
        }
        return new Pcm(normalise(y), rateHz);
    }

    /** Scales down to a peak of 0.98 if the samples clip. */
    public static float[] normalise(float[] x) {
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0.98f) {
            float k = 0.98f / peak;
            for (int i = 0; i < x.length; i++) {
                x[i] *= k;
            }
        }
        return x;
    }

    /** Concatenates clips of one sample rate. */
    public static Pcm concat(List<Pcm> parts) {
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
        return new Pcm(out, parts.isEmpty() ? 11_025 : parts.get(0).sampleRateHz());
    }

    /** Digital silence. */
    public static Pcm silence(long durationMs, int rateHz) {
        return new Pcm(new float[(int) (durationMs * rateHz / 1000)], rateHz);
    }

    private interface TempWork<T> {
        T apply(Path dir) throws IOException;
    }

    private static <T> T withTemp(TempWork<T> work) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("spinledger-media");
            return work.apply(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Runs a tool; fails with its output when it is missing or fails. */
    public static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", command)
                        + "\n" + new String(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0)
                    + " (install it: scripts/install-deps.sh installs sox, ffmpeg and espeak-ng)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
