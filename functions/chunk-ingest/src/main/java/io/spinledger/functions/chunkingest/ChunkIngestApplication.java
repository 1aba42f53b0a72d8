package io.spinledger.functions.chunkingest;

import io.spinledger.functions.support.CoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Entry point when this function is deployed alone (AWS Lambda: handler
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest} with
 * {@code MAIN_CLASS} set to this class). Records a station's stream (or an uploaded air-check), cuts it into chunks, stores and announces them.
 */
@SpringBootApplication(proxyBeanMethods = false)
@Import(CoreConfiguration.class)
public class ChunkIngestApplication {
    /** Starts the function application. */
    public static void main(String[] args) {
        SpringApplication.run(ChunkIngestApplication.class, args);
    }
}
