package io.spinledger.stage.fallback;

import io.spinledger.stage.capture.ChunkLog;
import java.util.List;

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
    private final ChunkLog chunkLog;

    /** @param identifier identifies a chunk ({@link FallbackIdentifier#identify}); empty when nothing was found */
    public FallbackStage(Function<Chunk, Optional<DetectionMessage>> identifier) {
        this(identifier, null);
    }

    /**
     * @param identifier identifies a chunk ({@link FallbackIdentifier#identify}); empty when nothing was found
     * @param chunkLog   where the chunk's outcome is recorded (IDENTIFIED with its detection, or UNIDENTIFIED; the
     *                   reason is in the unidentified records); null records nothing
     */
    public FallbackStage(Function<Chunk, Optional<DetectionMessage>> identifier, ChunkLog chunkLog) {
        this.identifier = identifier;
        this.chunkLog = chunkLog;
    }

    /**
     * Identifies one chunk.
     *
     * @param chunk the unmatched chunk
     * @param out   where the detection goes ({@link QueueName#DETECTION})
     */
    public void handle(Chunk chunk, MessagePublisher out) {
        Optional<DetectionMessage> found = identifier.apply(chunk);
        if (chunkLog != null) {
            chunkLog.record(chunk, found.isPresent() ? ChunkLog.State.IDENTIFIED : ChunkLog.State.UNIDENTIFIED,
                    found.map(m -> List.of(m.detection().detectionId())).orElse(List.of()),
                    found.isPresent() ? null : "identified by nobody (see the station's unidentified records)");
        }
        found.ifPresent(m -> out.send(QueueName.DETECTION, m));
    }
}
