/**
 * Royalties: rules as versioned data ({@link io.spinledger.royalty.RateCard}, chosen per play by
 * {@link io.spinledger.royalty.RuleBook}), the {@link io.spinledger.royalty.RoyaltyCalculator} (amount in minor
 * units by class, daypart and feature test; splits with neighbouring rights, admin fees and suspense, allocated by
 * {@link io.spinledger.royalty.Allocation}), {@link io.spinledger.royalty.BlanketDistribution} (pro rata and
 * hybrid), dated conversions ({@link io.spinledger.royalty.FxTable}) and the
 * {@link io.spinledger.royalty.RoyaltyPoster} the play stages call (also re-rating and period
 * recomputation).
 */
package io.spinledger.royalty;
