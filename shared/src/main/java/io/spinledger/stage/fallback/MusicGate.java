package io.spinledger.stage.fallback;

import io.spinledger.engine.audio.Loudness;
import io.spinledger.engine.audio.Pcm;
import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Decides whether a chunk holds music worth a paid ACRCloud look-up, or speech, or silence, from the PCM alone.
 * A small hand-made classifier, no model: the chunk is cut into frames of about 46 ms (a power of two of samples,
 * no overlap), and three features are measured:
 * <ol>
 *   <li><b>silent fraction</b>: frames whose RMS is below {@link Config#silenceRms} (by default
 *       {@link #QUIET_FRAME_RMS}, about -46 dBFS);</li>
 *   <li><b>low-energy ratio</b> (Scheirer and Slaney 1997, "Construction and evaluation of a robust multifeature
 *       speech/music discriminator", ICASSP): frames whose RMS is under half the mean RMS of the 1 s around them.
 *       Speech pauses between syllables and words every 200-300 ms (the 4 Hz syllabic modulation), so its ratio
 *       is high (typically 0.3-0.6); music sustains its energy (typically under 0.2);</li>
 *   <li><b>tonal persistence</b>: the share of each frame's strongest spectral peaks (100-4000 Hz) that were
 *       already a peak (within one bin) in the previous frame. Held notes and chords persist (0.59-0.86 on the
 *       test music); speech formants and pitch glide (0.39-0.54 on the test speech).</li>
 * </ol>
 * Spectral-flux variability was tried as well and did not separate the test sets (speech 0.24-0.35, music
 * 0.20-0.92), so it is not used.
 * The two features vote equally into a music score in [0, 1]; a chunk is {@link Kind#MUSIC} when the score
 * reaches {@link Config#minMusicScore}. Silence is decided first. Jingles and stings shorter than about half a chunk
 * between talk do not reach the score, so they do not cost a call either. Measured accuracy on real audio is in
 * {@code MusicGateTest} (wesnoth music vs espeak-ng speech vs silence). Thread-safe.
 */
public final class MusicGate {

    /** What the chunk is. */
    public enum Kind {
        /** music (possibly with talk over it): worth identifying */
        MUSIC,
        /** speech, talk, or anything that is neither music nor silence */
        SPEECH,
        /** (nearly) no signal */
        SILENCE
    }

    /**
     * Default RMS (full scale 1.0) under which one 46 ms analysis frame counts as quiet: 0.005, about -46 dBFS.
     *
     * <p>Deliberately not {@link Loudness#SILENCE_RMS} (0.003, -50 dBFS), which says whether a whole chunk or
     * decoded block is silence. This one is a feature threshold of the classifier, applied to short frames: it
     * decides which frames are pauses (the silent fraction, and which frames the tonal-persistence feature
     * skips) and which local windows are too quiet to count in the low-energy ratio. Short frames in the pauses
     * of speech and in room or microphone noise sit a few dB above the chunk-level silence line, and counting them
     * as pauses is what the measured defaults in {@code MusicGateTest} rely on; the gate only decides whether a
     * paid ACRCloud look-up is worth it, so it leans towards "not music".
     */
    public static final double QUIET_FRAME_RMS = 0.005;

    /**
     * The tunables, with units.
     *
     * @param silenceRms            frame RMS (full scale 1.0) under which a frame is silent; {@link #QUIET_FRAME_RMS}
     *                              by default
     * @param maxSilentFraction     more silent frames than this make the chunk SILENCE
     * @param minMusicScore         music score (0-1) from which the chunk is MUSIC
     */
    public record Config(double silenceRms, double maxSilentFraction, double minMusicScore) {
        /** -46 dBFS silent frames, 80 % silent frames, score 0.5: the defaults measured in {@code MusicGateTest}. */
        public static Config defaults() {
            return new Config(QUIET_FRAME_RMS, 0.8, 0.5);
        }
    }

    /**
     * The decision with the features that led to it.
     *
     * @param kind             the decision
     * @param musicScore       0 (speech-like) to 1 (music-like)
     * @param silentFraction   share of silent frames
     * @param lowEnergyRatio   share of frames under half the local mean RMS
     * @param tonalPersistence share of spectral peaks held from the previous frame
     */
    public record Verdict(Kind kind, double musicScore, double silentFraction, double lowEnergyRatio,
                          double tonalPersistence) {
        /** A one-line description for logs and "unidentified" records. */
        public String describe() {
            return String.format(java.util.Locale.ROOT,
                    "%s (score %.2f, silent %.2f, low-energy %.2f, tonal %.2f)", kind, musicScore,
                    silentFraction, lowEnergyRatio, tonalPersistence);
        }
    }

    private static final int PEAKS = 6;
    private final Config config;

    /** A gate with the given tunables. */
    public MusicGate(Config config) {
        this.config = config;
    }

    /** A gate with {@link Config#defaults()}. */
    public MusicGate() {
        this(Config.defaults());
    }

    /**
     * Classifies a chunk.
     *
     * @param pcm mono audio at any rate; under 1 s is treated as silence
     */
    public Verdict classify(Pcm pcm) {
        int rate = pcm.sampleRateHz();
        int n = Integer.highestOneBit((int) Math.round(0.046 * rate) * 3 / 2);
        float[] x = pcm.samples();
        int frames = x.length / n;
        if (frames < Math.max(4, rate / n)) {
            return new Verdict(Kind.SILENCE, 0, 1, 0, 0);
        }
        double[] rms = new double[frames];
        int silent = 0;
        for (int f = 0; f < frames; f++) {
            rms[f] = Loudness.rms(x, f * n, n);
            if (rms[f] < config.silenceRms()) {
                silent++;
            }
        }
        double silentFraction = silent / (double) frames;
        if (silentFraction > config.maxSilentFraction()) {
            return new Verdict(Kind.SILENCE, 0, silentFraction, 0, 0);
        }
        double lowEnergy = lowEnergyRatio(rms, Math.max(2, rate / n));
        double[][] spectra = spectra(x, n, frames);
        int lo = Math.max(1, (int) (100.0 * n / rate));
        int hi = Math.min(n / 2 - 1, (int) (4000.0 * n / rate));
        double tonal = tonalPersistence(spectra, rms, lo, hi);

        // each feature mapped linearly from a speech-like to a music-like value (the edges of the measured ranges)
        double score = 0.5 * ramp(lowEnergy, 0.30, 0.15) + 0.5 * ramp(tonal, 0.50, 0.62);
        Kind kind = score >= config.minMusicScore() ? Kind.MUSIC : Kind.SPEECH;
        return new Verdict(kind, score, silentFraction, lowEnergy, tonal);
    }

    /** 0 at {@code speechLike}, 1 at {@code musicLike}, linear between, clamped. */
    private static double ramp(double v, double speechLike, double musicLike) {
        double t = (v - speechLike) / (musicLike - speechLike);
        return Math.max(0, Math.min(1, t));
    }

    private double lowEnergyRatio(double[] rms, int window) {
        int low = 0;
        int counted = 0;
        for (int f = 0; f < rms.length; f++) {
            int from = Math.max(0, f - window / 2);
            int to = Math.min(rms.length, from + window);
            from = Math.max(0, to - window);
            double mean = 0;
            for (int i = from; i < to; i++) {
                mean += rms[i];
            }
            mean /= (to - from);
            if (mean < config.silenceRms()) {
                continue;
            }
            counted++;
            if (rms[f] < 0.5 * mean) {
                low++;
            }
        }
        return counted == 0 ? 0 : low / (double) counted;
    }

    private static double[][] spectra(float[] x, int n, int frames) {
        FloatFFT_1D fft = new FloatFFT_1D(n);
        float[] window = new float[n];
        for (int i = 0; i < n; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)));
        }
        double[][] out = new double[frames][n / 2];
        float[] buf = new float[n];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < n; i++) {
                buf[i] = x[f * n + i] * window[i];
            }
            fft.realForward(buf);
            for (int k = 1; k < n / 2; k++) {
                double re = buf[2 * k];
                double im = buf[2 * k + 1];
                out[f][k] = Math.sqrt(re * re + im * im);
            }
        }
        return out;
    }

    private double tonalPersistence(double[][] spectra, double[] rms, int lo, int hi) {
        int held = 0;
        int total = 0;
        int[] prev = null;
        for (int f = 0; f < spectra.length; f++) {
            if (rms[f] < config.silenceRms()) {
                prev = null;
                continue;
            }
            int[] peaks = peaks(spectra[f], lo, hi);
            if (prev != null) {
                for (int p : peaks) {
                    total++;
                    for (int q : prev) {
                        if (Math.abs(p - q) <= 1) {
                            held++;
                            break;
                        }
                    }
                }
            }
            prev = peaks;
        }
        return total == 0 ? 0 : held / (double) total;
    }

    /** The {@value #PEAKS} largest local maxima between lo and hi (bin indices). */
    private static int[] peaks(double[] s, int lo, int hi) {
        int[] best = new int[PEAKS];
        double[] val = new double[PEAKS];
        Arrays.fill(best, -10);
        for (int k = Math.max(lo, 1); k <= hi && k + 1 < s.length; k++) {
            if (s[k] > s[k - 1] && s[k] >= s[k + 1]) {
                int min = 0;
                for (int i = 1; i < PEAKS; i++) {
                    if (val[i] < val[min]) {
                        min = i;
                    }
                }
                if (s[k] > val[min]) {
                    val[min] = s[k];
                    best[min] = k;
                }
            }
        }
        return best;
    }
}
