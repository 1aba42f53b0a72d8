package io.spinledger.aws.emulator;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spinledger.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the three AWS emulators in this JVM on 127.0.0.1: DynamoDB Local, ElasticMQ (SQS API) and S3Proxy
 * (S3 API). With a data directory everything persists under it ({@code dynamodb/}, {@code sqs/},
 * {@code s3/}), so a restart finds the catalog, stations, plays, ledger and undelivered messages again;
 * without one everything lives in memory (tests).
 *
 * <p>Needs the optional emulator dependencies of {@code spinledger-shared} on the class path (the
 * {@code local} module has them). Set env {@code DDB_LOCAL_TELEMETRY=0} (or rely on {@code -disableTelemetry})
 * to keep DynamoDB Local offline.
 */
public final class EmbeddedEmulators implements AutoCloseable {
    /** Static credentials the emulators accept. */
    public static final String ACCESS_KEY = "spinledger";
    /** Static secret the emulators accept. */
    public static final String SECRET_KEY = "spinledger-secret";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedEmulators.class);

    private final DynamoDBProxyServer dynamo;
    private final scala.Function0<?> sqsShutdown;
    private final S3Proxy s3;
    private final int dynamoPort;
    private final int sqsPort;

    private EmbeddedEmulators(DynamoDBProxyServer dynamo, int dynamoPort, scala.Function0<?> sqsShutdown, int sqsPort,
                              S3Proxy s3) {
        this.dynamo = dynamo;
        this.dynamoPort = dynamoPort;
        this.sqsShutdown = sqsShutdown;
        this.sqsPort = sqsPort;
        this.s3 = s3;
    }

    /**
     * Starts all three emulators on free loopback ports.
     *
     * @param dataDir where to persist, or empty for in-memory
     * @throws IllegalStateException when an emulator fails to start
     */
    public static EmbeddedEmulators start(Optional<Path> dataDir) {
        long t0 = System.nanoTime();
        try {
            System.setProperty("aws.dynamodb.local.telemetry", "false");
            int dynamoPort = freePort();
            String[] args = dataDir.isPresent()
                    ? new String[] {"-dbPath", mkdirs(dataDir.get().resolve("dynamodb")).toString(), "-sharedDb",
                            "-disableTelemetry", "-port", Integer.toString(dynamoPort)}
                    : new String[] {"-inMemory", "-sharedDb", "-disableTelemetry", "-port", Integer.toString(dynamoPort)};
            DynamoDBProxyServer dynamo = ServerRunner.createServerFromCommandLineArgs(args);
            dynamo.start();

            int sqsPort = freePort();
            String sqsConf = "rest-sqs { enabled = true, bind-port = " + sqsPort + ", bind-hostname = \"127.0.0.1\","
                    + " sqs-limits = relaxed }\n"
                    + "node-address { protocol = http, host = \"127.0.0.1\", port = " + sqsPort + ", context-path = \"\" }\n"
                    + "generate-node-address = false\n";
            if (dataDir.isPresent()) {
                Path sqsDir = mkdirs(dataDir.get().resolve("sqs"));
                sqsConf += "messages-storage { enabled = true, uri = \"jdbc:h2:" + sqsDir.resolve("messages")
                        .toAbsolutePath() + "\" }\n";
            }
            Config config = ConfigFactory.parseString(sqsConf).withFallback(ConfigFactory.load());
            ElasticMQServer sqs = new ElasticMQServer(new ElasticMQServerConfig(config));
            scala.Function0<?> sqsShutdown = sqs.start();
            awaitHttp(URI.create("http://127.0.0.1:" + sqsPort + "/?Action=ListQueues"), "ElasticMQ");

            Properties props = new Properties();
            String provider = "transient";
            if (dataDir.isPresent()) {
                provider = "filesystem";
                props.setProperty("jclouds.filesystem.basedir", mkdirs(dataDir.get().resolve("s3")).toString());
            }
            S3Proxy s3 = S3Proxy.builder().blobStore(BlobStores.create(provider, props))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .endpoint(URI.create("http://127.0.0.1:" + freePort())).build();
            s3.start();
            while (!"STARTED".equals(s3.getState())) {
                Thread.sleep(10);
            }
            EmbeddedEmulators e = new EmbeddedEmulators(dynamo, dynamoPort, sqsShutdown, sqsPort, s3);
            log.info("Emulators up in {} ms: DynamoDB Local :{}, ElasticMQ :{}, S3Proxy :{} ({})",
                    (System.nanoTime() - t0) / 1_000_000, dynamoPort, sqsPort, s3.getPort(),
                    dataDir.map(d -> "data in " + d.toAbsolutePath()).orElse("in memory"));
            return e;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting emulators", ie);
        } catch (Exception ex) {
            throw new IllegalStateException("could not start the embedded emulators: " + ex.getMessage(), ex);
        }
    }

    /** AWS settings pointing at these emulators. */
    public Settings.Aws awsSettings() {
        return new Settings.Aws("us-east-1", Optional.of(s3Endpoint()), Optional.of(sqsEndpoint()),
                Optional.of(dynamoEndpoint()), ACCESS_KEY, SECRET_KEY);
    }

    /** S3 API endpoint. */
    public URI s3Endpoint() {
        return URI.create("http://127.0.0.1:" + s3.getPort());
    }

    /** SQS API endpoint. */
    public URI sqsEndpoint() {
        return URI.create("http://127.0.0.1:" + sqsPort);
    }

    /** DynamoDB API endpoint. */
    public URI dynamoEndpoint() {
        return URI.create("http://127.0.0.1:" + dynamoPort);
    }

    /**
     * The environment variables that point SpinLedger's {@link Settings} at these emulators.
     */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("SPINLEDGER_S3_ENDPOINT", s3Endpoint().toString(),
                "SPINLEDGER_SQS_ENDPOINT", sqsEndpoint().toString(),
                "SPINLEDGER_DYNAMODB_ENDPOINT", dynamoEndpoint().toString(),
                "SPINLEDGER_AWS_ACCESS_KEY_ID", ACCESS_KEY, "SPINLEDGER_AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_REGION", "us-east-1");
    }

    @Override
    public void close() {
        try {
            s3.stop();
        } catch (Exception e) {
            log.warn("S3Proxy did not stop cleanly: {}", e.toString());
        }
        try {
            sqsShutdown.apply();
        } catch (Exception e) {
            log.warn("ElasticMQ did not stop cleanly: {}", e.toString());
        }
        try {
            dynamo.stop();
        } catch (Exception e) {
            log.warn("DynamoDB Local did not stop cleanly: {}", e.toString());
        }
    }

    /** Waits until an emulator answers HTTP (it may bind, or restore persisted state, after start returns). */
    private static void awaitHttp(URI uri, String name) throws InterruptedException {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + 60_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                var resp = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(java.time.Duration.ofSeconds(5))
                        .GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() < 500) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer on " + uri + " within 60 s"
                + (last == null ? "" : ": " + last));
    }

    private static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
