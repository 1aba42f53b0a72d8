package io.spinledger.functions.plays;

import io.spinledger.functions.support.CoreConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * Entry point when this function is deployed alone (AWS Lambda: handler
 * {@code org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest} with
 * {@code MAIN_CLASS} set to this class). Merges detections into plays and posts royalties to the double-entry ledger.
 */
@SpringBootApplication(proxyBeanMethods = false)
@Import(CoreConfiguration.class)
public class PlaysApplication {
    /** Starts the function application. */
    public static void main(String[] args) {
        SpringApplication.run(PlaysApplication.class, args);
    }
}
