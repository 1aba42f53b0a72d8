package io.spinledger.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code infra/check/run.sh} (npm-installed ajv/yaml-cfn/hcl2json) and returns its JSON report.
 *
 * @param exitCode the checker's exit code (0 = everything passed)
 * @param report   its report: {@code sam.{parsed,validated,skipped,errors}}, {@code terraform.{files,errors}}
 * @param stderr   what it printed on stderr (npm output)
 */
record NodeCheck(int exitCode, JsonNode report, String stderr) {

    /** Runs the checker on a template and a Terraform directory, with the schema when there is one. */
    static NodeCheck run(Path template, Path terraformDir, Optional<Path> schema) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", Repo.CHECK.resolve("run.sh").toString(),
                "--sam", template.toString(), "--tf", terraformDir.toString()));
        schema.ifPresent(s -> {
            cmd.add("--schema");
            cmd.add(s.toString());
        });
        Path out = Files.createTempFile("infra-check", ".json");
        Path err = Files.createTempFile("infra-check", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("infra/check/run.sh timed out");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (stdout.isBlank()) {
                throw new IllegalStateException("infra/check/run.sh printed no report (exit " + p.exitValue() + "): " + stderr);
            }
            return new NodeCheck(p.exitValue(), new ObjectMapper().readTree(stdout), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
