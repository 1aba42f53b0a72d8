package io.spinledger.cli;

import io.spinledger.cli.bench.BenchDataset;
import io.spinledger.cli.bench.Report;
import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.audio.Wav;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end on a few real recordings, and a tiny bench run (the full bench is not a test). */
@Timeout(240)
class CliSmokeTest {
    private static final List<String> TRACKS = List.of("elf-land.ogg", "love_theme.ogg", "transience.ogg");

    @Test
    void indexIdentifyAndScanAFolder(@TempDir Path dir) throws Exception {
        Path music = dir.resolve("music");
        Files.createDirectories(music);
        for (String t : TRACKS) {
            Files.copy(BenchDataset.WESNOTH_MUSIC.resolve(t), music.resolve(t));
        }
        Path index = dir.resolve("index");
        assertThat(run("index", "--index-dir", index.toString(), "--compact", music.toString()).code).isZero();
        assertThat(Files.list(index.resolve("index/segments")).toList()).hasSize(1);

        Media media = new Media(11_025);
        Pcm love = media.decoder().decode(music.resolve("love_theme.ogg"));
        Pcm elf = media.decoder().decode(music.resolve("elf-land.ogg"));
        Path clip = dir.resolve("clip.wav");
        Files.write(clip, Wav.write(love.slice(30_000, 40_000)));
        Result identify = run("identify", "--index-dir", index.toString(), clip.toString());
        assertThat(identify.code).isZero();
        assertThat(identify.out).contains("\"trackId\" : \"love_theme\"").contains("\"timeScale\"");

        Pcm airCheck = Media.concat(List.of(Media.silence(4_000, 11_025), love.slice(0, 40_000),
                media.speech("And that was the love theme. Now something from the elves.", "en", 160),
                elf.slice(0, 20_000)));
        Path air = dir.resolve("air.wav");
        Files.write(air, Wav.write(airCheck));
        Result scan = run("scan", "--index-dir", index.toString(), "--station", "smoke-fm",
                "--start", "2026-11-20T06:00:00Z", "--format", "csv", air.toString());
        assertThat(scan.code).isZero();
        List<String> lines = scan.out.lines().toList();
        assertThat(lines.get(0)).startsWith("station,track_id,started_at");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("smoke-fm,love_theme,2026-11-20T06:00:04");
        assertThat(lines.get(2)).contains(",elf-land,");
        String[] loveRow = lines.get(1).split(",");
        // duration = end - start, the track offset near 0 (the song airs from its start), full speed
        assertThat(Long.parseLong(loveRow[4])).isEqualTo(java.time.Duration.between(java.time.Instant.parse(loveRow[2]),
                java.time.Instant.parse(loveRow[3])).toMillis()).isBetween(35_000L, 40_500L);
        assertThat(Long.parseLong(loveRow[5])).isBetween(-500L, 1_000L);
        assertThat(Double.parseDouble(loveRow[6])).isBetween(0.99, 1.01);
        assertThat(Integer.parseInt(loveRow[8])).isGreaterThanOrEqualTo(4);

        // JSON: the deployed play records, final, with the pipeline's chunk and detection ids
        Result json = run("scan", "--index-dir", index.toString(), "--station", "smoke-fm",
                "--start", "2026-11-20T06:00:00Z", air.toString());
        assertThat(json.code).isZero();
        com.fasterxml.jackson.databind.JsonNode plays = io.spinledger.json.Json.MAPPER.readTree(json.out);
        assertThat(plays.size()).isEqualTo(2);
        com.fasterxml.jackson.databind.JsonNode first = plays.get(0);
        assertThat(first.get("trackId").asText()).isEqualTo("love_theme");
        assertThat(first.get("stationId").asText()).isEqualTo("smoke-fm");
        assertThat(first.get("status").asText()).isEqualTo("CLOSED");
        assertThat(first.get("royaltyEligible").asBoolean()).isTrue();
        assertThat(first.get("playId").asText()).matches("p-\\d{13}-[0-9a-f]{12}");
        assertThat(first.get("startedAt").asText()).startsWith("2026-11-20T06:00:04");
        // chunks start every 8 s from the air-check's start; the first one is 06:00:00 = 1795154400000 ms
        assertThat(first.get("chunkIds").get(0).asText()).isEqualTo("smoke-fm-1795154400000");
        assertThat(first.get("detectionIds").get(0).asText()).isEqualTo("smoke-fm-1795154400000:love_theme");
        assertThat(plays.get(1).get("trackId").asText()).isEqualTo("elf-land");

        Path notAudio = dir.resolve("not-audio.mp3");
        Files.writeString(notAudio, "this is not audio");
        assertThat(run("scan", "--index-dir", index.toString(), "--station", "smoke-fm",
                "--start", "2026-11-20T06:00:00Z", notAudio.toString()).code).isNotZero();
    }

    @Test
    void aTinyBenchWritesTheReport(@TempDir Path dir) throws Exception {
        Result r = run("bench", "--out", dir.toString(), "--max-tracks", "6", "--clips", "1", "--cases",
                "clean,speed +5", "--broadcast-minutes", "0", "--cost-tracks", "0");
        assertThat(r.code).isZero();
        String md = Files.readString(dir.resolve(Report.MARKDOWN));
        assertThat(md).contains("| clean re-encode (MP3 128 kbit/s) | 10 s |").contains("| speed +5 % |")
                .contains("## Confidence calibration");
        assertThat(Files.readString(dir.resolve(Report.JSON))).contains("\"cases\"").contains("\"machine\"");
    }

    private record Result(int code, String out) {
    }

    private static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true));
            int code = new CommandLine(new SpinLedgerCli()).execute(args);
            return new Result(code, bytes.toString());
        } finally {
            System.setOut(old);
        }
    }
}
