package io.spinledger.functions.royaltyposting;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.functions.support.SqsBatch;
import io.spinledger.json.Json;
import io.spinledger.royalty.RoyaltyPoster;
import io.spinledger.station.StationRepository;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code royaltyPosting} function (detections in, merged into plays) and the {@code playCloser}
 * function (scheduled: closes plays that stopped growing and posts the paid ones to the ledger).
 */
@Configuration(proxyBeanMethods = false)
public class RoyaltyPostingFunction {

    /** Records each detection and re-derives its play. Safe to run twice and in any order. */
    @Bean
    public Function<SQSEvent, SQSBatchResponse> royaltyPosting(RoyaltyPoster poster) {
        return event -> SqsBatch.process("royaltyPosting", event, body ->
                poster.accept(Json.read(body, DetectionMessage.class)));
    }

    /** Closes due plays and posts them; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> playCloser(RoyaltyPoster poster, StationRepository stations) {
        Clock clock = Clock.systemUTC();
        return tick -> String.valueOf(poster.closeAndPost(clock.instant(), id -> stations.get(id).orElse(null)));
    }
}
