package io.spinledger.functions.fingerprintmatch;

import io.spinledger.functions.support.CoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Entry point when this function is deployed alone (AWS Lambda: handler
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest} with
 * {@code MAIN_CLASS} set to this class). Matches chunks against the fingerprint index; detections go on, unmatched music to the fallback.
 */
@SpringBootApplication(proxyBeanMethods = false)
@Import(CoreConfiguration.class)
public class FingerprintMatchApplication {
    /** Starts the function application. */
    public static void main(String[] args) {
        SpringApplication.run(FingerprintMatchApplication.class, args);
    }
}
