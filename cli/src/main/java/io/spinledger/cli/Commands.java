package io.spinledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.cli.scan.AirCheckScan;
import io.spinledger.domain.Play;
import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintConfig;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.IndexStore;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.engine.fingerprint.MatchThresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** The terminal subcommands other than {@code bench}. They keep the index under {@code --index-dir}. */
final class Commands {
    private Commands() {
    }

    /** Options every command shares. */
    static class IndexOptions {
        @Option(names = "--index-dir", description = "folder holding the index segments (default: ${DEFAULT-VALUE})")
        Path indexDir = Path.of("spinledger-index");

        FingerprintEngine engine() {
            FingerprintConfig config = FingerprintConfig.defaults();
            FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                    new IndexStore(new FileObjectStore(indexDir), config));
            engine.refresh();
            return engine;
        }

        AudioDecoder decoder() {
            return new AudioDecoder(FingerprintConfig.defaults().sampleRateHz(), AudioDecoder.DEFAULT_MAX_DURATION_MS);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** {@code spinledger index FOLDER}. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Register every audio file of a folder as a reference track (id = file name).")
    static final class Index extends IndexOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "folder of audio files (ogg, mp3, wav, flac, m4a...)")
        Path folder;

        @Option(names = "--compact", description = "merge all segments into one base segment afterwards")
        boolean compact;

        @Override
        public Integer call() throws IOException {
            List<Path> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches("(?i).*\\.(ogg|oga|mp3|wav|flac|m4a|aac|opus)$")).sorted().toList();
            }
            FingerprintEngine engine = engine();
            AudioDecoder decoder = decoder();
            PrintStream err = System.err;
            long audioMs = 0;
            long fps = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                String id = f.getFileName().toString().replaceFirst("\\.[^.]+$", "").replaceAll("[^A-Za-z0-9._-]", "_");
                try {
                    Pcm pcm = decoder.decode(f);
                    fps += engine.register(id, pcm).size();
                    audioMs += pcm.durationMs();
                } catch (RuntimeException e) {
                    err.printf("%nskipped %s: %s%n", f, e.getMessage());
                }
                progress(err, i + 1, files.size(), id);
            }
            err.println();
            if (compact) {
                engine.store().compact();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "indexed %d files, %.1f min of audio, %d fingerprints in %.1f s (%.0fx real time) into %s%n",
                    files.size(), audioMs / 60_000.0, fps, s, audioMs / 1000.0 / s, indexDir);
            return 0;
        }

        private static void progress(PrintStream err, int done, int total, String name) {
            int width = 30;
            int filled = total == 0 ? width : done * width / total;
            err.printf("\r[%s%s] %d/%d %-30.30s", "#".repeat(filled), " ".repeat(width - filled), done, total, name);
            err.flush();
        }
    }

    /** {@code spinledger identify CLIP}. */
    @Command(name = "identify", mixinStandardHelpOptions = true, description = "Identify a clip (5-20 s is best); prints JSON.")
    static final class Identify extends IndexOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "audio clip")
        Path clip;

        @Override
        public Integer call() throws IOException {
            FingerprintEngine engine = engine();
            List<Match> matches = engine.identify(decoder().decode(clip));
            System.out.println(JSON.writeValueAsString(matches));
            return matches.isEmpty() ? 1 : 0;
        }
    }

    /** {@code spinledger scan FILE --station S --start INSTANT}. */
    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = "Scan an air-check recording of a station into plays (JSON or CSV on stdout).")
    static final class Scan extends IndexOptions implements Callable<Integer> {
        @Parameters(index = "0", description = "air-check audio file")
        Path file;

        @Option(names = "--station", required = true, description = "station id")
        String station;

        @Option(names = "--start", required = true, description = "UTC instant of the first sample, e.g. 2026-11-20T06:00:00Z")
        Instant start;

        @Option(names = "--format", description = "json or csv (default: ${DEFAULT-VALUE})")
        String format = "json";

        @Option(names = "--chunk-ms", description = "chunk length, ms (default: ${DEFAULT-VALUE})")
        long chunkMs = AirCheckScan.defaults().capture().chunkMs();

        @Option(names = "--overlap-ms", description = "chunk overlap, ms (default: ${DEFAULT-VALUE})")
        long overlapMs = AirCheckScan.defaults().capture().chunkOverlapMs();

        @Override
        public Integer call() throws IOException {
            FingerprintEngine engine = engine();
            if (!Files.isRegularFile(file)) {
                throw new IOException("not a readable file: " + file);
            }
            AirCheckScan.Result result = AirCheckScan.withDefaults(engine, chunkMs, overlapMs)
                    .scan(Files.readAllBytes(file), station, start);
            List<Play> plays = result.plays();
            if (format.equalsIgnoreCase("csv")) {
                System.out.println("station,track_id,started_at,ended_at,duration_ms,track_offset_ms,time_scale,confidence,detections");
                for (Play p : plays) {
                    System.out.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.4f,%.3f,%d%n", p.stationId(), p.trackId(),
                            p.startedAt(), p.endedAt(), p.durationMs(), result.trackOffsetMs(p), result.timeScale(p),
                            p.confidence(), p.detectionIds().size());
                }
            } else {
                System.out.println(JSON.writeValueAsString(plays));
            }
            return 0;
        }
    }
}
