package io.spinledger.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's run command: starts SpinLedger on the embedded default and, unless {@code --no-demo}, the
 * offline demo (a local Icecast station playing registered real recordings with speech between them).
 */
@Command(name = "spinledger-local", mixinStandardHelpOptions = true, version = "SpinLedger 0.1.0",
        description = "Runs every SpinLedger function in one JVM on embedded DynamoDB Local, ElasticMQ and S3Proxy.")
public final class LocalRuntime implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "data", description = "where all state is kept (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--in-memory", description = "keep nothing on disk")
    boolean inMemory;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "HTTP bind address (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--no-demo", description = "do not start the demo station")
    boolean noDemo;

    @Option(names = "--demo-minutes", defaultValue = "0",
            description = "stop after the demo broadcast has aired and been posted, waiting at most this many minutes "
                    + "(0 = keep running until Ctrl-C)")
    int demoMinutes;

    @Override
    public Integer call() throws Exception {
        var options = new LocalPipeline.Options(inMemory ? Optional.empty() : Optional.of(dataDir), bind, port,
                Map.of(), 5, true);
        LocalPipeline pipeline = LocalPipeline.start(options);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stop.countDown();
        }, "shutdown"));
        System.out.println();
        System.out.println("SpinLedger is running. HTTP API: " + pipeline.baseUrl());
        pipeline.routes().forEach(r -> System.out.println("  " + r));
        System.out.println("Data: " + (inMemory ? "in memory" : dataDir.toAbsolutePath()) + "   Stop: Ctrl-C");
        if (!noDemo) {
            boolean ok = Demo.run(pipeline, demoMinutes);
            if (demoMinutes > 0) {
                System.exit(ok ? 0 : 1);
            }
        }
        stop.await();
        return 0;
    }

    /** Entry point. */
    public static void main(String[] args) {
        int code = new CommandLine(new LocalRuntime()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
