package io.spinledger.ports;

/**
 * A store could not be reached or throttled the call (DynamoDB throttling, a timeout, a 5xx): transient; the
 * caller may retry, and a queue consumer leaves the message for redelivery.
 */
public class StoreUnavailableException extends RuntimeException {
    /**
     * @param message what failed
     * @param cause   the underlying error, or null
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
