package io.spinledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Paths of the repository the tests run in (Maven runs them with the module directory as working directory). */
final class Repo {
    /** The repository root: the first ancestor holding both {@code pom.xml} and {@code infra/}. */
    static final Path ROOT = findRoot();
    static final Path SAM_TEMPLATE = ROOT.resolve("infra/sam/template.yaml");
    static final Path TERRAFORM = ROOT.resolve("infra/terraform");
    static final Path CHECK = ROOT.resolve("infra/check");
    static final Path READY_D = ROOT.resolve("localstack/init/ready.d");
    static final Path DEPLOY = ROOT.resolve("localstack/deploy.sh");

    private Repo() {
    }

    private static Path findRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("infra"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml + infra/) above " + Path.of("").toAbsolutePath());
    }

    /**
     * The SAM JSON schema: env {@code SPINLEDGER_SAM_SCHEMA} when set, else {@code ../shared/schemas/sam.schema.json}
     * beside the repository (CI), or beside its parent (a git worktree under a sibling folder).
     */
    static Optional<Path> samSchema() {
        String env = System.getenv("SPINLEDGER_SAM_SCHEMA");
        Stream<Path> candidates = env != null && !env.isBlank() ? Stream.of(Path.of(env))
                : Stream.of(ROOT.resolve("../shared/schemas/sam.schema.json"),
                        ROOT.resolve("../../shared/schemas/sam.schema.json"));
        return candidates.map(Path::normalize).filter(Files::isRegularFile).findFirst();
    }

    /** A file's text. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first executable named {@code name} among the given directories and then {@code PATH}. */
    static Optional<Path> executable(String name, String... preferredDirs) {
        Stream<String> dirs = Stream.concat(Stream.of(preferredDirs),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        return dirs.filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }
}
