package io.spinledger.external;

/**
 * An external service (ACRCloud, MusicBrainz...) failed in a way that may succeed later: HTTP 5xx or 503
 * throttling, a timeout, a connection failure, a quota/QPS status. The caller should retry the work item later
 * (for queue consumers: report a batch-item failure so the message becomes visible again).
 */
public class TransientExternalException extends RuntimeException {
    private final String service;

    /**
     * @param service short service name, e.g. "ACRCloud", "MusicBrainz"
     * @param message what failed, with the status when there was one
     * @param cause   underlying I/O error, may be null
     */
    public TransientExternalException(String service, String message, Throwable cause) {
        super(service + ": " + message, cause);
        this.service = service;
    }

    /** The service that failed. */
    public String service() {
        return service;
    }
}
