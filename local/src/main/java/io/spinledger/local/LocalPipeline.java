package io.spinledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.spinledger.aws.AwsClients;
import io.spinledger.aws.emulator.EmbeddedEmulators;
import io.spinledger.aws.emulator.ResourceProvisioner;
import io.spinledger.config.FunctionCatalogue;
import io.spinledger.config.QueueName;
import io.spinledger.config.Settings;
import io.spinledger.stats.Metering;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline in one JVM: embedded emulators, every function bean in one Spring context, and the
 * event sources Lambda would provide (queue pollers, the schedule, the HTTP API). Used by the README's run
 * command ({@link LocalRuntime}) and by the integration tests.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);

    /**
     * How to start.
     *
     * @param dataDir           where to persist (empty: in memory)
     * @param bindAddress       HTTP bind address
     * @param httpPort          HTTP port (0 = any free port)
     * @param environment       extra configuration variables (override the process environment)
     * @param retryDelaySeconds local redelivery delay of a failed message, per receive
     * @param scheduleEnabled   whether to fire the schedules (tests may fire them by hand)
     */
    public record Options(Optional<Path> dataDir, String bindAddress, int httpPort, Map<String, String> environment,
                          int retryDelaySeconds, boolean scheduleEnabled) {
    }

    private final EmbeddedEmulators emulators;
    private final ConfigurableApplicationContext context;
    private final List<QueuePoller> pollers = new ArrayList<>();
    private final ScheduledExecutorService schedule;
    private final HttpGateway http;
    private final Settings settings;
    private final FunctionCatalog catalog;
    private io.spinledger.stage.capture.CaptureFleet fleet;
    private final LocalMetering metering;

    private LocalPipeline(Options options) throws Exception {
        emulators = EmbeddedEmulators.start(options.dataDir());
        Map<String, String> env = new HashMap<>(emulators.environment());
        env.putAll(options.environment());
        settings = Settings.load(name -> env.containsKey(name) ? env.get(name)
                : System.getProperty(name) != null ? System.getProperty(name) : System.getenv(name));
        var aws = settings.aws();
        try (var dynamo = AwsClients.dynamo(aws); var sqs = AwsClients.sqs(aws); var s3 = AwsClients.s3(aws)) {
            ResourceProvisioner.provision(dynamo, sqs, s3, settings.storage().mediaBucket());
        }
        long t0 = System.nanoTime();
        context = new SpringApplicationBuilder(LocalApplication.class).web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("settings", settings))
                .run();
        log.info("functions ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
        catalog = context.getBean(FunctionCatalog.class);
        SqsClient sqs = context.getBean(SqsClient.class);

        List<HttpGateway.Route> routes = new ArrayList<>();
        schedule = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "schedule");
            t.setDaemon(true);
            return t;
        });
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            if (catalog.lookup(f.definition()) == null) {
                throw new IllegalStateException("the function catalogue names " + f.definition()
                        + " but no bean of that name is in the local context (import its configuration in "
                        + "LocalApplication)");
            }
            switch (f.trigger()) {
                case QUEUE -> {
                    QueueName q = f.queue().orElseThrow();
                    int concurrency = 2; // live streams are held by the capture workers, not by this queue
                    pollers.add(new QueuePoller(sqs, q, f.batchSize(), concurrency, f.definition(),
                            sqsFunction(f.definition()), options.retryDelaySeconds()));
                }
                case SCHEDULE -> {
                    if (options.scheduleEnabled()) {
                        schedule.scheduleWithFixedDelay(() -> fire(f.definition()), 1, f.scheduleSeconds(),
                                TimeUnit.SECONDS);
                    }
                }
                case HTTP -> {
                    var fn = httpFunction(f.definition());
                    if (f.definition().equals("healthApi")) {
                        fn = QueueDepths.onHealth(fn, sqs); // local only: queue depths for the capacity bench
                    }
                    for (String route : f.routes()) {
                        String[] mp = route.split(" ", 2);
                        routes.add(new HttpGateway.Route(mp[0], mp[1], f.definition(), fn));
                    }
                }
            }
        }
        startCaptureWorkers();
        http = new HttpGateway(options.bindAddress(), options.httpPort(), routes);
        metering = new LocalMetering(settings, options.dataDir(),
                () -> captureWorkers().stream().mapToInt(w -> w.held().size()).sum());
        http.local("/local/metering", metering::json);
        log.info("HTTP API on http://{}:{}", options.bindAddress(), http.port());
    }

    /** Starts the fan-in capture workers, matching at the edge ({@link io.spinledger.stage.capture.CaptureFleet}). */
    private void startCaptureWorkers() {
        fleet = new io.spinledger.stage.capture.CaptureFleet(settings,
                context.getBean(io.spinledger.catalog.StationRepository.class),
                context.getBean(io.spinledger.stage.capture.ChunkIngestService.class),
                context.getBean(io.spinledger.stage.match.ChunkMatcher.class),
                context.getBean(io.spinledger.stage.capture.ChunkLog.class),
                context.getBean(io.spinledger.stats.Counters.class),
                context.getBean(io.spinledger.stage.capture.RecentAudio.class),
                context.getBean(io.spinledger.ports.MessagePublisher.class),
                java.util.Objects.requireNonNullElse(System.getenv("HOSTNAME"), "local"));
    }

    /** The capture workers of this runtime (for tests). */
    public List<io.spinledger.stage.capture.CaptureWorker> captureWorkers() {
        return fleet == null ? List.of() : fleet.workers();
    }

    /**
     * Starts everything.
     *
     * @throws IllegalStateException when something cannot start (the message says what)
     */
    public static LocalPipeline start(Options options) {
        try {
            return new LocalPipeline(options);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("SpinLedger could not start: " + e.getMessage(), e);
        }
    }

    /** Fires a scheduled function once, now (what the schedule does every interval). */
    public Object fire(String definition) {
        try {
            ScheduledEvent tick = new ScheduledEvent();
            tick.setId(java.util.UUID.randomUUID().toString());
            tick.setSource("spinledger.local");
            tick.setDetailType("Scheduled Event");
            tick.setTime(new org.joda.time.DateTime(Instant.now().toEpochMilli(), org.joda.time.DateTimeZone.UTC));
            Function<ScheduledEvent, Object> fn = catalog.lookup(definition);
            return Metering.invoke(definition, () -> fn.apply(tick));
        } catch (Exception e) {
            log.warn("scheduled function {} failed: {}", definition, e.toString(), e);
            return null;
        }
    }

    /** The base URL of the HTTP API. */
    public String baseUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    /** The settings in force. */
    public Settings settings() {
        return settings;
    }

    /** The emulators (for tests that inspect queues and tables). */
    public EmbeddedEmulators emulators() {
        return emulators;
    }

    /** A bean of the functions' context (for tests). */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** HTTP routes and their functions. */
    public List<String> routes() {
        return http.describe();
    }

    private Function<SQSEvent, SQSBatchResponse> sqsFunction(String definition) {
        Function<SQSEvent, Object> fn = catalog.lookup(definition);
        if (fn == null) {
            throw new IllegalStateException("no function bean named " + definition);
        }
        return e -> (SQSBatchResponse) fn.apply(e);
    }

    private Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> httpFunction(String definition) {
        Function<APIGatewayV2HTTPEvent, Object> fn = catalog.lookup(definition);
        if (fn == null) {
            throw new IllegalStateException("no function bean named " + definition);
        }
        return e -> (APIGatewayV2HTTPResponse) fn.apply(e);
    }

    @Override
    public void close() {
        http.close();
        if (fleet != null) {
            fleet.close();
        }
        metering.close(); // after the workers: their last evidence segments are stored and counted
        schedule.shutdownNow();
        pollers.forEach(QueuePoller::close);
        context.close();
        emulators.close();
    }
}
