package io.spinledger.cli.bench;

import io.spinledger.engine.audio.AudioDecoder;
import io.spinledger.engine.audio.Pcm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bench's reference data: Debian's wesnoth-1.16-music recordings (41 Ogg Vorbis files),
 * shuffled with a fixed seed, the first 80 % indexed and the rest held out as never-indexed
 * negatives.
 *
 * @param indexed  track id (file name without .ogg) to audio, in shuffled order
 * @param heldOut  never-indexed tracks
 */
public record BenchDataset(Map<String, Pcm> indexed, Map<String, Pcm> heldOut) {
    /** Where the Debian package puts the recordings. */
    public static final Path WESNOTH_MUSIC = Path.of("/usr/share/games/wesnoth/1.16/data/core/music");

    /**
     * Loads and splits the recordings, installing the package with scripts/install-deps.sh when it is missing.
     *
     * @param folder   the recordings' folder
     * @param seed     shuffle seed
     * @param decoder  decoder at the engine's rate
     * @param maxTracks use at most this many recordings (for smoke tests), all when &lt;= 0
     */
    public static BenchDataset load(Path folder, long seed, AudioDecoder decoder, int maxTracks) {
        ensureInstalled(folder);
        List<Path> files;
        try (var s = Files.list(folder)) {
            files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".ogg")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.shuffle(files, new Random(seed));
        if (maxTracks > 0 && files.size() > maxTracks) {
            files = files.subList(0, maxTracks);
        }
        int cut = (int) Math.round(files.size() * 0.8);
        Map<String, Pcm> indexed = new LinkedHashMap<>();
        Map<String, Pcm> heldOut = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String id = f.getFileName().toString().replace(".ogg", "");
            (i < cut ? indexed : heldOut).put(id, decoder.decode(f));
        }
        return new BenchDataset(indexed, heldOut);
    }

    private static void ensureInstalled(Path folder) {
        if (Files.isDirectory(folder)) {
            return;
        }
        Path script = Path.of("scripts/install-deps.sh");
        if (Files.isRegularFile(script)) {
            io.spinledger.cli.Media.run(List.of("bash", script.toString()));
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException("missing " + folder + ": install Debian's wesnoth-1.16-music "
                    + "(scripts/install-deps.sh)");
        }
    }
}
