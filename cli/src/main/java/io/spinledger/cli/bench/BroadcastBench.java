package io.spinledger.cli.bench;

import io.spinledger.cli.Media;
import io.spinledger.fingerprint.FingerprintEngine;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Placeholder, replaced below. */
public final class BroadcastBench {
    /** Result. */
    public record Result(String description, int truePlays, int found, int reportedPlays, int correctReported,
                         double recall, double precision, double medianStartErrorS, double medianEndErrorS,
                         double p90StartErrorS, double p90EndErrorS, double scanTimesRealTime) {
    }

    BroadcastBench(FingerprintEngine engine, Media media, BenchDataset data, long seed, Consumer<String> log) {
    }

    Result run(int minutes, Path out) {
        throw new UnsupportedOperationException();
    }
}
