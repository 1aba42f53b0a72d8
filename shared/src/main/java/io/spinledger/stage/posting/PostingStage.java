package io.spinledger.stage.posting;

import io.spinledger.domain.Station;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The posting stage (scheduled): makes final the plays the station watermark passed (revising posted plays a late detection changed), rates the paid ones under the rule
 * version and posts each as one balanced ledger transaction, at most once per play and rule version
 * ({@link RoyaltyPoster#closeAndPost}). A play of an unknown station stays closed and is reported as failed.
 */
public final class PostingStage {
    private final RoyaltyPoster poster;
    private final Function<String, Optional<Station>> stations;

    /**
     * @param poster   closes, rates and posts plays
     * @param stations station lookup by id
     */
    public PostingStage(RoyaltyPoster poster, Function<String, Optional<Station>> stations) {
        this.poster = poster;
        this.stations = stations;
    }

    /**
     * One run.
     *
     * @param now the processing instant: decides which plays are due and stamps the postings
     * @return what the run closed, posted, skipped and failed
     */
    public RoyaltyPoster.Report handle(Instant now) {
        return poster.closeAndPost(now, id -> stations.apply(id).orElse(null));
    }
}
