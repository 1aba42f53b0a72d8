/**
 * The fallback stage (function acrcloudFallback). Entry point: {@link io.spinledger.stage.fallback.FallbackStage}.
 * {@link io.spinledger.stage.fallback.FallbackIdentifier} sends a chunk the index did not recognise to ACRCloud only
 * when the {@link io.spinledger.stage.fallback.MusicGate} hears music and the shared
 * {@link io.spinledger.stage.fallback.AcrBudget} allows a call, through the
 * {@link io.spinledger.stage.fallback.AcrCloudGuard} (circuit breaker, retries). The ACRCloud client itself is in
 * {@code io.spinledger.external.acrcloud}.
 */
package io.spinledger.stage.fallback;
