package io.spinledger.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.cli.Media;
import io.spinledger.cli.scan.AirCheckScan;
import io.spinledger.domain.Play;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A generated broadcast with a truth file: plays of indexed tracks (whole or partial, some sped
 * up or with a faster tempo, some with talk over the intro), unknown music, DJ talk and jingles,
 * the whole hour through the broadcast processing chain. It is scanned like an air-check by the deployed
 * stages ({@link AirCheckScan}: the capture stage's chunks, 10 s with 2 s overlap, the match stage's
 * detections and the play-assembly stage's plays) and the plays compared with the truth.
 */
public final class BroadcastBench {
    /**
     * The outcome.
     *
     * @param description what was generated
     * @param truePlays plays of indexed tracks in the truth
     * @param found truth plays matched by a reported play of the same track that overlaps it
     * @param reportedPlays plays the scan reported
     * @param correctReported reported plays that matched a truth play not matched before
     * @param recall found / truePlays
     * @param precision correctReported / reportedPlays
     * @param medianStartErrorS median |reported start - true start|, s
     * @param medianEndErrorS median |reported end - true end|, s
     * @param p90StartErrorS 90th percentile start error, s
     * @param p90EndErrorS 90th percentile end error, s
     * @param scanTimesRealTime broadcast duration / scan time
     */
    public record Result(String description, int truePlays, int found, int reportedPlays, int correctReported,
                         double recall, double precision, double medianStartErrorS, double medianEndErrorS,
                         double p90StartErrorS, double p90EndErrorS, double scanTimesRealTime) {
    }

    /** One play in the truth file. @param trackId track @param startMs start in the broadcast @param endMs end @param trackOffsetMs position in the track at the start @param timeScale speed it aired at @param change what was done to it */
    public record TruePlay(String trackId, long startMs, long endMs, long trackOffsetMs, double timeScale,
                           String change) {
    }

    private final FingerprintEngine engine;
    private final Media media;
    private final BenchDataset data;
    private final long seed;
    private final Consumer<String> log;

    BroadcastBench(FingerprintEngine engine, Media media, BenchDataset data, long seed, Consumer<String> log) {
        this.engine = engine;
        this.media = media;
        this.data = data;
        this.seed = seed;
        this.log = log;
    }

    Result run(int minutes, Path out) {
        int rate = engine.config().sampleRateHz();
        Random r = new Random(seed + 60);
        List<Pcm> speech = new RobustnessBench(engine, media, data, seed, 1, s -> { }).speechPool();
        List<String> songs = data.indexed().entrySet().stream().filter(e -> e.getValue().durationMs() >= 45_000)
                .map(Map.Entry::getKey).toList();
        List<String> unknown = data.heldOut().entrySet().stream().filter(e -> e.getValue().durationMs() >= 30_000)
                .map(Map.Entry::getKey).toList();
        List<Pcm> parts = new ArrayList<>();
        List<TruePlay> truth = new ArrayList<>();
        long at = 0;
        long target = minutes * 60_000L;
        int kind = 0;
        while (at < target) {
            double u = r.nextDouble();
            Pcm part;
            if (kind++ % 2 == 1 && u < 0.5) {
                part = speech.get(r.nextInt(speech.size()));
                part = part.slice(0, Math.min(part.durationMs(), 8_000 + r.nextInt(15_000)));
            } else if (kind % 2 == 1 && u < 0.8) {
                part = Media.jingle(rate, seed * 97 + kind);
            } else if (!unknown.isEmpty() && r.nextDouble() < 0.12) {
                Pcm song = data.heldOut().get(unknown.get(r.nextInt(unknown.size())));
                long len = Math.min(song.durationMs(), 30_000 + r.nextInt(60_000));
                part = song.slice(0, len);
            } else {
                String id = songs.get(r.nextInt(songs.size()));
                Pcm song = data.indexed().get(id);
                long from = r.nextDouble() < 0.7 ? 0 : 5_000 + r.nextInt(20_000);
                long len = Math.min(song.durationMs() - from, 40_000 + r.nextInt(140_000));
                Pcm piece = song.slice(from, from + len);
                double scale = 1.0;
                String change = "none";
                double v = r.nextDouble();
                if (v < 0.15) {
                    scale = 1.02 + 0.02 * r.nextDouble();
                    piece = media.sox(piece, "speed", String.format(java.util.Locale.ROOT, "%.4f", scale));
                    change = String.format(java.util.Locale.ROOT, "speed %.3f", scale);
                } else if (v < 0.25) {
                    scale = 1.01 + 0.02 * r.nextDouble();
                    piece = media.sox(piece, "tempo", String.format(java.util.Locale.ROOT, "%.4f", scale));
                    change = String.format(java.util.Locale.ROOT, "tempo %.3f", scale);
                }
                if (r.nextDouble() < 0.4) {
                    Pcm talk = speech.get(r.nextInt(speech.size()));
                    talk = talk.slice(0, Math.min(talk.durationMs(), 5_000 + r.nextInt(5_000)));
                    piece = Media.mix(piece, talk, 3);
                    change += ", talk-over intro";
                }
                truth.add(new TruePlay(id, at, at + piece.durationMs(), from, scale, change));
                part = piece;
            }
            parts.add(part);
            at += part.durationMs();
        }
        Pcm program = media.broadcastChain(Media.concat(parts));
        long duration = program.durationMs();
        log.accept(String.format("broadcast: %.1f min, %d plays of indexed tracks", duration / 60_000.0, truth.size()));
        AirCheckScan scanner = AirCheckScan.withDefaults(engine, 10_000, 2_000);
        Instant start = Instant.parse("2026-11-20T06:00:00Z");
        long t0 = System.nanoTime();
        AirCheckScan.Result scanned = scanner.scan(program, "bench-fm", start);
        List<Play> plays = scanned.plays();
        double scanS = (System.nanoTime() - t0) / 1e9;
        boolean[] matched = new boolean[truth.size()];
        int correct = 0;
        List<Double> startErr = new ArrayList<>();
        List<Double> endErr = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Play p : plays) {
            long pStartMs = p.startedAt().toEpochMilli() - start.toEpochMilli();
            long pEndMs = p.endedAt().toEpochMilli() - start.toEpochMilli();
            int best = -1;
            long bestOverlap = 0;
            for (int i = 0; i < truth.size(); i++) {
                TruePlay t = truth.get(i);
                long overlap = Math.min(t.endMs(), pEndMs) - Math.max(t.startMs(), pStartMs);
                if (t.trackId().equals(p.trackId()) && overlap > bestOverlap && !matched[i]) {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best >= 0) {
                matched[best] = true;
                correct++;
                startErr.add(Math.abs(pStartMs - truth.get(best).startMs()) / 1000.0);
                endErr.add(Math.abs(pEndMs - truth.get(best).endMs()) / 1000.0);
            } else {
                problems.add(String.format(java.util.Locale.ROOT, "spurious or split: %s %d-%d ms (%s, %d detections)",
                        p.trackId(), pStartMs, pEndMs, p.playId(), p.detectionIds().size()));
            }
        }
        int found = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (matched[i]) {
                found++;
            } else {
                problems.add("missed: " + truth.get(i));
            }
        }
        problems.forEach(p -> log.accept("  " + p));
        try {
            Files.createDirectories(out);
            ObjectMapper mapper = new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            Files.writeString(out.resolve("broadcast-truth.json"), mapper.writeValueAsString(truth));
            Files.writeString(out.resolve("broadcast-plays.json"), mapper.writeValueAsString(plays));
            Files.writeString(out.resolve("broadcast-detections.json"), mapper.writeValueAsString(scanned.detections()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String description = String.format("%.1f minutes, seed %d: %d plays of indexed tracks (%d sped up or faster "
                        + "tempo, %d with talk-over), plus unknown music, DJ talk and jingles; everything through the "
                        + "broadcast chain; scanned by the deployed capture, match and play-assembly stages (10 s "
                        + "chunks, 2 s overlap; plays as the pipeline assembles them). Truth: broadcast-truth.json, "
                        + "plays: broadcast-plays.json, detections: broadcast-detections.json.",
                duration / 60_000.0, seed, truth.size(),
                truth.stream().filter(t -> t.timeScale() != 1.0).count(),
                truth.stream().filter(t -> t.change().contains("talk")).count());
        Result res = new Result(description, truth.size(), found, plays.size(), correct,
                truth.isEmpty() ? 0 : (double) found / truth.size(), plays.isEmpty() ? 0 : (double) correct / plays.size(),
                quantile(startErr, 0.5), quantile(endErr, 0.5), quantile(startErr, 0.9), quantile(endErr, 0.9),
                duration / 1000.0 / scanS);
        log.accept(String.format("broadcast: recall %.3f, precision %.3f, start err median %.2f s, end err median %.2f s",
                res.recall(), res.precision(), res.medianStartErrorS(), res.medianEndErrorS()));
        return res;
    }

    private static double quantile(List<Double> v, double q) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(q * a.length))];
    }
}
