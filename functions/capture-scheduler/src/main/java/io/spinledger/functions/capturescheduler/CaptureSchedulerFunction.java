package io.spinledger.functions.capturescheduler;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.catalog.StationRepository;
import io.spinledger.stage.capture.CaptureWatchdog;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code captureScheduler} function: schedule tick in, the {@link CaptureWatchdog}'s check out. Stations are
 * held by the fan-in capture workers; this reports those no worker holds. On Lambda the count is also printed as
 * a CloudWatch embedded-metric line ({@code SpinLedger/UnmonitoredStations}) for the alarm.
 */
@Configuration(proxyBeanMethods = false)
public class CaptureSchedulerFunction {
    /** How long a station may wait for a worker (after registration or its worker's death) before it is reported. */
    static final Duration GRACE = Duration.ofSeconds(30);

    /** The watchdog. */
    @Bean
    public CaptureWatchdog captureWatchdog(StationRepository stations) {
        return new CaptureWatchdog(stations, GRACE);
    }

    /** Checks which stations no capture worker holds; returns a one-line summary. */
    @Bean
    public Function<ScheduledEvent, String> captureScheduler(CaptureWatchdog watchdog) {
        Clock clock = Clock.systemUTC();
        boolean lambda = System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
        return tick -> {
            var r = watchdog.check(clock.instant());
            if (lambda) {
                System.out.println("{\"_aws\":{\"Timestamp\":" + clock.millis() + ",\"CloudWatchMetrics\":[{"
                        + "\"Namespace\":\"SpinLedger\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":"
                        + "\"UnmonitoredStations\",\"Unit\":\"Count\"}]}]},\"UnmonitoredStations\":"
                        + r.unmonitored().size() + "}");
            }
            return r.monitored() + " station(s) monitored by " + r.liveWorkers() + " capture worker(s); "
                    + (r.unmonitored().isEmpty() ? "none unmonitored" : "NOT monitored: " + r.unmonitored());
        };
    }
}
