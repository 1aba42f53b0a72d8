/**
 * What the external-service clients share: the two failure kinds a caller has to tell apart,
 * {@link io.spinledger.external.TransientExternalException} (retry later) and
 * {@link io.spinledger.external.ExternalServiceException} (retrying will not help), and the one way of calling a
 * service: {@link io.spinledger.external.HttpExchange} (OkHttp with timeouts, classification of the outcome,
 * pacing) inside {@link io.spinledger.external.Resilience} (Resilience4j retry honouring {@code Retry-After},
 * optional circuit breaker), with waits through an injectable {@link io.spinledger.ports.Sleeper}.
 */
package io.spinledger.external;
