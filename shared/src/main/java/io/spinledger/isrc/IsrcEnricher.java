package io.spinledger.isrc;

import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.domain.Writer;
import io.spinledger.external.TransientExternalException;
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
 * CATALOG), then the {@link EnrichmentCache}, then MusicBrainz when enabled. The catalog's values always win;
 * other sources only fill what the catalog left empty. A catalog track whose writers all carry shares is
 * complete and causes no look-up.
 *
 * <p>Provenance keys are field names ({@code isrc, title, artists, album, label, iswc, workTitle, writers}) with
 * the source that supplied them, plus notes: {@value #CACHE_KEY} = {@code HIT} when served from the cache,
 * {@value #NOT_FOUND_KEY} = {@code MUSICBRAINZ} when MusicBrainz does not know the ISRC, and
 * {@value #PARTIAL_KEY} = a reason when a source failed or the input was unusable (see {@link #isPartial}).
 *
 * <p>Failure policy (the detection is never lost): a permanent MusicBrainz failure (400, 403, unreadable body) or
 * a malformed ISRC gives the catalog data with a {@code partial} note. A transient failure (throttled, 5xx,
 * timeout) is rethrown as {@link TransientExternalException} under {@link TransientPolicy#RETHROW}, so a queue
 * consumer reports a batch-item failure and the message is retried later with the detection intact; under
 * {@link TransientPolicy#PARTIAL} it too gives a partial result. Successes are cached {@link #FOUND_TTL},
 * not-found {@link #NOT_FOUND_TTL}; failures are not cached.
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

    /**
     * @param cache           enrichment cache
     * @param musicBrainz     MusicBrainz client, or null when MusicBrainz is not used
     * @param transientPolicy what a transient MusicBrainz failure does
     */
    public IsrcEnricher(EnrichmentCache cache, MusicBrainzClient musicBrainz, TransientPolicy transientPolicy) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.musicBrainz = musicBrainz;
        this.transientPolicy = Objects.requireNonNull(transientPolicy, "transientPolicy");
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
            notes.put(CACHE_KEY, "HIT");
            return withNotes(merge(catalog, cached.get()), notes);
        }
        if (musicBrainz == null || !musicBrainz.enabled()) {
            return withNotes(catalog, notes);
        }
        try {
            Optional<Recording> found = musicBrainz.lookupIsrc(key);
            if (found.isPresent()) {
                cache.put(key, found.get(), FOUND_TTL);
                return withNotes(merge(catalog, found.get()), notes);
            }
            Recording notFound = new Recording(key, null, List.of(), null, null, null, null, List.of(),
                    Map.of(NOT_FOUND_KEY, "MUSICBRAINZ"));
            cache.put(key, notFound, NOT_FOUND_TTL);
            return withNotes(merge(catalog, notFound), notes);
        } catch (TransientExternalException e) {
            if (transientPolicy == TransientPolicy.RETHROW) {
                throw e;
            }
            log.warn("MusicBrainz look-up of {} failed transiently, keeping catalog data: {}", key, e.getMessage());
            notes.put(PARTIAL_KEY, "MusicBrainz unavailable: " + e.getMessage());
            return withNotes(catalog, notes);
        } catch (RuntimeException e) {
            log.warn("MusicBrainz look-up of {} failed, keeping catalog data: {}", key, e.getMessage());
            notes.put(PARTIAL_KEY, "MusicBrainz failed: " + e.getMessage());
            return withNotes(catalog, notes);
        }
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
        return new Recording(isrc, title, artists, album, label, iswc, workTitle, writers, p);
    }

    private static Recording withNotes(Recording r, Map<String, String> notes) {
        if (notes.isEmpty()) {
            return r;
        }
        Map<String, String> p = new LinkedHashMap<>(r.provenance());
        p.putAll(notes);
        return new Recording(r.isrc(), r.title(), r.artists(), r.album(), r.label(), r.iswc(), r.workTitle(),
                r.writers(), p);
    }
}
