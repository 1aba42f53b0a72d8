package io.spinledger.stage.rights;

import io.spinledger.config.QueueName;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.ports.MessagePublisher;

/**
 * The rights stage: an enriched detection in; its work's society shares (PRO mapping) added
 * ({@link ProMapper#map}); on to the mapped-detections queue.
 */
public final class RightsStage {
    private final ProMapper mapper;

    /** @param mapper maps a recording's work to collecting societies */
    public RightsStage(ProMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Maps one detection.
     *
     * @param message the enriched detection (with its recording)
     * @param out     where the mapped detection goes ({@link QueueName#MAPPED})
     */
    public void handle(DetectionMessage message, MessagePublisher out) {
        out.send(QueueName.MAPPED, message.withProMapping(mapper.map(message.recording())));
    }
}
