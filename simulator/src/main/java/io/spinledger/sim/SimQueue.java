package io.spinledger.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One queue as SQS standard queues behave: at-least-once (a send may be delivered twice), no order, a received
 * message hidden for the visibility timeout and delivered again unless deleted, and moved to the dead-letter
 * queue when received more than {@code maxReceiveCount} times. Deterministic under the run's generator.
 */
public final class SimQueue {
    /** A message in the queue. */
    public static final class Message {
        private final long id;
        private final String body;
        private int receives;
        private long visibleAtMs;

        Message(long id, String body, long visibleAtMs) {
            this.id = id;
            this.body = body;
            this.visibleAtMs = visibleAtMs;
        }

        /** The JSON body. */
        public String body() {
            return body;
        }

        /** How often it was received, including this delivery. */
        public int receives() {
            return receives;
        }

        /** Message id (unique in the run). */
        public long id() {
            return id;
        }
    }

    private final String name;
    private final long visibilityMs;
    private final int maxReceiveCount;
    private final double duplicateRate;
    private final RandomGenerator random;
    private final List<Message> messages = new ArrayList<>();
    private final List<Message> deadLetters = new ArrayList<>();
    private long nextId;
    private long sent;
    private long delivered;

    /**
     * @param name            queue name (for reports)
     * @param visibilityMs    how long a received message stays hidden, ms
     * @param maxReceiveCount receives after which a message is dead-lettered
     * @param duplicateRate   probability that a send is delivered twice
     * @param random          the run's generator
     */
    public SimQueue(String name, long visibilityMs, int maxReceiveCount, double duplicateRate, RandomGenerator random) {
        this.name = name;
        this.visibilityMs = visibilityMs;
        this.maxReceiveCount = maxReceiveCount;
        this.duplicateRate = duplicateRate;
        this.random = random;
    }

    /** Queue name. */
    public String name() {
        return name;
    }

    /**
     * Sends a body, visible after {@code delayMs}; sometimes twice.
     */
    public void send(String body, long nowMs, long delayMs) {
        sent++;
        messages.add(new Message(nextId++, body, nowMs + delayMs));
        if (random.nextDouble() < duplicateRate) {
            messages.add(new Message(nextId++, body, nowMs + delayMs + random.nextLong(visibilityMs)));
        }
    }

    /**
     * Receives up to {@code max} visible messages in random order; each stays hidden for the visibility timeout.
     * Messages received more than the receive limit move to the dead-letter queue instead.
     */
    public List<Message> receive(long nowMs, int max) {
        List<Message> visible = new ArrayList<>();
        for (Message m : messages) {
            if (m.visibleAtMs <= nowMs) {
                visible.add(m);
            }
        }
        List<Message> out = new ArrayList<>();
        while (!visible.isEmpty() && out.size() < max) {
            Message m = visible.remove(random.nextInt(visible.size()));
            m.receives++;
            if (m.receives > maxReceiveCount) {
                messages.remove(m);
                deadLetters.add(m);
                continue;
            }
            m.visibleAtMs = nowMs + visibilityMs;
            out.add(m);
        }
        delivered += out.size();
        return out;
    }

    /** Deletes a handled message. */
    public void delete(Message m) {
        messages.remove(m);
    }

    /** Messages still in the queue (visible or in flight). */
    public int depth() {
        return messages.size();
    }

    /** The dead-lettered messages. */
    public List<Message> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** Sends made (duplicates not counted). */
    public long sent() {
        return sent;
    }

    /** Deliveries made. */
    public long delivered() {
        return delivered;
    }
}
