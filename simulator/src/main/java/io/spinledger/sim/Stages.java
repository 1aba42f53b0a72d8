package io.spinledger.sim;

import io.spinledger.config.QueueName;
import io.spinledger.detection.FallbackIdentifier;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.json.Json;
import io.spinledger.pro.ProMapper;
import io.spinledger.royalty.RoyaltyPoster;
import io.spinledger.storage.MessagePublisher;

/**
 * The queue consumers of the simulated pipeline, each doing what its function does with one message body:
 * fallback identification, enrichment (from the catalog, as the enrichment waterfall's first step does),
 * PRO mapping, and play assembly.
 */
final class Stages {
    private final Broadcast broadcast;
    private final MessagePublisher publisher;
    private final FallbackIdentifier fallback;
    private final ProMapper mapper;
    private final RoyaltyPoster poster;

    Stages(Broadcast broadcast, MessagePublisher publisher, FallbackIdentifier fallback, ProMapper mapper,
           RoyaltyPoster poster) {
        this.broadcast = broadcast;
        this.publisher = publisher;
        this.fallback = fallback;
        this.mapper = mapper;
        this.poster = poster;
    }

    void fallback(String body) {
        fallback.identify(Json.read(body, Chunk.class)).ifPresent(m -> publisher.send(QueueName.DETECTION, m));
    }

    void enrich(String body) {
        DetectionMessage m = Json.read(body, DetectionMessage.class);
        Broadcast.Track t = broadcast.catalog().get(m.detection().trackId());
        publisher.send(QueueName.ENRICHED, t != null && m.recording() == null ? m.withRecording(t.recording()) : m);
    }

    void rights(String body) {
        DetectionMessage m = Json.read(body, DetectionMessage.class);
        publisher.send(QueueName.ROYALTY, m.recording() == null ? m : m.withProMapping(mapper.map(m.recording())));
    }

    void assemble(String body) {
        poster.accept(Json.read(body, DetectionMessage.class));
    }
}
