package io.spinledger.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.spinledger.engine.fingerprint.MatchThresholds;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the bench's results and writes them as Markdown tables and JSON. */
public final class Report {
    /** Markdown report file name. */
    public static final String MARKDOWN = "fingerprint-bench.md";
    /** JSON report file name. */
    public static final String JSON = "fingerprint-bench.json";

    private final Path out;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();

    /** @param out report folder */
    public Report(Path out) {
        this.out = out;
        md.append("# Fingerprint engine benchmark\n\n");
    }

    /** Records the machine: cores, load, JVM. */
    public void machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        json.put("machine", Map.of("cores", cores, "loadAverage1m", load, "jvm", jvm, "at", Instant.now().toString()));
        md.append(String.format("Machine: %d cores, load average %.2f at start, %s, %s.%n%n", cores, load, jvm,
                Instant.now()));
    }

    /** A free-form line. */
    public void note(String key, String text) {
        json.put(key, text);
        md.append("- ").append(key).append(": ").append(text).append('\n');
    }

    /** The robustness table. */
    public void cases(List<RobustnessBench.CaseResult> results) {
        json.put("cases", results);
        md.append("\n## Robustness (first result only)\n\nQueries per case: every indexed track at least as long as "
                + "the clip plus 3.5 s (the others are counted under 'too short'), random offsets, fixed seed.\n\n")
                .append("| case | clip | queries | TPR | target | wrong track | missed | too short | offset err median / p95 (ms) | time-scale err | freq-factor err |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (RobustnessBench.CaseResult r : results) {
            md.append(String.format("| %s | %d s | %d | %.3f %s | >= %.2f | %d | %d | %d | %.0f / %.0f | %.4f | %.4f |%n",
                    r.name(), r.clipMs() / 1000, r.queries(), r.tpr(), r.tpr() >= r.target() ? "ok" : "**below**",
                    r.target(), r.wrongTrack(), r.missed(), r.tracksTooShort(), r.medianOffsetErrorMs(), r.p95OffsetErrorMs(),
                    r.medianScaleError(), r.medianFrequencyError()));
        }
    }

    /** The negatives table. */
    public void negatives(List<RobustnessBench.NegativeResult> results) {
        json.put("negatives", results);
        int n = 0;
        int fp = 0;
        md.append("\n## Negatives (must not match)\n\n| class | queries | false positives |\n| --- | --- | --- |\n");
        for (RobustnessBench.NegativeResult r : results) {
            md.append(String.format("| %s | %d | %d |%n", r.name(), r.queries(), r.falsePositives()));
            n += r.queries();
            fp += r.falsePositives();
        }
        double rate = n == 0 ? 0 : (double) fp / n;
        json.put("falsePositiveRate", rate);
        md.append(String.format("| **all negatives** | %d | %d (rate %.4f, target <= 0.005 %s) |%n", n, fp, rate,
                rate <= 0.005 ? "ok" : "**above**"));
    }

    /** Confidence calibration: FP rate and TPR per threshold, from the best candidate of every query. */
    public void calibration(RobustnessBench.Scores s, MatchThresholds defaults) {
        List<Map<String, Object>> rows = new ArrayList<>();
        md.append("\n## Confidence calibration\n\nBest unthresholded candidate of every query above; "
                        + "a query counts as accepted when its best candidate reaches the confidence (and ")
                .append(defaults.minAlignedTriplets()).append(" aligned triplets).\n\n")
                .append("| min confidence | negatives accepted (FP rate) | positives accepted |\n| --- | --- | --- |\n");
        for (double t : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}) {
            double fp = rate(s.negatives(), s.negativeAligned(), t, defaults.minAlignedTriplets());
            double tp = rate(s.positives(), s.positiveAligned(), t, defaults.minAlignedTriplets());
            rows.add(Map.of("minConfidence", t, "falsePositiveRate", fp, "positiveAcceptRate", tp));
            md.append(String.format("| %.1f%s | %.4f | %.4f |%n", t,
                    Math.abs(t - defaults.minConfidence()) < 1e-9 ? " (default)" : "", fp, tp));
        }
        md.append(String.format("%nAligned triplets of the best candidate, positives p10/p50: %s / %s; negatives p50/p99/max: %s / %s / %s.%n",
                q(s.positiveAligned(), 0.1), q(s.positiveAligned(), 0.5), q(s.negativeAligned(), 0.5),
                q(s.negativeAligned(), 0.99), q(s.negativeAligned(), 1.0)));
        double maxNeg = s.negatives().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        md.append(String.format("%nHighest negative confidence: %.3f over %d negatives.%n", maxNeg,
                s.negatives().size()));
        json.put("calibration", Map.of("rows", rows, "maxNegativeConfidence", maxNeg,
                "negatives", s.negatives().size(), "positives", s.positives().size()));
    }

    private static int q(List<Integer> v, double p) {
        if (v.isEmpty()) {
            return 0;
        }
        List<Integer> sorted = v.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
    }

    private static double rate(List<Double> scores, List<Integer> aligned, double t, int minAligned) {
        if (scores.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (scores.get(i) >= t && aligned.get(i) >= minAligned) {
                n++;
            }
        }
        return (double) n / scores.size();
    }

    /** The broadcast section. */
    public void broadcast(BroadcastBench.Result r) {
        json.put("broadcast", r);
        md.append("\n## Generated broadcast\n\n").append(r.description()).append("\n\n")
                .append("| measure | value | target |\n| --- | --- | --- |\n")
                .append(String.format("| play recall | %.3f (%d of %d) | >= 0.98 |%n", r.recall(), r.found(), r.truePlays()))
                .append(String.format("| play precision | %.3f (%d of %d) | >= 0.99 |%n", r.precision(), r.correctReported(), r.reportedPlays()))
                .append(String.format("| median start error | %.2f s | <= 1.0 s |%n", r.medianStartErrorS()))
                .append(String.format("| median end error | %.2f s | <= 1.0 s |%n", r.medianEndErrorS()))
                .append(String.format("| p90 start / end error | %.2f / %.2f s | |%n", r.p90StartErrorS(), r.p90EndErrorS()))
                .append(String.format("| scan speed | %.0fx real time | |%n", r.scanTimesRealTime()));
    }

    /** The cost section. */
    public void costs(CostBench.Result r) {
        json.put("costs", r);
        md.append("\n## Costs (single thread)\n\n").append(r.description()).append("\n\n")
                .append("| measure | value | target |\n| --- | --- | --- |\n");
        for (CostBench.Row row : r.rows()) {
            md.append("| ").append(row.measure()).append(" | ").append(row.value()).append(" | ")
                    .append(row.target()).append(" |\n");
        }
    }

    /** Writes both files. */
    public void write() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKDOWN), md.toString());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(out.resolve(JSON), mapper.writeValueAsString(json));
    }

    /** The Markdown so far. */
    public String markdown() {
        return md.toString();
    }
}
