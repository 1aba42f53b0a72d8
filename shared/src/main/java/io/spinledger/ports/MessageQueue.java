package io.spinledger.ports;

import java.util.List;

/**
 * One queue with the semantics of an SQS standard queue: at-least-once delivery (a message may arrive twice), no
 * order guarantee, a received message hidden for the queue's visibility timeout and delivered again (with its
 * receive count one higher) unless deleted, and moved to the queue's dead-letter queue when it would be received
 * more than {@code maxReceiveCount} times. {@link InMemoryQueue} and the SQS adapter both pass
 * {@code MessageQueueContract}; ElasticMQ is the reference where they differ.
 */
public interface MessageQueue {
    /**
     * One delivery of a message.
     *
     * @param messageId    the message's id, the same on every delivery of it
     * @param body         the body as sent
     * @param receiveCount how often the message was received, this delivery included (1 on the first)
     * @param handle       opaque; identifies this delivery to {@link #delete(Received)} (differs per delivery)
     */
    record Received(String messageId, String body, int receiveCount, String handle) {
    }

    /** Sends one message; it is visible at once. */
    void send(String body);

    /**
     * Receives up to {@code max} visible messages, in no particular order; each stays hidden for the visibility
     * timeout. A message that would exceed the receive limit moves to the dead-letter queue instead.
     *
     * @param max at most this many (1 or more)
     * @return the deliveries, possibly none
     * @throws IllegalArgumentException when {@code max < 1}
     */
    List<Received> receive(int max);

    /**
     * Deletes a received message so it is never delivered again. The handle must be the message's latest delivery;
     * a message whose visibility timeout has passed can still be deleted with it until it is received again.
     *
     * @throws InvalidReceiptHandleException when the message was deleted already, dead-lettered, or received again
     *                                       since this delivery (it is not deleted then), or the handle is not one
     *                                       of this queue's
     */
    void delete(Received message);

    /** Approximate number of messages in the queue: visible, delayed and in flight (received, not deleted). */
    int depth();

    /** The bodies in the dead-letter queue, in no particular order; reading them leaves them there. */
    List<String> deadLetters();
}
