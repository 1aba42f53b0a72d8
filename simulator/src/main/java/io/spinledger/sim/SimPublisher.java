package io.spinledger.sim;

import io.spinledger.config.QueueName;
import io.spinledger.json.Json;
import io.spinledger.ports.InMemoryQueue;
import io.spinledger.ports.MessagePublisher;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The stages' queue port in the simulation: serialises to JSON as SQS would carry it, passes fault points before
 * and after the send, and delays delivery by a random amount (the queues keep simulated time).
 */
public final class SimPublisher implements MessagePublisher {
    private final Map<QueueName, InMemoryQueue> queues;
    private final Faults faults;
    private final RandomGenerator random;
    private final long maxDelayMs;

    /**
     * @param queues     the simulated queues
     * @param faults     fault points
     * @param random     the run's generator
     * @param maxDelayMs largest delivery delay, ms
     */
    public SimPublisher(Map<QueueName, InMemoryQueue> queues, Faults faults, RandomGenerator random,
                        long maxDelayMs) {
        this.queues = queues;
        this.faults = faults;
        this.random = random;
        this.maxDelayMs = maxDelayMs;
    }

    @Override
    public void send(QueueName queue, Object message) {
        InMemoryQueue q = queues.get(queue);
        if (q == null) {
            throw new IllegalArgumentException("no simulated queue " + queue);
        }
        String body = Json.write(message);
        faults.point("before send to " + queue);
        q.send(body, maxDelayMs <= 0 ? 0 : random.nextLong(maxDelayMs + 1));
        faults.point("after send to " + queue);
    }
}
