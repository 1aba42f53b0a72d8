package io.spinledger.engine.fingerprint;

/**
 * One reference track found in a query (a chunk or clip): where in the track the query sits, at
 * which speed, and which part of the query matched. Track time and query time are related by
 * {@code trackMs = trackOffsetMs + timeScale * queryMs}.
 *
 * @param trackId         the matched reference track
 * @param trackOffsetMs   position in the track of the query's first sample, ms; negative when the
 *                        query starts before the track (e.g. silence or another song first)
 * @param matchStartMs    time in the query where the aligned fingerprints start, ms from the query's start
 * @param matchEndMs      time in the query where the aligned fingerprints end (last triplet's last peak), ms
 * @param alignedCount    query triplets whose track position agrees with the fitted line (among those the
 *                        matcher examined: a quarter or half of them when those already decided the match, see
 *                        {@code Matcher#decisive})
 * @param confidence      in [0, 1], calibrated on the benchmark, see {@link MatchThresholds}
 * @param timeScale       track ms per query ms: 1.05 when the broadcast plays the track 5 % faster
 *                        (by a speed or a tempo change)
 * @param frequencyFactor query frequency / track frequency: 1.05 for a 5 % speed-up, 1.0 for a
 *                        tempo change that keeps the pitch
 */
public record Match(String trackId, long trackOffsetMs, long matchStartMs, long matchEndMs,
                    int alignedCount, double confidence, double timeScale, double frequencyFactor) {

    /** A match at normal speed and pitch. */
    public Match(String trackId, long trackOffsetMs, long matchStartMs, long matchEndMs, int alignedCount,
                 double confidence) {
        this(trackId, trackOffsetMs, matchStartMs, matchEndMs, alignedCount, confidence, 1.0, 1.0);
    }

    /** Length of the matched part of the query, ms. */
    public long matchDurationMs() {
        return matchEndMs - matchStartMs;
    }

    /** Position in the track, ms, of a time in the query, ms. */
    public long trackPositionMs(long queryMs) {
        return trackOffsetMs + Math.round(timeScale * queryMs);
    }
}
