package io.spinledger.functions.chunkingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.domain.Station;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.ingest.ChunkIngestService;
import io.spinledger.json.Json;
import io.spinledger.station.StationRepository;
import io.spinledger.storage.MessagePublisher;
import io.spinledger.storage.ObjectStore;
import java.time.Clock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code chunkIngest} function: capture requests in; chunks stored in S3 and sent to the chunk queue. */
@Configuration(proxyBeanMethods = false)
public class ChunkIngestFunction {
    private static final Logger log = LoggerFactory.getLogger(ChunkIngestFunction.class);

    /** The stage's service. */
    @Bean
    public ChunkIngestService chunkIngestService(Settings settings, ObjectStore objects, StationRepository stations) {
        return new ChunkIngestService(settings.capture(), objects, stations, Clock.systemUTC());
    }

    /** Runs each capture request of the batch (batch size 1 on Lambda: a live segment takes minutes). */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> chunkIngest(ChunkIngestService service, StationRepository stations,
                                                            MessagePublisher publisher) {
        return event -> SqsBatch.process("chunkIngest", event, body -> {
            CaptureRequest req = Json.read(body, CaptureRequest.class);
            Station station = stations.get(req.stationId()).orElse(null);
            if (station == null) {
                log.warn("capture request {} names unknown station {}; dropped", req.requestId(), req.stationId());
                return;
            }
            service.ingest(req, station, chunk -> publisher.send(QueueName.CHUNK, chunk));
        });
    }
}
