package io.spinledger.ports;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link MessageQueue} in memory, as SQS standard queues behave: at-least-once (a send may be delivered twice, at
 * {@code duplicateRate}), delivery in random order, a received message hidden for the visibility timeout on the
 * given clock and delivered again unless deleted, and moved to the dead-letter queue when received more than
 * {@code maxReceiveCount} times. Deterministic for a given generator and clock (the simulator's queue).
 * Thread-safe.
 */
public final class InMemoryQueue implements MessageQueue {
    private static final class Message {
        private final long id;
        private final String body;
        private int receives;
        private long visibleAtMs;

        Message(long id, String body, long visibleAtMs) {
            this.id = id;
            this.body = body;
            this.visibleAtMs = visibleAtMs;
        }

        /** A delivery; the handle is {@code <queue>/<id>:<receives>}. */
        Received delivery(String queue) {
            return new Received(Long.toString(id), body, receives, queue + "/" + id + ":" + receives);
        }
    }

    private final String name;
    private final long visibilityMs;
    private final int maxReceiveCount;
    private final double duplicateRate;
    private final RandomGenerator random;
    private final Clock clock;
    private final List<Message> messages = new ArrayList<>();
    private final Map<Long, Message> byId = new HashMap<>();
    private final List<Message> deadLetters = new ArrayList<>();
    private long nextId;
    private long sent;
    private long delivered;

    /**
     * @param name            queue name (for reports)
     * @param visibility      how long a received message stays hidden (at least 1 ms)
     * @param maxReceiveCount receives after which a message is dead-lettered (at least 1)
     * @param duplicateRate   probability that a send is delivered twice (0 for exactly-once sends)
     * @param random          draws the delivery order, the duplicates and their delays
     * @param clock           the time visibility is measured on
     * @throws IllegalArgumentException on a visibility under 1 ms or a receive limit under 1
     */
    public InMemoryQueue(String name, Duration visibility, int maxReceiveCount, double duplicateRate,
                         RandomGenerator random, Clock clock) {
        if (visibility.toMillis() < 1 || maxReceiveCount < 1) {
            throw new IllegalArgumentException("visibility " + visibility + ", maxReceiveCount " + maxReceiveCount);
        }
        this.name = name;
        this.visibilityMs = visibility.toMillis();
        this.maxReceiveCount = maxReceiveCount;
        this.duplicateRate = duplicateRate;
        this.random = random;
        this.clock = clock;
    }

    /**
     * A queue without duplicates and with a fixed-seed delivery order.
     *
     * @see #InMemoryQueue(String, Duration, int, double, RandomGenerator, Clock)
     */
    public InMemoryQueue(String name, Duration visibility, int maxReceiveCount, Clock clock) {
        this(name, visibility, maxReceiveCount, 0.0, new SplittableRandom(0), clock);
    }

    /** Queue name. */
    public String name() {
        return name;
    }

    @Override
    public void send(String body) {
        send(body, 0);
    }

    /**
     * Sends a body that becomes visible after {@code delayMs} milliseconds (SQS {@code DelaySeconds}); with
     * probability {@code duplicateRate} a second copy becomes visible up to one visibility timeout later.
     */
    public synchronized void send(String body, long delayMs) {
        long nowMs = clock.millis();
        sent++;
        add(new Message(nextId++, body, nowMs + delayMs));
        if (random.nextDouble() < duplicateRate) {
            add(new Message(nextId++, body, nowMs + delayMs + random.nextLong(visibilityMs)));
        }
    }

    private void add(Message m) {
        messages.add(m);
        byId.put(m.id, m);
    }

    @Override
    public synchronized List<Received> receive(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        long nowMs = clock.millis();
        List<Message> visible = new ArrayList<>();
        for (Message m : messages) {
            if (m.visibleAtMs <= nowMs) {
                visible.add(m);
            }
        }
        List<Received> out = new ArrayList<>();
        while (!visible.isEmpty() && out.size() < max) {
            Message m = visible.remove(random.nextInt(visible.size()));
            m.receives++;
            if (m.receives > maxReceiveCount) {
                messages.remove(m);
                byId.remove(m.id);
                deadLetters.add(m);
                continue;
            }
            m.visibleAtMs = nowMs + visibilityMs;
            out.add(m.delivery(name));
        }
        delivered += out.size();
        return out;
    }

    @Override
    public synchronized void delete(Received message) {
        String handle = message.handle();
        String prefix = name + "/";
        int colon = handle.lastIndexOf(':');
        long id;
        int receives;
        try {
            if (!handle.startsWith(prefix)) {
                throw new IllegalArgumentException("another queue's");
            }
            id = Long.parseLong(handle.substring(prefix.length(), colon));
            receives = Integer.parseInt(handle.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new InvalidReceiptHandleException("not a receipt handle of queue " + name + ": " + handle, e);
        }
        Message m = byId.get(id);
        if (m == null || m.receives != receives) {
            throw new InvalidReceiptHandleException("receipt handle " + handle + " of queue " + name + " is not the"
                    + " message's latest delivery (deleted, dead-lettered or received again)", null);
        }
        byId.remove(id);
        messages.remove(m);
    }

    @Override
    public synchronized int depth() {
        return messages.size();
    }

    @Override
    public synchronized List<String> deadLetters() {
        return deadLetters.stream().map(m -> m.body).toList();
    }

    /**
     * The dead-lettered messages; each one's receive count is the receive that moved it ({@code maxReceiveCount + 1}).
     */
    public synchronized List<Received> deadLetterMessages() {
        return deadLetters.stream().map(m -> m.delivery(name)).toList();
    }

    /** Sends made (duplicates not counted). */
    public synchronized long sent() {
        return sent;
    }

    /** Deliveries made. */
    public synchronized long delivered() {
        return delivered;
    }
}
