package io.spinledger.cli.bench;

import io.spinledger.cli.Media;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.Match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The robustness half of the bench: degraded excerpts of indexed tracks (must be found, first
 * result only) and negatives (must not be found). Queries are cut from 1 s into the degraded
 * audio, so codecs and effects have settled; the expected track position follows the applied time scale.
 */
public final class RobustnessBench {
    /** One kind of query. @param name shown in the report @param clipMs query length @param timeScale applied speed @param target TPR target (or max FP rate for negatives) */
    public record Case(String name, long clipMs, double timeScale, double target,
                       BiFunction<Pcm, Long, Pcm> effect) {
    }

    /** Per-query outcome of a positive case. */
    public record CaseResult(String name, long clipMs, double target, int queries, int correct, int wrongTrack,
                             int missed, int tracksTooShort, double tpr, double medianOffsetErrorMs, double p95OffsetErrorMs,
                             double medianScaleError, double medianFrequencyError) {
    }

    /** Outcome of a negative class. */
    public record NegativeResult(String name, int queries, int falsePositives) {
    }

    /** Best (unthresholded) candidate confidence of each query, for calibration. */
    public record Scores(List<Double> positives, List<Double> negatives, List<Integer> positiveAligned,
                         List<Integer> negativeAligned) {
    }

    private final FingerprintEngine engine;
    private final Media media;
    private final BenchDataset data;
    private final long seed;
    private final int clipsPerTrack;
    private final Consumer<String> log;
    private final List<Double> posScores = new ArrayList<>();
    private final List<Double> negScores = new ArrayList<>();
    private final List<Integer> posAligned = new ArrayList<>();
    private final List<Integer> negAligned = new ArrayList<>();
    private final List<Pcm> speechPool = new ArrayList<>();
    /** Log each miss with the best candidates. */
    public boolean verbose = Boolean.getBoolean("bench.verbose");

    /**
     * @param engine        an engine holding the indexed tracks
     * @param media         tools
     * @param data          the split
     * @param seed          query seed
     * @param clipsPerTrack queries per indexed track and case
     * @param log           progress lines
     */
    public RobustnessBench(FingerprintEngine engine, Media media, BenchDataset data, long seed, int clipsPerTrack,
                           Consumer<String> log) {
        this.engine = engine;
        this.media = media;
        this.data = data;
        this.seed = seed;
        this.clipsPerTrack = clipsPerTrack;
        this.log = log;
    }

    /** The speech used for talk-over and speech negatives (espeak-ng, several voices). */
    public List<Pcm> speechPool() {
        if (speechPool.isEmpty()) {
            String[] texts = {
                "Good evening, this is SpinLedger FM with the news at nine. The weather tomorrow will be sunny "
                    + "in the morning with light winds from the east, and rain later in the day.",
                "You are listening to the breakfast show. Coming up after the break, traffic and travel, and "
                    + "a chance to win two tickets to the concert on Saturday night. Stay with us.",
                "Traffic on the ring road is moving slowly after an accident near the bridge. Drivers heading "
                    + "into town should allow an extra twenty minutes this morning.",
                "That was a classic from the archive. Call us now on the studio line and tell us what you want "
                    + "to hear next, we will play your requests all afternoon long.",
                "The market closed higher today, led by banks and energy companies, while the currency held "
                    + "steady against the dollar ahead of the central bank meeting next week.",
                "And now the sports. The home side won three goals to one in a match that was decided in the "
                    + "last ten minutes, with two goals from the young striker on the left.",
            };
            String[] voices = {"en", "en-us", "en-gb-x-rp", "en+f3", "en-us+m3", "en+f4"};
            for (int i = 0; i < texts.length; i++) {
                speechPool.add(media.speech(texts[i], voices[i % voices.length], 150 + 10 * i));
            }
        }
        return speechPool;
    }

