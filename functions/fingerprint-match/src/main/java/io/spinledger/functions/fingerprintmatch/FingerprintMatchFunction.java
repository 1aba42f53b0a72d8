package io.spinledger.functions.fingerprintmatch;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.spinledger.domain.Chunk;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stage.match.MatchStage;
import io.spinledger.stats.Counters;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code fingerprintMatch} function: chunk messages in, each through the {@link MatchStage}. */
@Configuration(proxyBeanMethods = false)
public class FingerprintMatchFunction {

    /** The stage. */
    @Bean
    public MatchStage matchStage(ChunkMatcher matcher, Counters counters,
                                 io.spinledger.stage.capture.ChunkLog chunkLog) {
        return new MatchStage(matcher::match, counters::incrementOnce, chunkLog);
    }

    /** Matches each chunk of the batch. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> fingerprintMatch(MatchStage stage, MessagePublisher publisher) {
        return event -> SqsBatch.process("fingerprintMatch", event, body ->
                stage.handle(Json.read(body, Chunk.class), publisher));
    }
}
