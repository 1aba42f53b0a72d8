package io.spinledger.stage.fallback;

import io.spinledger.config.QueueName;
import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.ports.MessagePublisher;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fallback stage: one audible chunk the local index did not match in; identified by ACRCloud (within its
 * budget, once per chunk) and sent to the detection queue, or recorded as unidentified and dropped
 * ({@link FallbackIdentifier#identify}).
 */
public final class FallbackStage {
    private final Function<Chunk, Optional<DetectionMessage>> identifier;

    /** @param identifier identifies a chunk ({@link FallbackIdentifier#identify}); empty when nothing was found */
    public FallbackStage(Function<Chunk, Optional<DetectionMessage>> identifier) {
        this.identifier = identifier;
    }

    /**
     * Identifies one chunk.
     *
     * @param chunk the unmatched chunk
     * @param out   where the detection goes ({@link QueueName#DETECTION})
     */
    public void handle(Chunk chunk, MessagePublisher out) {
        identifier.apply(chunk).ifPresent(m -> out.send(QueueName.DETECTION, m));
    }
}
