package io.spinledger.ports;

import io.spinledger.config.QueueName;

/** Sends a message (serialised as JSON) to one of the pipeline's queues. */
public interface MessagePublisher {
    /**
     * Sends one message.
     *
     * @param queue   target queue
     * @param message any Jackson-serialisable value
     */
    void send(QueueName queue, Object message);
}
