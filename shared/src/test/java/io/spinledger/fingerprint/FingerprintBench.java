package io.spinledger.fingerprint;

import io.spinledger.audio.AudioDecoder;
import io.spinledger.audio.Pcm;
import io.spinledger.audio.TestAudio;
import io.spinledger.storage.InMemoryObjectStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): indexes all 41 Wesnoth recordings, then extracts and matches random
 * 20 s chunks. Reports decode and extraction speed as multiples of real time, index size, and the
 * median / p95 / max time to extract + match one chunk, plus how many chunks were identified.
 *
 * <p>Run from the repository root (single-threaded; the first queries include JIT warm-up, so
 * 50 warm-up chunks are run and discarded):
 * <pre>
 * export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
 * mvn -B -o -q -pl shared test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * $JAVA_HOME/bin/java -cp "shared/target/test-classes:shared/target/classes:$(cat shared/target/test-classpath.txt)" \
 *     io.spinledger.fingerprint.FingerprintBench [chunks=300] [chunkMs=20000]
 * </pre>
 * Measured on a shared 2-core x86-64 build box (JDK 25): decode 411x, extract 1014x real time;
 * 20 s chunk extract (4 grid shifts) + match against 1.2 M postings: median 87 ms, p95 141 ms;
 * 297 of 297 music chunks identified with the offset within 100 ms.
 */
public final class FingerprintBench {
    private FingerprintBench() {
    }

    /** @param args optional: number of measured chunks, chunk length in ms */
    public static void main(String[] args) {
        int chunks = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long chunkMs = args.length > 1 ? Long.parseLong(args[1]) : 20_000;
        FingerprintConfig config = FingerprintConfig.defaults();
        AudioDecoder decoder = new AudioDecoder(config.sampleRateHz(), AudioDecoder.DEFAULT_MAX_DURATION_MS);
        FingerprintEngine engine = new FingerprintEngine(config, MatchThresholds.defaults(),
                new IndexStore(new InMemoryObjectStore(), config));
        FingerprintExtractor extractor = new FingerprintExtractor(config);

        List<String> ids = new ArrayList<>();
        List<Pcm> audio = new ArrayList<>();
        long decodeNs = 0;
        long extractNs = 0;
        long registerNs = 0;
        long audioMs = 0;
        long hashes = 0;
        for (Path file : TestAudio.allWesnoth()) {
            long t0 = System.nanoTime();
            Pcm pcm = decoder.decode(file);
            long t1 = System.nanoTime();
            Fingerprints fps = extractor.extract(pcm);
            long t2 = System.nanoTime();
            engine.register(file.getFileName().toString().replace(".ogg", ""), pcm);
            long t3 = System.nanoTime();
            decodeNs += t1 - t0;
            extractNs += t2 - t1;
            registerNs += t3 - t2;
            audioMs += pcm.durationMs();
            hashes += fps.size();
            ids.add(file.getFileName().toString().replace(".ogg", ""));
            audio.add(pcm);
        }
        System.out.printf("indexed %d tracks, %.1f min of audio, %d hashes (%.0f/s), %d postings%n",
                ids.size(), audioMs / 60_000.0, hashes, hashes * 1000.0 / audioMs, engine.index().postingCount());
        System.out.printf("decode  %.0fx real time (%.1f s)%n", audioMs / (decodeNs / 1e6), decodeNs / 1e9);
        System.out.printf("extract %.0fx real time (%.1f s), register (extract+segment+index) %.0fx%n",
                audioMs / (extractNs / 1e6), extractNs / 1e9, audioMs / (registerNs / 1e6));

        Random random = new Random(42);
        int warmUp = 50;
        long[] times = new long[chunks];
        int correct = 0;
        int eligible = 0;
        for (int i = -warmUp; i < chunks; i++) {
            int track = random.nextInt(ids.size());
            Pcm pcm = audio.get(track);
            long from = pcm.durationMs() > chunkMs ? (long) (random.nextDouble() * (pcm.durationMs() - chunkMs)) : 0;
            Pcm chunk = pcm.slice(from, from + chunkMs);
            long t0 = System.nanoTime();
            List<Match> matches = engine.identify(chunk);
            long t1 = System.nanoTime();
            if (i >= 0) {
                times[i] = t1 - t0;
                if (!ids.get(track).equals("silence")) {
                    eligible++;
                    if (!matches.isEmpty() && matches.get(0).trackId().equals(ids.get(track))
                            && Math.abs(matches.get(0).trackOffsetMs() - from) <= 100) {
                        correct++;
                    }
                }
            }
        }
        Arrays.sort(times);
        System.out.printf("identify %d chunks of %d ms: median %.1f ms, p95 %.1f ms, max %.1f ms (%.0fx real time at median)%n",
                chunks, chunkMs, times[chunks / 2] / 1e6, times[(int) (chunks * 0.95)] / 1e6, times[chunks - 1] / 1e6,
                chunkMs / (times[chunks / 2] / 1e6));
        System.out.printf("identified %d of %d music chunks (right track, offset within 100 ms)%n", correct, eligible);
    }
}
