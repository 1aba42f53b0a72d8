package io.spinledger.functions.capturescheduler;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.domain.CaptureRequest;
import io.spinledger.schedule.CaptureScheduler;
import io.spinledger.station.StationRepository;
import io.spinledger.storage.MessagePublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code captureScheduler} function: schedule tick in, capture requests out. */
@Configuration(proxyBeanMethods = false)
public class CaptureSchedulerFunction {

    /** Sends one capture request per station due at the tick; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> captureScheduler(StationRepository stations, Settings settings,
                                                             MessagePublisher publisher) {
        CaptureScheduler scheduler = new CaptureScheduler(stations, settings.capture(),
                // a running capture reports health at least once per reconnect wait: longer silence means it died
                Duration.ofMillis(settings.capture().maxBackoffMs() + 3 * settings.capture().connectTimeoutMs()
                        + 30_000));
        Clock clock = Clock.systemUTC();
        return tick -> {
            List<CaptureRequest> due = scheduler.due(clock.instant());
            due.forEach(r -> publisher.send(QueueName.CAPTURE, r));
            return "issued " + due.size() + " capture request(s)";
        };
    }
}
