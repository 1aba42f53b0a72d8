package io.spinledger.stage.plays;

import io.spinledger.domain.DetectionMessage;
import io.spinledger.stage.posting.RoyaltyPoster;

/**
 * The play-assembly stage: one PRO-mapped detection in; recorded and its play re-derived
 * ({@link RoyaltyPoster#accept}, {@link PlayStore#recordDetection}). Idempotent and order-independent: a
 * redelivered or reordered detection ends in the same plays. Emits nothing: the posting stage later closes the
 * plays the station watermark passed.
 */
public final class PlayAssemblyStage {
    private final RoyaltyPoster poster;

    /** @param poster records detections into plays */
    public PlayAssemblyStage(RoyaltyPoster poster) {
        this.poster = poster;
    }

    /**
     * Records one detection into its station's plays.
     *
     * @param message the mapped detection
     * @return what recording it changed
     * @throws IllegalArgumentException when the message lacks its detection's ids
     */
    public PlayStore.RecordOutcome handle(DetectionMessage message) {
        return poster.accept(message);
    }
}
