package io.spinledger.external;

/**
 * An external service refused a request in a way that retrying will not fix: HTTP 400 (bad request),
 * 403 (User-Agent refused), an unexpected status, or a body that is not the documented JSON shape.
 */
public class ExternalServiceException extends RuntimeException {
    private final String service;
    private final int httpStatus;

    /**
     * @param service    short service name, e.g. "MusicBrainz"
     * @param httpStatus HTTP status code, or 0 when the failure was not an HTTP status
     * @param message    what failed
     * @param cause      underlying error, may be null
     */
    public ExternalServiceException(String service, int httpStatus, String message, Throwable cause) {
        super(service + ": " + message, cause);
        this.service = service;
        this.httpStatus = httpStatus;
    }

    /** The service that refused. */
    public String service() {
        return service;
    }

    /** The HTTP status, or 0 when not an HTTP status failure. */
    public int httpStatus() {
        return httpStatus;
    }
}
