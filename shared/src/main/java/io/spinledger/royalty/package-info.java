/**
 * Royalties: the versioned {@link io.spinledger.royalty.RateCard}, the
 * {@link io.spinledger.royalty.RoyaltyCalculator} (amount in minor units, society splits by largest remainder,
 * suspense) and the {@link io.spinledger.royalty.RoyaltyPoster} the royalty-posting function calls.
 */
package io.spinledger.royalty;
