package io.spinledger.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CostCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, List<String> out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new CostCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString().lines().toList(), err.toString());
    }

    @Test
    void lastLineIsThePerStationMonthAtAThousandStations() throws Exception {
        Path f = dir.resolve("metering.json");
        Files.writeString(f, CostModelTest.SNAPSHOT);
        Run r = run("--metering", f.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String last = r.out().get(r.out().size() - 1);
        assertThat(last).matches("per station-month at 1000 stations: US\\$\\d+\\.\\d{2}");
        assertThat(last).isEqualTo(String.format(Locale.ROOT, "per station-month at 1000 stations: US$%.2f",
                CostModelTest.expectedAt1000()));
        assertThat(r.out()).contains("| 1,000 | 143 | " + String.format(Locale.ROOT, "%.2f",
                CostModelTest.expectedAt1000()) + " | " + String.format(Locale.ROOT, "%,.2f",
                CostModelTest.expectedAt1000() * 1000) + " |");
        assertThat(r.out()).anyMatch(l -> l.startsWith("| Fargate ARM64 vCPU | US$0.03238 per vCPU-hour |"));
        assertThat(r.out()).anyMatch(l -> l.startsWith("ACRCloud (not in the AWS figures): 7,300 identify requests"));
    }

    @Test
    void aMissingSnapshotSaysWhere() {
        Run r = run("--metering", dir.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no metering snapshot at").contains("nope.json");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aGarbledSnapshotIsRefused() throws Exception {
        Path f = dir.resolve("garbled.json");
        Files.writeString(f, CostModelTest.SNAPSHOT.substring(0, 200));
        Run r = run("--metering", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("garbled.json is not JSON");

        Files.writeString(f, "{\"counters\": {}}");
        r = run("--metering", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not a metering snapshot: format is missing");

        Files.writeString(f, CostModelTest.SNAPSHOT.replace("\"capture.cpuMs\": 300000", "\"capture.cpuMs\": \"x\""));
        r = run("--metering", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("counter 'capture.cpuMs' is not a whole number");
    }

    @Test
    void anUnreachableRuntimeIsAClearError() {
        Run r = run("--url", "http://127.0.0.1:1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:1/local/metering");
    }
}
