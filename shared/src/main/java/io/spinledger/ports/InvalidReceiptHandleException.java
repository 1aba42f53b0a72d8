package io.spinledger.ports;

/**
 * {@link MessageQueue#delete(MessageQueue.Received)} got a handle that is not the message's latest delivery: the
 * message was deleted already, moved to the dead-letter queue, or received again since (then it stays in the queue
 * and comes back). ElasticMQ answers {@code ReceiptHandleIsInvalid} in all these cases; real SQS accepts such a
 * delete silently (and may not delete). Not retryable: the message, if still queued, is redelivered.
 */
public class InvalidReceiptHandleException extends RuntimeException {
    /**
     * @param message which handle
     * @param cause   the underlying error, or null
     */
    public InvalidReceiptHandleException(String message, Throwable cause) {
        super(message, cause);
    }
}