    /** The positive cases of the issue's table. */
    public List<Case> positiveCases() {
        List<Pcm> speech = speechPool();
        return List.of(
                new Case("clean re-encode (MP3 128 kbit/s)", 10_000, 1.0, 0.99, (p, s) -> media.codec(p, "libmp3lame", 128)),
                new Case("broadcast processing chain", 10_000, 1.0, 0.99, (p, s) -> media.broadcastChain(p)),
                new Case("MP3 32 kbit/s mono", 10_000, 1.0, 0.98, (p, s) -> media.codec(p, "libmp3lame", 32)),
                new Case("AAC 32 kbit/s mono", 10_000, 1.0, 0.98, (p, s) -> media.codec(p, "aac", 32)),
                new Case("echo (0.8 0.9 500 ms 0.3)", 10_000, 1.0, 0.98, (p, s) -> media.sox(p, "echo", "0.8", "0.9", "500", "0.3")),
                new Case("white noise 10 dB SNR", 10_000, 1.0, 0.98, (p, s) -> Media.withNoise(p, 10, s)),
                new Case("white noise 0 dB SNR", 10_000, 1.0, 0.95, (p, s) -> Media.withNoise(p, 0, s)),
                new Case("talk-over (speech at 0 dB)", 10_000, 1.0, 0.95,
                        (p, s) -> Media.mix(p, speech.get(Math.floorMod(s, speech.size())), 0)),
                new Case("telephone band 300-3400 Hz", 10_000, 1.0, 0.95, (p, s) -> media.sox(p, "sinc", "300-3400")),
                new Case("speed +2 %", 10_000, 1.02, 0.98, (p, s) -> media.sox(p, "speed", "1.02")),
                new Case("speed -2 %", 10_000, 0.98, 0.98, (p, s) -> media.sox(p, "speed", "0.98")),
                new Case("speed +5 %", 10_000, 1.05, 0.95, (p, s) -> media.sox(p, "speed", "1.05")),
                new Case("speed -5 %", 10_000, 0.95, 0.95, (p, s) -> media.sox(p, "speed", "0.95")),
                new Case("tempo +3 % (pitch kept)", 10_000, 1.03, 0.95, (p, s) -> media.sox(p, "tempo", "1.03")),
                new Case("tempo -3 % (pitch kept)", 10_000, 0.97, 0.95, (p, s) -> media.sox(p, "tempo", "0.97")),
                new Case("5 s clips, clean", 5_000, 1.0, 0.95, (p, s) -> p));
    }

    /** Runs one positive case over every indexed track. */
    public CaseResult run(Case c) {
        Random random = new Random(seed ^ c.name().hashCode());
        int correct = 0;
        int wrong = 0;
        int missed = 0;
        int skipped = 0;
        List<Double> offsetErr = new ArrayList<>();
        List<Double> scaleErr = new ArrayList<>();
        List<Double> freqErr = new ArrayList<>();
        boolean speed = c.name().startsWith("speed");
        for (Map.Entry<String, Pcm> e : data.indexed().entrySet()) {
            Pcm track = e.getValue();
            long need = (long) (c.clipMs() * Math.max(1, c.timeScale()) + 2_500);
            if (track.durationMs() < need + 1_000) {
                skipped++;
                continue;
            }
            for (int k = 0; k < clipsPerTrack; k++) {
                long from = 1_000 + (long) (random.nextDouble() * Math.max(0, track.durationMs() - need - 2_000));
                Pcm excerpt = track.slice(from, from + need);
                long fxSeed = random.nextLong();
                Pcm degraded = cached(c.name() + "-" + e.getKey() + "-" + k + "-" + from,
                        () -> c.effect().apply(excerpt, fxSeed));
                Pcm query = degraded.slice(1_000, 1_000 + c.clipMs());
                double expectedOffset = from + 1_000 * c.timeScale();
                List<Match> cands = engine.candidates(query, 3);
                List<Match> matches = engine.identify(engine.fingerprintQuery(query));
                if (!cands.isEmpty()) {
                    posScores.add(cands.get(0).confidence());
                    posAligned.add(cands.get(0).alignedCount());
                }
                if (matches.isEmpty()) {
                    missed++;
                    if (verbose) {
                        log.accept("  missed " + e.getKey() + "@" + from + " best: " + cands);
                    }
                } else if (matches.get(0).trackId().equals(e.getKey())) {
                    correct++;
                    Match m = matches.get(0);
                    offsetErr.add(Math.abs(m.trackOffsetMs() - expectedOffset));
                    scaleErr.add(Math.abs(m.timeScale() - c.timeScale()));
                    freqErr.add(Math.abs(m.frequencyFactor() - (speed ? c.timeScale() : 1.0)));
                } else {
                    wrong++;
                    if (verbose) {
                        log.accept("  wrong " + e.getKey() + "@" + from + " got: " + matches.get(0));
                    }
                }
            }
        }
        int n = correct + wrong + missed;
        CaseResult r = new CaseResult(c.name(), c.clipMs(), c.target(), n, correct, wrong, missed, skipped,
                n == 0 ? 0 : (double) correct / n, quantile(offsetErr, 0.5), quantile(offsetErr, 0.95),
                quantile(scaleErr, 0.5), quantile(freqErr, 0.5));
        log.accept(String.format("%-36s TPR %.3f (%d/%d, %d wrong, %d missed) offset err median %.0f ms p95 %.0f ms, "
                        + "scale err %.4f, freq err %.4f", c.name(), r.tpr(), correct, n, wrong, missed,
                r.medianOffsetErrorMs(), r.p95OffsetErrorMs(), r.medianScaleError(), r.medianFrequencyError()));
        return r;
    }

