package io.spinledger.stage.capture;

import io.spinledger.config.QueueName;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Station;
import io.spinledger.ports.MessagePublisher;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture stage's ingest: one capture request in (a live segment or an uploaded air-check); the audio is
 * recorded, cut into overlapping chunks, stored, and each chunk is sent to the chunk queue
 * ({@link ChunkIngestService#ingest}). A request for an unknown station is dropped with a warning.
 */
public final class ChunkIngestStage {
    private static final Logger log = LoggerFactory.getLogger(ChunkIngestStage.class);
    private final ChunkIngestService service;
    private final Function<String, Optional<Station>> stations;

    /**
     * @param service  records, chunks and stores the audio
     * @param stations station lookup by id
     */
    public ChunkIngestStage(ChunkIngestService service, Function<String, Optional<Station>> stations) {
        this.service = service;
        this.stations = stations;
    }

    /**
     * Runs one capture request.
     *
     * @param request the capture request
     * @param out     where the stored chunks go ({@link QueueName#CHUNK})
     * @return what the ingest did, or empty when the station is unknown
     */
    public Optional<ChunkIngestService.Result> handle(CaptureRequest request, MessagePublisher out) {
        Station station = stations.apply(request.stationId()).orElse(null);
        if (station == null) {
            log.warn("capture request {} names unknown station {}; dropped", request.requestId(), request.stationId());
            return Optional.empty();
        }
        return Optional.of(service.ingest(request, station, chunk -> out.send(QueueName.CHUNK, chunk)));
    }
}
