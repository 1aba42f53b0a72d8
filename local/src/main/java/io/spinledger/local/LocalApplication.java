package io.spinledger.local;

import io.spinledger.functions.acrcloudfallback.AcrcloudFallbackFunction;
import io.spinledger.functions.capturescheduler.CaptureSchedulerFunction;
import io.spinledger.functions.chunkingest.ChunkIngestFunction;
import io.spinledger.functions.fingerprintmatch.FingerprintMatchFunction;
import io.spinledger.functions.httpapi.HttpApiFunctions;
import io.spinledger.functions.isrcenrichment.IsrcEnrichmentFunction;
import io.spinledger.functions.isrcenrichment.IsrcEnrichmentRetryFunction;
import io.spinledger.functions.promapping.ProMappingFunction;
import io.spinledger.functions.plays.PlaysFunctions;
import io.spinledger.functions.support.CoreConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** One Spring context holding every function bean, as the local runtime serves them. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({CoreConfiguration.class, CaptureSchedulerFunction.class, ChunkIngestFunction.class,
        FingerprintMatchFunction.class, AcrcloudFallbackFunction.class, IsrcEnrichmentFunction.class,
        IsrcEnrichmentRetryFunction.class, ProMappingFunction.class, PlaysFunctions.class,
        HttpApiFunctions.class})
public class LocalApplication {
}
