package io.spinledger.functions.isrcenrichment;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.catalog.TrackRepository;
import io.spinledger.config.QueueName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.detection.LearnedReferences;
import io.spinledger.domain.Recording;
import io.spinledger.domain.Track;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.isrc.IsrcEnricher;
import io.spinledger.json.Json;
import io.spinledger.storage.MessagePublisher;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code isrcEnrichment} function: detections in (up to 10 per batch); each gets recording and work
 * metadata (catalog, cache, MusicBrainz) and goes to the enriched queue. A local match of a reference learned from
 * ACRCloud starts from ACRCloud's metadata (provenance ACRCLOUD_LEARNED). A track or ISRC that appears more
 * than once in a batch is looked up once.
 */
@Configuration(proxyBeanMethods = false)
public class IsrcEnrichmentFunction {

    /** Enriches each detection of the batch. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> isrcEnrichment(IsrcEnricher enricher, TrackRepository tracks,
                                                               LearnedReferences learned,
                                                               MessagePublisher publisher) {
        return event -> {
            Map<String, Recording> seen = new HashMap<>();
            return SqsBatch.process("isrcEnrichment", event, body -> {
                DetectionMessage m = Json.read(body, DetectionMessage.class);
                Track track = tracks.get(m.detection().trackId()).orElse(null);
                if (track == null && m.recording() == null && LearnedReferences.isLearnedId(m.detection().trackId())) {
                    // a local match of a reference learned from ACRCloud: start from what ACRCloud said
                    m = learned.get(m.detection().trackId()).map(l -> l.recording()).map(m::withRecording).orElse(m);
                }
                String isrc = track != null && track.isrc() != null ? track.isrc()
                        : m.recording() != null ? m.recording().isrc() : null;
                String key = m.detection().trackId() + "|" + isrc;
                Recording r = seen.get(key);
                if (r == null) {
                    r = enricher.enrich(track, isrc);
                    if (track == null && m.recording() != null) {
                        r = merge(m.recording(), r);
                    }
                    seen.put(key, r);
                }
                publisher.send(QueueName.ENRICHED, m.withRecording(r));
            });
        };
    }

    /** Fields from the identifying source (ACRCloud) win where the waterfall found nothing. */
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
