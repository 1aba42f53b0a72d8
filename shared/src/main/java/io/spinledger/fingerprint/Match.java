package io.spinledger.fingerprint;

/**
 * One reference track found in a query (a chunk): where in the track the query sits and which
 * part of the query matched.
 *
 * @param trackId       the matched reference track
 * @param trackOffsetMs position in the track of the query's first sample, ms; negative when the
 *                      query starts before the track (e.g. silence or another song first)
 * @param matchStartMs  time in the query of the first aligned hash, ms from the query's start
 * @param matchEndMs    time in the query of the last aligned hash, ms from the query's start
 * @param alignedCount  query hashes whose track offset agrees (within the matcher's tolerance)
 * @param confidence    in [0, 1]; grows with the aligned count and with the share of the
 *                      query's hashes that aligned, see {@link Matcher}
 */
public record Match(String trackId, long trackOffsetMs, long matchStartMs, long matchEndMs,
                    int alignedCount, double confidence) {

    /** Length of the matched part of the query, ms. */
    public long matchDurationMs() {
        return matchEndMs - matchStartMs;
    }
}
