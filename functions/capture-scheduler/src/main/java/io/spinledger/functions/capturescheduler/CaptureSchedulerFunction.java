package io.spinledger.functions.capturescheduler;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.catalog.StationRepository;
import io.spinledger.config.Settings;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.capture.CaptureScheduler;
import io.spinledger.stage.capture.CaptureScheduling;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code captureScheduler} function: schedule tick in, the {@link CaptureScheduling} stage's requests out. */
@Configuration(proxyBeanMethods = false)
public class CaptureSchedulerFunction {

    /** The stage. */
    @Bean
    public CaptureScheduling captureScheduling(StationRepository stations, Settings settings) {
        return new CaptureScheduling(new CaptureScheduler(stations, settings.capture()));
    }

    /** Sends one capture request per station due at the tick; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> captureScheduler(CaptureScheduling stage, MessagePublisher publisher) {
        Clock clock = Clock.systemUTC();
        return tick -> "issued " + stage.handle(clock.instant(), publisher).size() + " capture request(s)";
    }
}
