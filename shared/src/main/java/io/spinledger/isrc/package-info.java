/**
 * Recording and work identifiers and the ISRC enrichment waterfall: {@link io.spinledger.isrc.Isrc},
 * {@link io.spinledger.isrc.Iswc}, the MusicBrainz WS/2 client and {@link io.spinledger.isrc.IsrcEnricher}
 * with its {@link io.spinledger.isrc.EnrichmentCache}.
 */
package io.spinledger.isrc;
