package io.spinledger.functions.plays;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.catalog.StationRepository;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.stage.plays.PlayAssemblyStage;
import io.spinledger.stage.posting.PostingStage;
import io.spinledger.stage.posting.RoyaltyPoster;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code playAssembly} function (mapped detections in, merged into plays by the {@link PlayAssemblyStage})
 * and the {@code playPosting} function (scheduled: the {@link PostingStage} makes final the plays the station watermark passed and
 * posts the paid ones to the ledger).
 */
@Configuration(proxyBeanMethods = false)
public class PlaysFunctions {

    /** The assembly stage. */
    @Bean
    public PlayAssemblyStage playAssemblyStage(RoyaltyPoster poster) {
        return new PlayAssemblyStage(poster);
    }

    /** The posting stage. */
    @Bean
    public PostingStage postingStage(RoyaltyPoster poster, StationRepository stations) {
        return new PostingStage(poster, stations::get);
    }

    /** Records each detection and re-derives its play. Safe to run twice and in any order. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> playAssembly(PlayAssemblyStage stage) {
        return event -> SqsBatch.process("playAssembly", event, body ->
                stage.handle(Json.read(body, DetectionMessage.class)));
    }

    /** Closes due plays and posts them; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> playPosting(PostingStage stage) {
        Clock clock = Clock.systemUTC();
        return tick -> String.valueOf(stage.handle(clock.instant()));
    }
}
