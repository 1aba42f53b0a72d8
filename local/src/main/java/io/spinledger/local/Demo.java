package io.spinledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.local.demo.ExternalTools;
import io.spinledger.local.demo.IcecastServer;
import io.spinledger.local.demo.IcecastSource;
import io.spinledger.local.demo.Playlist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The offline demo: registers real recordings (Debian's wesnoth-1.16-music) as reference tracks, plus
 * distractors, starts a local Icecast station that plays three of them with speech between songs, registers
 * the station, and prints plays and ledger postings as they arrive. Everything goes through the public
 * HTTP API, as a user's scripts would.
 */
final class Demo {
    /** The recordings the demo station airs (in this order). */
    static final List<String> AIRED = List.of("battle.ogg", "frantic.ogg", "knolls.ogg");
    /** Further recordings registered as distractors (never aired). */
    static final List<String> DISTRACTORS = List.of("casualties_of_war.ogg", "heroes_rite.ogg", "journeys_end.ogg",
            "loyalists.ogg", "northerners.ogg", "revelation.ogg", "the_city_falls.ogg");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param pipeline    the running pipeline
     * @param waitMinutes 0 = start the station and keep printing; N = return once the broadcast's plays are
     *                    posted, waiting at most N minutes
     * @return true when everything expected happened (always true when not waiting)
     */
    static boolean run(LocalPipeline pipeline, int waitMinutes) throws Exception {
        List<String> missing = ExternalTools.missing();
        if (!missing.isEmpty()) {
            System.out.println("Demo not started: missing " + String.join(", ", missing)
                    + ". Install them with scripts/install-deps.sh (or run with --no-demo).");
            return false;
        }
        SpinLedgerClient client = new SpinLedgerClient(pipeline.baseUrl());
        System.out.println("Demo: registering " + (AIRED.size() + DISTRACTORS.size())
                + " reference recordings from wesnoth-1.16-music...");
        Map<String, String> trackIds = new LinkedHashMap<>();
        int n = 0;
        for (String file : concat(AIRED, DISTRACTORS)) {
            Path p = Playlist.wesnothMusic(file);
            var answer = client.registerTrack(p, metadata(file, n++));
            if (answer.status() / 100 != 2) {
                System.out.println("  " + file + ": HTTP " + answer.status() + " " + answer.body());
                return false;
            }
            trackIds.put(file, answer.json().get("trackId").asText());
            System.out.println("  " + answer.json().at("/track/title").asText() + " -> " + trackIds.get(file)
                    + (answer.status() == 200 ? " (already registered)" : ""));
        }

        Path work = Files.createTempDirectory("spinledger-demo");
        Playlist playlist = new Playlist().speech("Good morning. You are listening to SpinLedger demo F M.");
        for (int i = 0; i < AIRED.size(); i++) {
            playlist.music(Playlist.wesnothMusic(AIRED.get(i)), 10_000, 50_000);
            playlist.speech(i + 1 < AIRED.size() ? "That was track number " + (i + 1) + ". Here is the next one."
                    : "That was our last song. Thank you for listening to SpinLedger demo F M.");
        }
        Playlist.Rendered show = playlist.render(work);
        IcecastServer icecast = IcecastServer.start();
        IcecastSource source = IcecastSource.start(icecast, "/demo.mp3", show, IcecastSource.Codec.MP3);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            source.close();
            icecast.close();
        }, "demo-station-stop"));
        String stationId = "demo-fm-" + TIME.format(Instant.now()).replace(":", "");
        var created = client.createStation(Map.of("stationId", stationId, "name", "SpinLedger Demo FM",
                "streamUrl", source.listenUrl(), "country", "GH", "stationClass", "A", "currency", "GHS",
                "timezone", "Africa/Accra"));
        if (created.status() != 201) {
            System.out.println("Demo: could not create the station: HTTP " + created.status() + " " + created.body());
            return false;
        }
        pipeline.fire("captureScheduler");
        System.out.println("Demo: station " + stationId + " is on air at " + source.listenUrl() + " ("
                + show.durationMs() / 1000 + " s programme: " + AIRED.size() + " songs with speech between).");
        System.out.println("Demo: watch " + pipeline.baseUrl() + "/plays?stationId=" + stationId + " and "
                + pipeline.baseUrl() + "/ledger/transactions");
        for (Playlist.Segment s : show.segments()) {
            if (s.kind() == Playlist.Kind.MUSIC) {
                System.out.printf("  on air %s-%s  %s%n", TIME.format(source.instantOf(s.startMs())),
                        TIME.format(source.instantOf(s.endMs())), s.label());
            }
        }
        Instant until = waitMinutes > 0 ? Instant.now().plus(Duration.ofMinutes(waitMinutes))
                : Instant.MAX;
        Set<String> printed = new HashSet<>();
        Set<String> seenPlays = new HashSet<>();
        Set<String> printedTxns = new HashSet<>();
        while (Instant.now().isBefore(until)) {
            Thread.sleep(3_000);
            JsonNode plays = client.get("/plays?stationId=" + stationId).json().get("plays");
            int posted = 0;
            for (JsonNode p : plays) {
                String key = p.get("playId").asText() + p.get("status").asText() + p.get("endedAt").asText();
                String status = p.get("status").asText();
                if (printed.add(key)) {
                    Instant started = Instant.parse(p.get("startedAt").asText());
                    String note = status.equals("OPEN") ? "(still on air)"
                            : p.get("royaltyEligible").asBoolean() ? "" : "(under the minimum: kept, not paid)";
                    if (seenPlays.add(p.get("playId").asText())) {
                        note += String.format(" first seen %.0f s after it went on air",
                                Duration.between(started, Instant.now()).toMillis() / 1000.0);
                    }
                    System.out.printf("  play %-6s %-14s %s-%s %5.1f s %s%n", status, p.get("title").asText(),
                            TIME.format(started), TIME.format(Instant.parse(p.get("endedAt").asText())),
                            p.get("durationMs").asLong() / 1000.0, note);
                }
                if (p.get("status").asText().equals("POSTED")) {
                    posted++;
                }
            }
            for (JsonNode t : client.get("/ledger/transactions?limit=50").json().get("transactions")) {
                if (t.get("stationId").asText().equals(stationId) && printedTxns.add(t.get("transactionId").asText())) {
                    List<String> lines = new ArrayList<>();
                    for (JsonNode e : t.get("entries")) {
                        String currency = e.get("currency").asText();
                        lines.add(e.get("account").asText() + " " + java.math.BigDecimal.valueOf(
                                e.get("amountMinor").asLong(), java.util.Currency.getInstance(currency)
                                        .getDefaultFractionDigits()).toPlainString() + " " + currency);
                    }
                    System.out.println("  posting " + t.get("playId").asText() + ": " + String.join(", ", lines));
                }
            }
            if (waitMinutes > 0 && posted >= AIRED.size() && !source.isAlive()) {
                System.out.println("Demo: all " + AIRED.size() + " aired songs are plays, posted to the ledger.");
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> metadata(String file, int n) {
        String title = file.replace(".ogg", "").replace('_', ' ');
        title = Character.toUpperCase(title.charAt(0)) + title.substring(1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("artists", List.of("The Battle for Wesnoth soundtrack"));
        m.put("isrc", String.format("GH-SLD-26-%05d", n + 1));
        m.put("album", "The Battle for Wesnoth 1.16");
        m.put("writers", List.of(Map.of("name", "Wesnoth Composer " + (n + 1), "society", "GHAMRO",
                "role", "composer", "sharePercent", 100)));
        return m;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
