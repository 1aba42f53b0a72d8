package io.spinledger.cli.bench;

import io.spinledger.fingerprint.FingerprintConfig;

import java.util.List;
import java.util.function.Consumer;

/** Placeholder, replaced below. */
public final class CostBench {
    /** A row. */
    public record Row(String measure, String value, String target) {
    }

    /** Result. */
    public record Result(String description, List<Row> rows) {
    }

    static Result run(FingerprintConfig config, BenchDataset data, int tracks, Consumer<String> log) {
        throw new UnsupportedOperationException();
    }
}
