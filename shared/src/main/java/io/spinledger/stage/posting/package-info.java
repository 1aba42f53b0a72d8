/**
 * The posting stage (function playPosting, scheduled). Entry point: {@link io.spinledger.stage.posting.PostingStage},
 * which makes final the plays the station watermark passed and posts the paid ones through the
 * {@link io.spinledger.stage.posting.RoyaltyPoster} (also re-rating and period recomputation). Rules as versioned data
 * ({@link io.spinledger.stage.posting.RateCard}, chosen per play by {@link io.spinledger.stage.posting.RuleBook}), the
 * {@link io.spinledger.stage.posting.RoyaltyCalculator} (amount in minor units by class, daypart (of the play's start,
 * or its seconds in each daypart where the version says so) and feature test;
 * splits with neighbouring rights, admin fees and suspense, allocated by
 * {@link io.spinledger.stage.posting.Allocation}), {@link io.spinledger.stage.posting.BlanketDistribution} (pro rata
 * and hybrid) and dated conversions ({@link io.spinledger.stage.posting.FxTable}).
 */
package io.spinledger.stage.posting;
