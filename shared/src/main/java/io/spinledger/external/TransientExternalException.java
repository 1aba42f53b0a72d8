package io.spinledger.external;

import java.time.Duration;
import java.util.Optional;

/**
 * An external service (ACRCloud, MusicBrainz...) failed in a way that may succeed later: HTTP 5xx or 503
 * throttling, a timeout, a connection failure, a quota/QPS status. The caller should retry the work item later
 * (for queue consumers: report a batch-item failure so the message becomes visible again).
 */
public class TransientExternalException extends RuntimeException {
    private final String service;
    private final int httpStatus;
    private final Duration retryAfter;

    /**
     * @param service short service name, e.g. "ACRCloud", "MusicBrainz"
     * @param message what failed, with the status when there was one
     * @param cause   underlying I/O error, may be null
     */
    public TransientExternalException(String service, String message, Throwable cause) {
        this(service, message, cause, 0, null);
    }

    /**
     * @param service    short service name, e.g. "ACRCloud", "MusicBrainz"
     * @param message    what failed, with the status when there was one
     * @param cause      underlying I/O error, may be null
     * @param httpStatus the HTTP status (429, 5xx), or 0 when the failure was not an HTTP status
     * @param retryAfter how long the service asked us to wait ({@code Retry-After}), or null when it did not say
     */
    public TransientExternalException(String service, String message, Throwable cause, int httpStatus,
                                      Duration retryAfter) {
        super(service + ": " + message, cause);
        this.service = service;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /** The service that failed. */
    public String service() {
        return service;
    }

    /** The HTTP status (429, 5xx), or 0 when the failure was not an HTTP status (timeout, I/O, body status). */
    public int httpStatus() {
        return httpStatus;
    }

    /** How long the service asked us to wait before the next request ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
