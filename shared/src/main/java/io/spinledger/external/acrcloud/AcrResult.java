package io.spinledger.external.acrcloud;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one ACRCloud identify call.
 *
 * @param outcome    what happened, see {@link Outcome}
 * @param statusCode ACRCloud {@code status.code} (0 match, 1001 no result, 3001/3014 credentials...), or -1 when
 *                   no request was made
 * @param statusMsg  ACRCloud {@code status.msg}, or a local explanation when no request was made
 * @param matches    music matches, best first (ACRCloud's order); empty unless {@code outcome == MATCH}
 */
public record AcrResult(Outcome outcome, int statusCode, String statusMsg, List<AcrMatch> matches) {
    public AcrResult {
        matches = matches == null ? List.of() : List.copyOf(matches);
    }

    /** What an identify call came to. */
    public enum Outcome {
        /** status 0: at least one music match. */
        MATCH,
        /** status 1001: the service heard nothing it knows (unidentified music or no music). */
        NO_RESULT,
        /** no credentials configured: no request was made. */
        NOT_CONFIGURED,
        /** the service rejected the credentials (3001) or signature (3014); the client stopped calling. */
        DISABLED,
        /** any other non-retryable status (e.g. 2004 can't generate fingerprint, 3006 invalid parameters). */
        ERROR
    }

    /** The best (first) match, if any. */
    public Optional<AcrMatch> best() {
        return matches.isEmpty() ? Optional.empty() : Optional.of(matches.get(0));
    }

    static AcrResult notConfigured() {
        return new AcrResult(Outcome.NOT_CONFIGURED, -1,
                "ACRCloud fallback disabled: no ACRCLOUD_ACCESS_KEY/ACRCLOUD_ACCESS_SECRET", List.of());
    }

    /**
     * One music match from {@code metadata.music[]}. Offsets and durations in milliseconds; nullable fields
     * are null when the response did not carry them.
     *
     * @param acrid               ACRCloud id of the reference
     * @param title               track title
     * @param artists             artist names in order
     * @param album               album name or null
     * @param label               label or null
     * @param isrc                first ISRC (as sent, not validated) or null
     * @param iswc                first ISWC (as sent) or null
     * @param score               confidence 70-100 (0 when absent)
     * @param playOffsetMs        position in the reference at the moment of the sample, or null
     * @param sampleBeginOffsetMs where the match begins in the submitted sample, or null
     * @param sampleEndOffsetMs   where the match ends in the submitted sample, or null
     * @param durationMs          reference duration, or null
     */
    public record AcrMatch(String acrid, String title, List<String> artists, String album, String label, String isrc,
                           String iswc, int score, Long playOffsetMs, Long sampleBeginOffsetMs,
                           Long sampleEndOffsetMs, Long durationMs) {
        public AcrMatch {
            artists = artists == null ? List.of() : List.copyOf(artists);
        }
    }
}
