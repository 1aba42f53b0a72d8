package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link MessageQueueContract} on {@link InMemoryQueue}, on a clock the test moves. */
class InMemoryQueueTest extends MessageQueueContract {

    private ManualClock clock;
    private InMemoryQueue queue;

    @BeforeEach
    void fresh() {
        clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        queue = new InMemoryQueue("test", VISIBILITY, MAX_RECEIVE_COUNT, clock);
    }

    @Override
    protected MessageQueue queue() {
        return queue;
    }

    @Override
    protected void letTimePass(Duration d) {
        clock.advance(d);
    }

    @Test
    void visibilityEndsExactlyAfterTheTimeout() {
        queue.send("m");
        queue.receive(1);
        clock.advance(VISIBILITY.minusMillis(1));
        assertThat(queue.receive(1)).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(queue.receive(1)).extracting(MessageQueue.Received::receiveCount).containsExactly(2);
    }

    @Test
    void aHandleOfAnotherQueueIsRejected() {
        InMemoryQueue other = new InMemoryQueue("other", VISIBILITY, MAX_RECEIVE_COUNT, clock);
        queue.send("mine");
        other.send("theirs");
        MessageQueue.Received theirs = other.receive(1).get(0);
        assertThatThrownBy(() -> queue.delete(theirs)).isInstanceOf(InvalidReceiptHandleException.class);
        assertThatThrownBy(() -> queue.delete(new MessageQueue.Received("0", "mine", 1, "garbage")))
                .isInstanceOf(InvalidReceiptHandleException.class);
        assertThat(queue.depth()).isEqualTo(1);
    }

    @Test
    void aDelayedSendIsHiddenUntilItsDelayPasses() {
        queue.send("later", 1_500);
        assertThat(queue.receive(1)).isEmpty();
        assertThat(queue.depth()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1_500));
        assertThat(queue.receive(1)).extracting(MessageQueue.Received::body).containsExactly("later");
    }

    @Test
    void theSameSeedGivesTheSameDeliveriesAndDuplicatesDoHappen() {
        List<String> a = run(7);
        assertThat(run(7)).isEqualTo(a);
        assertThat(a).hasSizeGreaterThan(50); // duplicates at rate 0.5 on 50 sends
    }

    @Test
    void deadLetterMessagesCarryTheReceiveThatMovedThem() {
        queue.send("poison");
        for (int i = 0; i <= MAX_RECEIVE_COUNT; i++) {
            queue.receive(1);
            clock.advance(VISIBILITY);
        }
        assertThat(queue.deadLetterMessages()).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("poison");
            assertThat(m.receiveCount()).isEqualTo(MAX_RECEIVE_COUNT + 1);
        });
        assertThat(queue.sent()).isEqualTo(1);
        assertThat(queue.delivered()).isEqualTo(MAX_RECEIVE_COUNT);
    }

    private static List<String> run(long seed) {
        ManualClock c = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryQueue q = new InMemoryQueue("dup", Duration.ofSeconds(30), 5, 0.5, new SplittableRandom(seed), c);
        for (int i = 0; i < 50; i++) {
            q.send("m" + i);
        }
        List<String> out = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            for (MessageQueue.Received r : q.receive(7)) {
                out.add(r.body() + "#" + r.receiveCount());
                q.delete(r);
            }
            c.advance(Duration.ofSeconds(5));
        }
        return out;
    }
}
