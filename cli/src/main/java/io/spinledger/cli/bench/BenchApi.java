package io.spinledger.cli.bench;

import io.spinledger.local.SpinLedgerClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the runtime benches do over the HTTP API, shared by {@code bench plays} and {@code bench capacity}: register
 * the catalog's recordings ({@code POST /tracks}) and create stations ({@code POST /stations}); and clean up after.
 */
final class BenchApi {
    private BenchApi() {
    }

    /**
     * Registers every recording of the catalog with made-up metadata (a GHAMRO composer, a bench ISRC).
     *
     * @return track id to recording name (a 409 duplicate maps the existing track id to this recording)
     * @throws IllegalStateException on any other answer than 200, 201 or 409
     */
    static Map<String, String> registerCatalog(SpinLedgerClient client, PlayBroadcasts gen,
                                               PlayBroadcasts.Catalog catalog, Consumer<String> progress) {
        long r0 = System.nanoTime();
        Map<String, String> names = new HashMap<>();
        int n = 0;
        for (String track : catalog.registered()) {
            n++;
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("title", track);
            meta.put("artists", List.of("The Battle for Wesnoth soundtrack"));
            meta.put("isrc", String.format(Locale.ROOT, "GH-SLB-26-%05d", n));
            meta.put("writers", List.of(Map.of("name", "Wesnoth Composer " + n, "society", "GHAMRO",
                    "role", "composer", "sharePercent", 100)));
            SpinLedgerClient.Answer a = client.registerTrack(gen.file(track), meta);
            if (a.status() == 201 || a.status() == 200) {
                names.put(a.json().get("trackId").asText(), track);
            } else if (a.status() == 409) {
                progress.accept("POST /tracks " + track + ": 409, the catalog says it is "
                        + a.json().path("existingTitle").asText() + "; its airings count as that track's");
                names.putIfAbsent(a.json().get("existingTrackId").asText(), track);
            } else {
                throw new IllegalStateException("POST /tracks " + track + ": HTTP " + a.status() + " " + a.body());
            }
        }
        progress.accept(String.format(Locale.ROOT, "registered %d tracks over POST /tracks in %.0f s", names.size(),
                (System.nanoTime() - r0) / 1e9));
        return names;
    }

    /**
     * Creates a station (GH, class A, GHS, Africa/Accra), live when {@code streamUrl} is not null.
     *
     * @throws IllegalStateException unless the answer is 201
     */
    static void createStation(SpinLedgerClient client, String id, String name, String streamUrl) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("stationId", id);
        s.put("name", name);
        if (streamUrl != null) {
            s.put("streamUrl", streamUrl);
        }
        s.put("country", "GH");
        s.put("stationClass", "A");
        s.put("currency", "GHS");
        s.put("timezone", "Africa/Accra");
        SpinLedgerClient.Answer a = client.createStation(s);
        if (a.status() != 201) {
            throw new IllegalStateException("POST /stations " + id + ": HTTP " + a.status() + " " + a.body());
        }
    }

    /** Deletes a folder and everything in it, best effort (a temporary folder left behind is harmless). */
    static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp dir left behind
        }
    }
}
