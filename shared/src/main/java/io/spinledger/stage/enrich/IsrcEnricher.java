package io.spinledger.stage.enrich;

import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Isrc;
import io.spinledger.domain.id.MalformedIsrcException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.deezer.DeezerClient;
import io.spinledger.external.musicbrainz.MusicBrainzClient;
import io.spinledger.external.spotify.SpotifyClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a detection's recording and work metadata by a waterfall: the catalog's own track first (provenance
 * CATALOG), then the {@link EnrichmentCache}, then MusicBrainz when enabled, then Spotify and Deezer (when
 * configured, and only while title, artists or album are still missing). The catalog's values always win;
 * each later source only fills what the earlier ones left empty, and every field's provenance names its source.
 * With an {@link EnrichmentStatusStore}, each look-up records the ISRC's status (in progress, then completed,
 * partial when one source failed but another answered, failed when nothing was found or every source failed). A catalog track whose writers all carry shares is
 * complete and causes no look-up.
 *
 * <p>Provenance keys are field names ({@code isrc, title, artists, album, label, iswc, workTitle, writers}) with
 * the source that supplied them, plus notes: {@value #CACHE_KEY} = {@code HIT} when served from the cache,
 * {@value #NOT_FOUND_KEY} = {@code MUSICBRAINZ} when MusicBrainz does not know the ISRC, and
 * {@value #PARTIAL_KEY} = a reason when a source failed or the input was unusable (see {@link #isPartial}).
 *
 * <p>Failure policy (the detection is never lost): a permanent MusicBrainz failure (400, 403, unreadable body) or
 * a malformed ISRC gives the catalog data with a {@code partial} note. A transient failure (throttled, 5xx,
 * timeout) is rethrown as {@link TransientExternalException} under {@link TransientPolicy#RETHROW} when no source
 * answered, so a queue consumer reports a batch-item failure and the message is retried later with the detection
 * intact; under {@link TransientPolicy#PARTIAL} it too gives a partial result. Complete results are cached for the
 * found TTL (default {@link #FOUND_TTL}), not-found and partial results for the failure TTL (default
 * {@link #NOT_FOUND_TTL}); failures are not cached (the status store and the scheduled retry take them up).
 */
public final class IsrcEnricher {
    /** How long a MusicBrainz success is cached. */
    public static final Duration FOUND_TTL = Duration.ofDays(7);
    /** How long a MusicBrainz "not found" is cached. */
    public static final Duration NOT_FOUND_TTL = Duration.ofHours(1);
    /** Provenance note: why the result is incomplete. */
    public static final String PARTIAL_KEY = "partial";
    /** Provenance note: which source said it does not know the ISRC. */
    public static final String NOT_FOUND_KEY = "notFound";
    /** Provenance note: {@code HIT} when the looked-up part came from the cache. */
    public static final String CACHE_KEY = "cache";
    private static final Logger log = LoggerFactory.getLogger(IsrcEnricher.class);

    /** What to do when MusicBrainz fails transiently. */
    public enum TransientPolicy {
        /** throw {@link TransientExternalException} so the caller retries the whole item later */
        RETHROW,
        /** return the catalog data with a {@value #PARTIAL_KEY} note */
        PARTIAL
    }

    private final EnrichmentCache cache;
    private final MusicBrainzClient musicBrainz;
    private final TransientPolicy transientPolicy;
    private final SpotifyClient spotify;
    private final DeezerClient deezer;
    private final EnrichmentStatusStore statuses;
    private final Duration foundTtl;
    private final Duration failureTtl;
    private final java.util.function.Consumer<Boolean> cacheOutcome;

    /**
     * @param cache           enrichment cache
     * @param musicBrainz     MusicBrainz client, or null when MusicBrainz is not used
     * @param transientPolicy what a transient MusicBrainz failure does
     */
    public IsrcEnricher(EnrichmentCache cache, MusicBrainzClient musicBrainz, TransientPolicy transientPolicy) {
        this(cache, musicBrainz, null, null, null, FOUND_TTL, NOT_FOUND_TTL, hit -> { }, transientPolicy);
    }

    /**
     * The full waterfall.
     *
     * @param cache           enrichment cache
     * @param musicBrainz     MusicBrainz client or null
     * @param spotify         Spotify client or null
     * @param deezer          Deezer client or null
     * @param statuses        status per ISRC, or null not to track
     * @param foundTtl        how long complete results are cached
     * @param failureTtl      how long not-found and partial results are cached
     * @param cacheOutcome    told {@code true} on a cache hit, {@code false} on a miss (for statistics)
     * @param transientPolicy what a transient failure of every source does
     */
    public IsrcEnricher(EnrichmentCache cache, MusicBrainzClient musicBrainz, SpotifyClient spotify,
                        DeezerClient deezer, EnrichmentStatusStore statuses, Duration foundTtl, Duration failureTtl,
                        java.util.function.Consumer<Boolean> cacheOutcome, TransientPolicy transientPolicy) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.musicBrainz = musicBrainz;
        this.spotify = spotify;
        this.deezer = deezer;
        this.statuses = statuses;
        this.foundTtl = foundTtl;
        this.failureTtl = failureTtl;
        this.cacheOutcome = cacheOutcome;
        this.transientPolicy = Objects.requireNonNull(transientPolicy, "transientPolicy");
    }

    /** The status store, or null when statuses are not tracked. */
    public EnrichmentStatusStore statuses() {
        return statuses;
    }

    /**
     * Looks an ISRC up again, bypassing the cache (for the scheduled retry), and caches the result.
     *
     * @return the recording; a {@code partial} note when sources failed
     * @throws MalformedIsrcException when not an ISRC
     */
    public Recording refresh(String isrc) {
        Isrc code = Isrc.parse(isrc);
        Map<String, String> notes = new LinkedHashMap<>();
        Recording empty = new Recording(code.value(), null, List.of(), null, null, null, null, List.of(), Map.of());
        Recording found = lookup(code, notes, TransientPolicy.PARTIAL);
        return withNotes(found == null ? empty : merge(empty, found), notes);
    }

    /** Whether a result is incomplete because a source failed or the input was unusable. */
    public static boolean isPartial(Recording recording) {
        return recording.provenance().containsKey(PARTIAL_KEY);
    }

    /**
     * Enriches one detection's recording.
     *
     * @param catalogTrack the matched reference track, or null (e.g. an ACRCloud detection)
     * @param isrc         the detection's ISRC in any spelling, or null (then the track's ISRC is used)
     * @return the merged recording; never null (with only a {@code partial} note when nothing is known)
     * @throws TransientExternalException only under {@link TransientPolicy#RETHROW}, when MusicBrainz failed
     *                                    transiently
     */
    public Recording enrich(Track catalogTrack, String isrc) {
        Map<String, String> notes = new LinkedHashMap<>();
        Optional<Isrc> code = Isrc.tryParse(isrc);
        if (code.isEmpty() && isrc != null) {
            notes.put(PARTIAL_KEY, "malformed ISRC \"" + isrc + "\"");
        }
        if (code.isEmpty() && catalogTrack != null) {
            code = Isrc.tryParse(catalogTrack.isrc());
        }
        Recording catalog = fromCatalog(catalogTrack, code.map(Isrc::value).orElse(null));
        if (catalogTrack != null && !catalogTrack.writers().isEmpty()
                && catalogTrack.writers().stream().allMatch(w -> w.sharePercent() != null)) {
            return withNotes(catalog, notes);
        }
        if (code.isEmpty()) {
            notes.putIfAbsent(PARTIAL_KEY, catalogTrack == null ? "no catalog track and no valid ISRC" : "no valid ISRC");
            return withNotes(catalog, notes);
        }
        String key = code.get().value();
        Optional<Recording> cached = cache.get(key);
        if (cached.isPresent()) {
            cacheOutcome.accept(true);
            notes.put(CACHE_KEY, "HIT");
            return withNotes(merge(catalog, cached.get()), notes);
        }
        cacheOutcome.accept(false);
        Recording found = lookup(code.get(), notes, transientPolicy);
        return withNotes(found == null ? catalog : merge(catalog, found), notes);
    }

    private boolean anySource() {
        return (musicBrainz != null && musicBrainz.enabled()) || (spotify != null && spotify.enabled())
                || (deezer != null && deezer.enabled());
    }

    /**
     * Asks the sources in order and caches the result; null when no source is enabled or nothing was found and
     * something failed.
     */
    private Recording lookup(Isrc code, Map<String, String> notes, TransientPolicy policy) {
        String key = code.value();
        if (!anySource()) {
            return null;
        }
        if (statuses != null) {
            statuses.begin(key);
        }
        Recording acc = null;
        List<String> failures = new java.util.ArrayList<>();
        TransientExternalException firstTransient = null;
        List<String> notFoundBy = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = i == 0 ? "MusicBrainz" : i == 1 ? "Spotify" : "Deezer";
            boolean on = i == 0 ? musicBrainz != null && musicBrainz.enabled()
                    : i == 1 ? spotify != null && spotify.enabled() : deezer != null && deezer.enabled();
            if (!on || (i > 0 && acc != null && complete(acc))) {
                continue;
            }
            try {
                Optional<Recording> r = i == 0 ? musicBrainz.lookupIsrc(key)
                        : i == 1 ? spotify.lookupIsrc(code) : deezer.lookupIsrc(code);
                if (r.isPresent()) {
                    acc = acc == null ? r.get() : merge(acc, r.get());
                } else {
                    notFoundBy.add(name.toUpperCase(java.util.Locale.ROOT));
                }
            } catch (TransientExternalException e) {
                log.warn("{} look-up of {} failed transiently: {}", name, key, e.getMessage());
                firstTransient = firstTransient == null ? e : firstTransient;
                failures.add(name + " unavailable: " + e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} look-up of {} failed: {}", name, key, e.getMessage());
                failures.add(name + " failed: " + e.getMessage());
            }
        }
        String failure = failures.isEmpty() ? null : String.join("; ", failures);
        if (acc == null && failure != null) {
            if (statuses != null) {
                statuses.finish(key, EnrichmentStatusStore.State.FAILED, failure);
            }
            if (firstTransient != null && policy == TransientPolicy.RETHROW) {
                throw firstTransient;
            }
            notes.put(PARTIAL_KEY, failure);
            return null;
        }
        if (acc == null) {
            Recording notFound = new Recording(key, null, List.of(), null, null, null, null, List.of(),
                    Map.of(NOT_FOUND_KEY, String.join(",", notFoundBy)));
            cache.put(key, notFound, failureTtl);
            if (statuses != null) {
                statuses.finish(key, EnrichmentStatusStore.State.FAILED, "not found by " + notFoundBy);
            }
            return notFound;
        }
        if (failure != null) {
            notes.put(PARTIAL_KEY, failure);
            Map<String, String> p = new LinkedHashMap<>(acc.provenance());
            p.put(PARTIAL_KEY, failure);
            acc = new Recording(acc.isrc(), acc.title(), acc.artists(), acc.album(), acc.label(), acc.iswc(),
                    acc.workTitle(), acc.writers(), p, acc.societyWorkIds());
        }
        cache.put(key, acc, failure == null ? foundTtl : failureTtl);
        if (statuses != null) {
            statuses.finish(key, failure == null ? EnrichmentStatusStore.State.COMPLETED
                    : EnrichmentStatusStore.State.PARTIAL, failure);
        }
        return acc;
    }

    /** Whether the recording-level fields Spotify/Deezer could add are all there. */
    private static boolean complete(Recording r) {
        return r.title() != null && !r.artists().isEmpty() && r.album() != null;
    }

    private static Recording fromCatalog(Track t, String isrc) {
        Map<String, String> p = new LinkedHashMap<>();
        if (t == null) {
            return new Recording(isrc, null, List.of(), null, null, null, null, List.of(), p);
        }
        if (isrc != null) {
            p.put("isrc", "CATALOG");
        }
        putIf(p, "title", t.title());
        putIf(p, "album", t.album());
        putIf(p, "label", t.label());
        if (!t.artists().isEmpty()) {
            p.put("artists", "CATALOG");
        }
        if (!t.writers().isEmpty()) {
            p.put("writers", "CATALOG");
        }
        return new Recording(isrc, t.title(), t.artists(), t.album(), t.label(), null, null, t.writers(), p);
    }

    private static void putIf(Map<String, String> p, String field, String value) {
        if (value != null && !value.isBlank()) {
            p.put(field, "CATALOG");
        }
    }

    /** The catalog's values where it has them, the other source's elsewhere, with per-field provenance. */
    private static Recording merge(Recording base, Recording other) {
        Map<String, String> p = new LinkedHashMap<>(other.provenance());
        p.putAll(base.provenance());
        String isrc = base.isrc() != null ? base.isrc() : other.isrc();
        String title = base.title() != null ? base.title() : other.title();
        List<String> artists = !base.artists().isEmpty() ? base.artists() : other.artists();
        String album = base.album() != null ? base.album() : other.album();
        String label = base.label() != null ? base.label() : other.label();
        String iswc = base.iswc() != null ? base.iswc() : other.iswc();
        String workTitle = base.workTitle() != null ? base.workTitle() : other.workTitle();
        List<Writer> writers = !base.writers().isEmpty() ? base.writers() : other.writers();
        Map<String, String> workIds = !base.societyWorkIds().isEmpty() ? base.societyWorkIds()
                : other.societyWorkIds();
        return new Recording(isrc, title, artists, album, label, iswc, workTitle, writers, p, workIds);
    }

    private static Recording withNotes(Recording r, Map<String, String> notes) {
        if (notes.isEmpty()) {
            return r;
        }
        Map<String, String> p = new LinkedHashMap<>(r.provenance());
        p.putAll(notes);
        return new Recording(r.isrc(), r.title(), r.artists(), r.album(), r.label(), r.iswc(), r.workTitle(),
                r.writers(), p, r.societyWorkIds());
    }
}
