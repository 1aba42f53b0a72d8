package io.spinledger.functions.chunkingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.ports.ObjectStore;
import io.spinledger.stage.capture.ChunkIngestService;
import io.spinledger.stage.capture.ChunkIngestStage;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code chunkIngest} function: capture requests in, each through the {@link ChunkIngestStage}. */
@Configuration(proxyBeanMethods = false)
public class ChunkIngestFunction {

    /** The stage's service. */
    @Bean
    public ChunkIngestService chunkIngestService(Settings settings, ObjectStore objects, StationRepository stations,
                                                 io.spinledger.stage.capture.ChunkLog chunkLog) {
        return new ChunkIngestService(settings.capture(), objects, stations, Clock.systemUTC(), chunkLog);
    }

    /** The stage. */
    @Bean
    public ChunkIngestStage chunkIngestStage(ChunkIngestService service, StationRepository stations) {
        return new ChunkIngestStage(service, stations::get);
    }

    /** Runs each capture request of the batch (batch size 1 on Lambda: a live segment takes minutes). */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> chunkIngest(ChunkIngestStage stage, MessagePublisher publisher) {
        return event -> SqsBatch.process("chunkIngest", event, body ->
                stage.handle(Json.read(body, CaptureRequest.class), publisher));
    }
}
