package io.spinledger.stage.enrich;

import io.spinledger.config.QueueName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.match.LearnedReferences;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The enrich stage: a detection in; recording and work metadata added and on to the enriched queue. The
 * waterfall starts at the catalog: a catalog track gives the ISRC (and its own metadata); otherwise the ISRC the
 * identifying source (ACRCloud) reported is used. A local match of a reference learned from ACRCloud starts from
 * ACRCloud's metadata (provenance {@code ACRCLOUD_LEARNED}). Then the cache and the external services
 * ({@link IsrcEnricher#enrich}); where they found nothing, the identifying source's fields stay. Within one
 * {@link Batch}, a track or ISRC that appears more than once is looked up once.
 */
public final class EnrichStage {
    private final Function<String, Optional<Track>> tracks;
    private final Function<String, Optional<Recording>> learned;
    private final Enricher enricher;

    /** The lookup after the catalog ({@link IsrcEnricher#enrich}). */
    @FunctionalInterface
    public interface Enricher {
        /**
         * @param catalogTrack the catalog's track, or null when the detection's track is not in the catalog
         * @param isrc         the ISRC to look up, or null when none is known
         * @return the metadata found (may be null when nothing was found)
         */
        Recording enrich(Track catalogTrack, String isrc);
    }

    /**
     * @param tracks   catalog lookup by track id
     * @param learned  the recording that came with a learned reference, by track id
     *                 ({@link LearnedReferences#get}, {@link LearnedReferences.LearnedReference#recording})
     * @param enricher the rest of the waterfall
     */
    public EnrichStage(Function<String, Optional<Track>> tracks, Function<String, Optional<Recording>> learned,
                       Enricher enricher) {
        this.tracks = tracks;
        this.learned = learned;
        this.enricher = enricher;
    }

    /** A new batch: lookups are shared by the detections of one batch (one queue delivery), not across batches. */
    public Batch batch() {
        return new Batch();
    }

    /** One batch's worth of enrichment; not thread-safe. */
    public final class Batch {
        private final Map<String, Recording> seen = new HashMap<>();

        private Batch() {
        }

        /**
         * Enriches one detection.
         *
         * @param message the detection (with the identifying source's recording, if any)
         * @param out     where the enriched detection goes ({@link QueueName#ENRICHED})
         */
        public void handle(DetectionMessage message, MessagePublisher out) {
            DetectionMessage m = message;
            String trackId = m.detection().trackId();
            Track track = tracks.apply(trackId).orElse(null);
            if (track == null && m.recording() == null && LearnedReferences.isLearnedId(trackId)) {
                // a local match of a reference learned from ACRCloud: start from what ACRCloud said
                m = learned.apply(trackId).map(m::withRecording).orElse(m);
            }
            String isrc = track != null && track.isrc() != null ? track.isrc()
                    : m.recording() != null ? m.recording().isrc() : null;
            String key = trackId + "|" + isrc;
            Recording r = seen.get(key);
            if (r == null) {
                r = enricher.enrich(track, isrc);
                if (track == null && m.recording() != null) {
                    r = merge(m.recording(), r);
                }
                seen.put(key, r);
            }
            out.send(QueueName.ENRICHED, m.withRecording(r));
        }
    }

    /**
     * The identifying source's recording completed by the waterfall's: each field from {@code enriched} where it
     * has one, else from {@code fromSource}; provenance of both, the waterfall's winning per field.
     *
     * @param fromSource what the identifying source (ACRCloud) said
     * @param enriched   what the waterfall found, or null for nothing
     */
    static Recording merge(Recording fromSource, Recording enriched) {
        if (enriched == null) {
            return fromSource;
        }
        Map<String, String> provenance = new HashMap<>(fromSource.provenance());
        provenance.putAll(enriched.provenance());
        return new Recording(enriched.isrc() != null ? enriched.isrc() : fromSource.isrc(),
                enriched.title() != null ? enriched.title() : fromSource.title(),
                enriched.artists().isEmpty() ? fromSource.artists() : enriched.artists(),
                enriched.album() != null ? enriched.album() : fromSource.album(),
                enriched.label() != null ? enriched.label() : fromSource.label(),
                enriched.iswc() != null ? enriched.iswc() : fromSource.iswc(),
                enriched.workTitle() != null ? enriched.workTitle() : fromSource.workTitle(),
                enriched.writers().isEmpty() ? fromSource.writers() : enriched.writers(), provenance,
                enriched.societyWorkIds().isEmpty() ? fromSource.societyWorkIds() : enriched.societyWorkIds());
    }
}
