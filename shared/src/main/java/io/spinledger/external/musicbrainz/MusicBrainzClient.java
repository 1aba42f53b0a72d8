package io.spinledger.external.musicbrainz;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.config.Settings;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Isrc;
import io.spinledger.domain.id.Iswc;
import io.spinledger.domain.id.MalformedIsrcException;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.HttpExchange;
import io.spinledger.external.RetryPolicy;
import io.spinledger.ports.Sleeper;
import io.spinledger.external.TransientExternalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Client of the MusicBrainz web service WS/2 (JSON), for ISRC -> recording -> work -> writers
 * (reference/external-apis.md section 2). Every request carries the configured User-Agent
 * ({@code App/version ( contact )}); requests are serialised and spaced at least {@code minIntervalMs} apart,
 * measured from the end of one to the start of the next (MusicBrainz allows 1 request/s per IP on average).
 * HTTP 503 (throttled) is retried with exponential backoff, or after its {@code Retry-After} when that is at most
 * {@link RetryPolicy#DEFAULT_MAX_RETRY_AFTER}. All of it is one {@link HttpExchange}. Thread-safe.
 *
 * <p>Failures: 404 gives an empty result; 400 and 403 throw {@link ExternalServiceException}; 503 after all
 * retries, other 5xx, 429, timeouts and I/O errors throw {@link TransientExternalException}.
 */
public final class MusicBrainzClient {
    private static final String SERVICE = "MusicBrainz";
    private static final Set<String> WRITER_TYPES = Set.of("composer", "lyricist", "writer", "librettist");

    private final Settings.MusicBrainz settings;
    private final HttpExchange exchange;
    private final String baseUrl;

    /**
     * A recording found by MusicBrainz.
     *
     * @param id       MBID
     * @param title    recording title
     * @param lengthMs length in milliseconds, or null when unknown
     * @param artists  credited artist names in order
     * @param isrcs    ISRCs (only filled by a recording lookup)
     * @param workIds  MBIDs of works it is a performance of (only filled by a recording lookup)
     */
    public record MbRecording(String id, String title, Long lengthMs, List<String> artists, List<String> isrcs,
                              List<String> workIds) {
        public MbRecording {
            artists = List.copyOf(artists);
            isrcs = List.copyOf(isrcs);
            workIds = List.copyOf(workIds);
        }
    }

    /**
     * A work with its writers.
     *
     * @param id             MBID
     * @param title          work title
     * @param iswcs          ISWCs as MusicBrainz formats them ({@code T-ddd.ddd.ddd-d})
     * @param writers        composer/lyricist/writer/librettist relations, one per artist (roles joined by "/"),
     *                       with ipi, society and share unknown (null)
     * @param societyWorkIds the work's attributes whose type names a society work id ({@code "ASCAP ID"},
     *                       {@code "PRS tune code"}, ...: every attribute type ending in " ID" or " tune code"),
     *                       type -> value, in response order
     */
    public record MbWork(String id, String title, List<String> iswcs, List<Writer> writers,
                         Map<String, String> societyWorkIds) {
        public MbWork {
            iswcs = List.copyOf(iswcs);
            writers = List.copyOf(writers);
            societyWorkIds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(societyWorkIds));
        }
    }

    /**
     * One track of a release.
     *
     * @param disc        medium position (1-based)
     * @param position    track position on the medium (1-based)
     * @param title       track title
     * @param lengthMs    length in milliseconds, or null when unknown
     * @param recordingId recording MBID
     * @param isrcs       the recording's ISRCs (normalised), may be empty
     * @param artists     credited artist names
     */
    public record MbTrack(int disc, int position, String title, Long lengthMs, String recordingId, List<String> isrcs,
                          List<String> artists) {
        public MbTrack {
            isrcs = List.copyOf(isrcs);
            artists = List.copyOf(artists);
        }
    }

    /**
     * A release with its tracks.
     *
     * @param id     MBID
     * @param title  release title
     * @param date   release date as MusicBrainz gives it ({@code YYYY[-MM[-DD]]}) or null
     * @param tracks tracks of every medium, in order
     */
    public record MbRelease(String id, String title, String date, List<MbTrack> tracks) {
        public MbRelease {
            tracks = List.copyOf(tracks);
        }
    }

    /**
     * A client with its own HTTP client ({@code timeoutMs}) that tries a throttled request up to 4 times, waiting
     * {@code max(minIntervalMs, 1 s)}, then twice and four times that.
     */
    public MusicBrainzClient(Settings.MusicBrainz settings) {
        this(settings, HttpExchange.client(Duration.ofMillis(settings.timeoutMs())),
                4, Duration.ofMillis(Math.max(1_000, settings.minIntervalMs())));
    }

    /**
     * @param settings       base URL, User-Agent, {@code minIntervalMs}
     * @param http           HTTP client (its timeouts apply)
     * @param maxAttempts    attempts per request when answered 503, at least 1
     * @param initialBackoff wait after the first 503; doubled after each further one
     */
    public MusicBrainzClient(Settings.MusicBrainz settings, OkHttpClient http, int maxAttempts, Duration initialBackoff) {
        this(settings, http, maxAttempts, initialBackoff, Sleeper.REAL);
    }

    /**
     * @param settings       base URL, User-Agent, {@code minIntervalMs}
     * @param http           HTTP client (its timeouts apply)
     * @param maxAttempts    attempts per request when answered 503, at least 1
     * @param initialBackoff wait after the first 503 (plus up to 20 % jitter); doubled after each further one
     * @param sleeper        how the backoff and the interval between requests are waited
     */
    public MusicBrainzClient(Settings.MusicBrainz settings, OkHttpClient http, int maxAttempts, Duration initialBackoff,
                             Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        String b = settings.baseUrl().trim();
        this.baseUrl = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.exchange = HttpExchange.builder(SERVICE).http(Objects.requireNonNull(http, "http"))
                .minInterval(Duration.ofMillis(settings.minIntervalMs()))
                .retry(RetryPolicy.exponential(maxAttempts, initialBackoff.compareTo(Duration.ofMillis(1)) < 0
                        ? Duration.ofMillis(1) : initialBackoff).retryOn(e -> e.httpStatus() == 503))
                .sleeper(sleeper)
                .build();
    }

    /** Whether MusicBrainz is to be called at all ({@code MUSICBRAINZ_ENABLED}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * The whole chain for one ISRC: ISRC lookup, then the first recordings' lookups (at most 3) until one is a
     * performance of a work, then that work's lookup.
     *
     * @param isrc any ISRC spelling ({@link Isrc#parse} normalises it before any request)
     * @return the recording with title, artists and (when known) ISWC, work title and writers, provenance
     *         MUSICBRAINZ for each field filled; empty when MusicBrainz does not know the ISRC
     * @throws MalformedIsrcException      before any request, when {@code isrc} is not an ISRC
     * @throws TransientExternalException  throttled beyond the retries, 5xx, timeout: retry later
     * @throws ExternalServiceException    400, 403 (User-Agent refused), unreadable body
     */
    public Optional<Recording> lookupIsrc(String isrc) {
        Isrc code = Isrc.parse(isrc);
        List<MbRecording> found = isrcRecordings(code);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        MbRecording chosen = null;
        for (MbRecording candidate : found.subList(0, Math.min(3, found.size()))) {
            Optional<MbRecording> full = recording(candidate.id());
            if (full.isPresent() && (chosen == null || !full.get().workIds().isEmpty())) {
                chosen = full.get();
            }
            if (chosen != null && !chosen.workIds().isEmpty()) {
                break;
            }
        }
        if (chosen == null) {
            chosen = found.get(0);
        }
        Optional<MbWork> work = chosen.workIds().isEmpty() ? Optional.empty() : work(chosen.workIds().get(0));
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("isrc", "MUSICBRAINZ");
        if (chosen.title() != null) {
            provenance.put("title", "MUSICBRAINZ");
        }
        if (!chosen.artists().isEmpty()) {
            provenance.put("artists", "MUSICBRAINZ");
        }
        String iswc = work.flatMap(w -> w.iswcs().stream().map(Iswc::tryParse).flatMap(Optional::stream).findFirst())
                .map(Iswc::value).orElse(null);
        if (iswc != null) {
            provenance.put("iswc", "MUSICBRAINZ");
        }
        String workTitle = work.map(MbWork::title).orElse(null);
        if (workTitle != null) {
            provenance.put("workTitle", "MUSICBRAINZ");
        }
        List<Writer> writers = work.map(MbWork::writers).orElse(List.of());
        if (!writers.isEmpty()) {
            provenance.put("writers", "MUSICBRAINZ");
        }
        Map<String, String> workIds = work.map(MbWork::societyWorkIds).orElse(Map.of());
        if (!workIds.isEmpty()) {
            provenance.put("societyWorkIds", "MUSICBRAINZ");
        }
        return Optional.of(new Recording(code.value(), chosen.title(), chosen.artists(), null, null, iswc, workTitle,
                writers, provenance, workIds));
    }

    /**
     * {@code GET /ws/2/isrc/<ISRC>?fmt=json&inc=artist-credits}.
     *
     * @return the recordings with that ISRC (id, title, length, artists); empty on 404
     */
    public List<MbRecording> isrcRecordings(Isrc isrc) {
        Optional<JsonNode> root = get("/ws/2/isrc/" + isrc.value() + "?fmt=json&inc=artist-credits");
        List<MbRecording> out = new ArrayList<>();
        root.ifPresent(r -> r.path("recordings").forEach(rec -> out.add(recordingOf(rec))));
        return out;
    }

    /**
     * {@code GET /ws/2/recording/<mbid>?fmt=json&inc=artist-credits+isrcs+work-rels+work-level-rels+artist-rels}.
     *
     * @return the recording with its ISRCs and the works it performs; empty on 404
     */
    public Optional<MbRecording> recording(String mbid) {
        return get("/ws/2/recording/" + mbid
                + "?fmt=json&inc=artist-credits+isrcs+work-rels+work-level-rels+artist-rels").map(this::recordingOf);
    }

    /**
     * {@code GET /ws/2/work/<mbid>?fmt=json&inc=artist-rels}.
     *
     * @return the work with ISWCs and writers (backward artist relations of type composer, lyricist, writer,
     *         librettist); empty on 404
     */
    public Optional<MbWork> work(String mbid) {
        return get("/ws/2/work/" + mbid + "?fmt=json&inc=artist-rels").map(w -> {
            List<String> iswcs = new ArrayList<>();
            w.path("iswcs").forEach(i -> iswcs.add(i.asText()));
            Map<String, String[]> byArtist = new LinkedHashMap<>(); // artist id -> {name, roles}
            for (JsonNode rel : w.path("relations")) {
                String type = rel.path("type").asText();
                if (!"artist".equals(rel.path("target-type").asText()) || !WRITER_TYPES.contains(type)
                        || "forward".equals(rel.path("direction").asText())) {
                    continue;
                }
                JsonNode artist = rel.path("artist");
                String credited = rel.path("target-credit").asText("");
                String name = credited.isBlank() ? artist.path("name").asText() : credited;
                String key = artist.path("id").asText(name);
                String[] entry = byArtist.computeIfAbsent(key, k -> new String[]{name, ""});
                if (!List.of(entry[1].split("/")).contains(type)) {
                    entry[1] = entry[1].isEmpty() ? type : entry[1] + "/" + type;
                }
            }
            List<Writer> writers = byArtist.values().stream()
                    .map(e -> new Writer(e[0], null, null, e[1], null)).toList();
            Map<String, String> workIds = new LinkedHashMap<>();
            for (JsonNode a : w.path("attributes")) {
                String type = a.path("type").asText("");
                String value = text(a.get("value"));
                if (value != null && !value.isBlank() && (type.endsWith(" ID") || type.endsWith(" tune code"))) {
                    workIds.putIfAbsent(type, value);
                }
            }
            return new MbWork(w.path("id").asText(), text(w.get("title")), iswcs, writers, workIds);
        });
    }

    /**
     * The releases linked to a URL, e.g. a film's IMDb page:
     * {@code GET /ws/2/url?resource=<url>&inc=release-rels&fmt=json}. MusicBrainz stores IMDb title URLs as
     * {@code https://www.imdb.com/title/tt0111161/}; the resource must match exactly.
     *
     * @param url the linked URL
     * @return MBIDs of the releases related to the URL (relations with target-type {@code release}), in response
     *         order; empty when MusicBrainz does not know the URL (404)
     * @throws TransientExternalException / ExternalServiceException as {@link #lookupIsrc}
     */
    public List<String> releasesLinkedTo(String url) {
        String q = "/ws/2/url?resource=" + java.net.URLEncoder.encode(url, java.nio.charset.StandardCharsets.UTF_8)
                + "&inc=release-rels&fmt=json";
        List<String> out = new ArrayList<>();
        get(q).ifPresent(root -> {
            for (JsonNode rel : root.path("relations")) {
                if ("release".equals(rel.path("target-type").asText()) && rel.path("release").hasNonNull("id")) {
                    out.add(rel.path("release").path("id").asText());
                }
            }
        });
        return out;
    }

    /**
     * {@code GET /ws/2/release/<mbid>?fmt=json&inc=recordings+isrcs+artist-credits}: the release with every
     * medium's tracks, their recordings and ISRCs.
     *
     * @return the release; empty on 404
     */
    public Optional<MbRelease> release(String mbid) {
        return get("/ws/2/release/" + mbid + "?fmt=json&inc=recordings+isrcs+artist-credits").map(r -> {
            List<MbTrack> tracks = new ArrayList<>();
            int disc = 0;
            for (JsonNode medium : r.path("media")) {
                disc = medium.path("position").asInt(disc + 1);
                for (JsonNode t : medium.path("tracks")) {
                    JsonNode rec = t.path("recording");
                    List<String> isrcs = new ArrayList<>();
                    rec.path("isrcs").forEach(i -> Isrc.tryParse(i.asText()).ifPresent(c -> isrcs.add(c.value())));
                    List<String> artists = new ArrayList<>();
                    JsonNode credit = t.has("artist-credit") ? t.path("artist-credit") : rec.path("artist-credit");
                    credit.forEach(c -> artists.add(c.hasNonNull("name") ? c.get("name").asText()
                            : c.path("artist").path("name").asText()));
                    JsonNode length = t.hasNonNull("length") ? t.get("length") : rec.get("length");
                    String title = t.hasNonNull("title") ? t.get("title").asText() : text(rec.get("title"));
                    tracks.add(new MbTrack(disc, t.path("position").asInt(tracks.size() + 1), title,
                            length != null && length.isNumber() ? length.asLong() : null,
                            rec.path("id").asText(null), isrcs, artists));
                }
            }
            return new MbRelease(r.path("id").asText(), text(r.get("title")), text(r.get("date")), tracks);
        });
    }

    private MbRecording recordingOf(JsonNode rec) {
        List<String> artists = new ArrayList<>();
        rec.path("artist-credit").forEach(c -> {
            String name = text(c.get("name"));
            artists.add(name != null ? name : c.path("artist").path("name").asText());
        });
        List<String> isrcs = new ArrayList<>();
        rec.path("isrcs").forEach(i -> isrcs.add(i.asText()));
        List<String> works = new ArrayList<>();
        for (JsonNode rel : rec.path("relations")) {
            if ("work".equals(rel.path("target-type").asText()) && rel.path("work").hasNonNull("id")) {
                works.add(rel.path("work").path("id").asText());
            }
        }
        JsonNode length = rec.get("length");
        return new MbRecording(rec.path("id").asText(), text(rec.get("title")),
                length != null && length.isNumber() ? length.asLong() : null, artists, isrcs, works);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** GET with retries on 503; empty on 404. */
    private Optional<JsonNode> get(String pathAndQuery) {
        String url = baseUrl + pathAndQuery;
        return exchange.execute(() -> new Request.Builder().url(url).get()
                        .header("User-Agent", settings.userAgent())
                        .header("Accept", "application/json")
                        .build(),
                reply -> Optional.of(reply.json()),
                reply -> {
                    if (reply.status() == 404) {
                        return Optional.empty();
                    }
                    throw reply.refused(reply.status() == 403
                            ? "User-Agent refused: is MUSICBRAINZ_USER_AGENT \"App/version ( contact )\"?" : null);
                });
    }
}
