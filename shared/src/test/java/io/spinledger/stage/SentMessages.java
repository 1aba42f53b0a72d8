package io.spinledger.stage;

import io.spinledger.config.QueueName;
import io.spinledger.ports.MessagePublisher;
import java.util.ArrayList;
import java.util.List;

/** A {@link MessagePublisher} that keeps what was sent, in order, for tests. */
public final class SentMessages implements MessagePublisher {
    /**
     * One sent message.
     *
     * @param queue   the queue
     * @param message the message as sent (not serialised)
     */
    public record Sent(QueueName queue, Object message) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public void send(QueueName queue, Object message) {
        sent.add(new Sent(queue, message));
    }

    /** Everything sent so far, in order. */
    public List<Sent> all() {
        return List.copyOf(sent);
    }

    /** The messages sent to {@code queue}, in order. */
    public <T> List<T> to(QueueName queue, Class<T> type) {
        return sent.stream().filter(s -> s.queue() == queue).map(s -> type.cast(s.message())).toList();
    }
}