    /** Runs every negative class. */
    public List<NegativeResult> negatives(int speechClips, int jingles, int noises) {
        List<NegativeResult> out = new ArrayList<>();
        Random random = new Random(seed + 7);
        int rate = engine.config().sampleRateHz();
        Map<String, BiFunction<Pcm, Long, Pcm>> heldOutEffects = new LinkedHashMap<>();
        heldOutEffects.put("clean", (p, s) -> p);
        heldOutEffects.put("MP3 32 kbit/s", (p, s) -> media.codec(p, "libmp3lame", 32));
        heldOutEffects.put("broadcast chain", (p, s) -> media.broadcastChain(p));
        heldOutEffects.put("noise 10 dB", (p, s) -> Media.withNoise(p, 10, s));
        heldOutEffects.put("speed +5 %", (p, s) -> media.sox(p, "speed", "1.05"));
        heldOutEffects.put("tempo -3 %", (p, s) -> media.sox(p, "tempo", "0.97"));
        for (Map.Entry<String, BiFunction<Pcm, Long, Pcm>> fx : heldOutEffects.entrySet()) {
            List<Pcm> queries = new ArrayList<>();
            for (Pcm track : data.heldOut().values()) {
                for (int k = 0; k < clipsPerTrack + 1; k++) {
                    long from = (long) (random.nextDouble() * Math.max(0, track.durationMs() - 12_000));
                    long fxSeed = random.nextLong();
                    long f0 = from;
                    Pcm q = cached("neg-" + fx.getKey() + "-" + f0 + "-" + k + "-" + track.durationMs(),
                            () -> fx.getValue().apply(track.slice(f0, f0 + 12_000), fxSeed));
                    queries.add(q.slice(1_000, 11_000));
                    queries.add(q.slice(1_000, 6_000));
                }
            }
            out.add(negative("held-out music, " + fx.getKey() + " (10 s and 5 s)", queries));
        }
        List<Pcm> speech = new ArrayList<>();
        for (int i = 0; i < speechClips; i++) {
            Pcm s = speechPool().get(i % speechPool().size());
            long from = (long) (random.nextDouble() * Math.max(0, s.durationMs() - 10_000));
            Pcm q = s.slice(from, from + 10_000);
            speech.add(i % 2 == 0 ? q : media.broadcastChain(q));
        }
        out.add(negative("speech (espeak-ng, raw and processed)", speech));
        List<Pcm> jingleQ = new ArrayList<>();
        for (int i = 0; i < jingles; i++) {
            Pcm j = Media.jingle(rate, seed * 31 + i);
            jingleQ.add(i % 3 == 0 ? Media.mix(j, speechPool().get(i % speechPool().size()), -3) : j);
        }
        out.add(negative("jingles (synthetic, some with voice)", jingleQ));
        List<Pcm> noise = new ArrayList<>();
        for (int i = 0; i < noises; i++) {
            noise.add(i % 2 == 0 ? Media.whiteNoise(10_000, rate, 0.1, seed + i) : Media.pinkNoise(10_000, rate, 0.1, seed + i));
        }
        noise.add(Media.silence(10_000, rate));
        out.add(negative("noise (white, pink) and silence", noise));
        return out;
    }

    private NegativeResult negative(String name, List<Pcm> queries) {
        int fp = 0;
        for (Pcm q : queries) {
            List<Match> cands = engine.candidates(q, 1);
            if (!cands.isEmpty()) {
                negScores.add(cands.get(0).confidence());
                negAligned.add(cands.get(0).alignedCount());
            } else {
                negScores.add(0.0);
                negAligned.add(0);
            }
            List<Match> accepted = engine.identify(engine.fingerprintQuery(q));
            if (!accepted.isEmpty()) {
                fp++;
                if (verbose) {
                    log.accept("  false positive in " + name + ": " + accepted.get(0));
                }
            }
        }
        log.accept(String.format("%-52s FP %d / %d", name, fp, queries.size()));
        return new NegativeResult(name, queries.size(), fp);
    }

    /** Where degraded queries are cached between runs (they depend on the seed and data only), or null. */
    public java.nio.file.Path cache;

    private Pcm cached(String key, java.util.function.Supplier<Pcm> make) {
        if (cache == null) {
            return make.get();
        }
        java.nio.file.Path f = cache.resolve(key.replaceAll("[^A-Za-z0-9._-]", "_") + ".wav");
        try {
            if (java.nio.file.Files.isRegularFile(f)) {
                return io.spinledger.engine.audio.Wav.read(java.nio.file.Files.readAllBytes(f));
            }
            Pcm p = make.get();
            java.nio.file.Files.createDirectories(cache);
            java.nio.file.Files.write(f, io.spinledger.engine.audio.Wav.write(p));
            return p;
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Confidence scores seen so far. */
    public Scores scores() {
        return new Scores(List.copyOf(posScores), List.copyOf(negScores), List.copyOf(posAligned),
                List.copyOf(negAligned));
    }

    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) Math.floor(q * v.length))];
    }
}
