/**
 * The enrich stage (functions isrcEnrichment and isrcEnrichmentRetry). Entry points:
 * {@link io.spinledger.stage.enrich.EnrichStage} (a detection in, on to the enriched queue) and
 * {@link io.spinledger.stage.enrich.EnrichmentRetryStage} (scheduled retries).
 * {@link io.spinledger.stage.enrich.IsrcEnricher} fills recording and work metadata by a waterfall (catalog,
 * {@link io.spinledger.stage.enrich.EnrichmentCache}, MusicBrainz, Spotify, Deezer; the clients are in
 * {@code io.spinledger.external.*}), with per-ISRC status ({@link io.spinledger.stage.enrich.EnrichmentStatusStore})
 * and bulk jobs ({@link io.spinledger.stage.enrich.EnrichmentJobs}). The identifiers themselves are in
 * {@code io.spinledger.domain.id}.
 */
package io.spinledger.stage.enrich;
