package io.spinledger.functions.chunkingest.worker;

import io.spinledger.catalog.StationRepository;
import io.spinledger.config.Settings;
import io.spinledger.functions.chunkingest.ChunkIngestFunction;
import io.spinledger.functions.support.CoreConfiguration;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.capture.CaptureFleet;
import io.spinledger.stage.capture.ChunkIngestService;
import io.spinledger.stage.capture.ChunkLog;
import io.spinledger.stage.capture.RecentAudio;
import io.spinledger.stage.match.ChunkMatcher;
import io.spinledger.stats.Counters;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The capture service's container (ECS Fargate on AWS: {@code infra/}): a long-running process that holds up
 * to {@code SPINLEDGER_STREAMS_PER_WORKER} station streams per worker ({@code SPINLEDGER_CAPTURE_WORKERS} workers,
 * default 1), matches each chunk at the edge and keeps compressed evidence ({@link CaptureFleet}). Stations are
 * shared among tasks by assignment and heartbeat, so the service scales by task count and a task that dies loses
 * its stations for a few seconds. Stops on SIGTERM (ECS sends it before stopping a task): streams flush their
 * last chunk and evidence segment and the stations are released for the other tasks.
 */
@SpringBootApplication(proxyBeanMethods = false)
@Import({CoreConfiguration.class, ChunkIngestFunction.class})
public class CaptureWorkerApplication {
    /**
     * Starts the workers and blocks until the process is told to stop.
     *
     * @param args Spring Boot arguments (configuration comes from the environment, as for the functions)
     */
    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CaptureWorkerApplication.class)
                .web(WebApplicationType.NONE).run(args);
        CaptureFleet fleet = new CaptureFleet(context.getBean(Settings.class), context.getBean(StationRepository.class),
                context.getBean(ChunkIngestService.class), context.getBean(ChunkMatcher.class),
                context.getBean(ChunkLog.class), context.getBean(Counters.class), context.getBean(RecentAudio.class),
                context.getBean(MessagePublisher.class),
                Objects.requireNonNullElse(System.getenv("ECS_TASK_ID"),
                        Objects.requireNonNullElse(System.getenv("HOSTNAME"), "capture")));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            context.close();
            stopped.countDown();
        }, "capture-shutdown"));
        stopped.await();
    }
}
