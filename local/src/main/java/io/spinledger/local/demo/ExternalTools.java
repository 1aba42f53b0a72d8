package io.spinledger.local.demo;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs the command-line tools the demo station and the live tests drive (icecast2, ffmpeg,
 * espeak-ng, sox).
 * They are Debian packages installed by {@code scripts/install-deps.sh}.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /**
     * Returns the executable {@code name} from /usr/bin or the PATH.
     *
     * @throws IllegalStateException naming {@code scripts/install-deps.sh} when it is missing
     */
    public static Path require(String name) {
        Path usrBin = Path.of("/usr/bin", name);
        if (Files.isExecutable(usrBin)) {
            return usrBin;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name);
                }
            }
        }
        throw new IllegalStateException(name + " is not installed: run scripts/install-deps.sh");
    }

    /**
     * What the demo station needs and this machine lacks: the tools icecast2, ffmpeg, espeak-ng and the
     * Debian package wesnoth-1.16-music, by package name.
     */
    public static java.util.List<String> missing() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String tool : new String[] {"icecast2", "ffmpeg", "espeak-ng"}) {
            try {
                require(tool);
            } catch (IllegalStateException e) {
                out.add(tool);
            }
        }
        if (!Files.isDirectory(Playlist.WESNOTH_MUSIC)) {
            out.add("wesnoth-1.16-music");
        }
        return out;
    }

    /**
     * Runs a command to completion.
     *
     * @throws IOException with the command's output when it exits non-zero or outlives {@code timeoutSeconds}
     */
    public static void run(long timeoutSeconds, String... command) throws IOException {
        Path log = Files.createTempFile("tool-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
