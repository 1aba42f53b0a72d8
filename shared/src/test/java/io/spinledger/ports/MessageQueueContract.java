package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageQueue} shares, as SQS standard queues define it: send/receive/delete, a
 * received message hidden for the visibility timeout and then delivered again with its receive count one higher,
 * deleted messages never coming back, the move to the dead-letter queue after {@link #MAX_RECEIVE_COUNT} receives,
 * and {@code receive(max)} returning at most {@code max}. No test relies on delivery order. Subclasses supply, per
 * test, an empty queue with {@link #VISIBILITY} and {@link #MAX_RECEIVE_COUNT} and no duplicate deliveries, and a
 * way to let time pass; the SQS subclass runs it on ElasticMQ, which is the reference when the two disagree.
 */
public abstract class MessageQueueContract {
    /** The visibility timeout of the queue under test. */
    protected static final Duration VISIBILITY = Duration.ofSeconds(2);
    /** The receive limit of the queue under test. */
    protected static final int MAX_RECEIVE_COUNT = 3;
    /** Comfortably past a visibility timeout that started just before. */
    private static final Duration PAST_VISIBILITY = VISIBILITY.plusMillis(400);

    /** An empty queue with {@link #VISIBILITY}, {@link #MAX_RECEIVE_COUNT} and no duplicate deliveries. */
    protected abstract MessageQueue queue();

    /** Lets {@code d} pass on the queue's clock (moves a fake clock, or sleeps). */
    protected abstract void letTimePass(Duration d);

    /** Receives until a receive returns nothing (at most {@code 50} calls). */
    private List<MessageQueue.Received> drain() {
        List<MessageQueue.Received> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<MessageQueue.Received> got = queue().receive(10);
            if (got.isEmpty()) {
                break;
            }
            all.addAll(got);
        }
        return all;
    }

    private static List<String> bodies(List<MessageQueue.Received> rs) {
        return rs.stream().map(MessageQueue.Received::body).toList();
    }

    @Test
    void anEmptyQueueReceivesNothing() {
        assertThat(queue().receive(10)).isEmpty();
        assertThat(queue().depth()).isZero();
        assertThat(queue().deadLetters()).isEmpty();
    }

    @Test
    void sendReceiveDelete() {
        queue().send("{\"chunkId\":\"c1\",\"note\":\"héllo ✓\"}");
        assertThat(queue().depth()).isEqualTo(1);
        List<MessageQueue.Received> got = queue().receive(10);
        assertThat(got).hasSize(1);
        MessageQueue.Received r = got.get(0);
        assertThat(r.body()).isEqualTo("{\"chunkId\":\"c1\",\"note\":\"héllo ✓\"}");
        assertThat(r.receiveCount()).isEqualTo(1);
        assertThat(r.messageId()).isNotBlank();
        assertThat(r.handle()).isNotBlank();
        assertThat(queue().depth()).as("in flight still counts").isEqualTo(1);
        queue().delete(r);
        assertThat(queue().depth()).isZero();
        letTimePass(PAST_VISIBILITY);
        assertThat(queue().receive(10)).isEmpty();
        assertThat(queue().deadLetters()).isEmpty();
    }

    @Test
    void aReceivedMessageIsHiddenUntilItsVisibilityTimeoutThenComesBackWithReceiveCountTwo() {
        queue().send("m");
        MessageQueue.Received first = queue().receive(10).get(0);
        assertThat(queue().receive(10)).isEmpty();
        letTimePass(VISIBILITY.dividedBy(2));
        assertThat(queue().receive(10)).as("still within the visibility timeout").isEmpty();
        letTimePass(VISIBILITY.dividedBy(2).plusMillis(400));
        List<MessageQueue.Received> again = queue().receive(10);
        assertThat(again).hasSize(1);
        MessageQueue.Received second = again.get(0);
        assertThat(second.body()).isEqualTo("m");
        assertThat(second.receiveCount()).isEqualTo(2);
        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.handle()).isNotEqualTo(first.handle());
        queue().delete(second);
        letTimePass(PAST_VISIBILITY);
        assertThat(queue().receive(10)).isEmpty();
        assertThat(queue().depth()).isZero();
    }

    @Test
    void deletedMessagesNeverComeBackAndUndeletedOnesDo() {
        for (String b : List.of("a", "b", "c", "d")) {
            queue().send(b);
        }
        List<MessageQueue.Received> got = drain();
        assertThat(bodies(got)).containsExactlyInAnyOrder("a", "b", "c", "d");
        for (MessageQueue.Received r : got) {
            if (!r.body().equals("c")) {
                queue().delete(r);
            }
        }
        assertThat(queue().depth()).isEqualTo(1);
        letTimePass(PAST_VISIBILITY);
        List<MessageQueue.Received> back = drain();
        assertThat(bodies(back)).containsExactly("c");
        assertThat(back.get(0).receiveCount()).isEqualTo(2);
        queue().delete(back.get(0));
        letTimePass(PAST_VISIBILITY);
        assertThat(drain()).isEmpty();
    }

    @Test
    void deletingTwiceFails() {
        queue().send("once");
        MessageQueue.Received r = queue().receive(10).get(0);
        queue().delete(r);
        assertThatThrownBy(() -> queue().delete(r)).isInstanceOf(InvalidReceiptHandleException.class);
        assertThat(queue().depth()).isZero();
    }

    @Test
    void aStaleHandleDeletesNothingAndFails() {
        queue().send("m");
        MessageQueue.Received first = queue().receive(10).get(0);
        letTimePass(PAST_VISIBILITY);
        MessageQueue.Received second = queue().receive(10).get(0);
        assertThatThrownBy(() -> queue().delete(first)).isInstanceOf(InvalidReceiptHandleException.class);
        assertThat(queue().depth()).isEqualTo(1);
        letTimePass(PAST_VISIBILITY);
        List<MessageQueue.Received> third = queue().receive(10);
        assertThat(third).extracting(MessageQueue.Received::receiveCount).containsExactly(3);
        assertThatThrownBy(() -> queue().delete(second)).isInstanceOf(InvalidReceiptHandleException.class);
        queue().delete(third.get(0));
        assertThat(queue().depth()).isZero();
    }

    @Test
    void aDeliveryWhoseVisibilityTimeoutPassedCanStillBeDeletedUntilReceivedAgain() {
        queue().send("slow");
        MessageQueue.Received r = queue().receive(10).get(0);
        letTimePass(PAST_VISIBILITY);
        queue().delete(r);
        assertThat(queue().depth()).isZero();
        assertThat(queue().receive(10)).isEmpty();
    }

    @Test
    void afterMaxReceiveCountReceivesWithoutDeleteTheMessageIsDeadLetteredAndNoLongerDelivered() {
        queue().send("poison");
        queue().send("fine");
        for (int n = 1; n <= MAX_RECEIVE_COUNT; n++) {
            List<MessageQueue.Received> got = drain();
            assertThat(bodies(got)).as("receive %d", n).containsExactlyInAnyOrder("poison", "fine");
            for (MessageQueue.Received r : got) {
                assertThat(r.receiveCount()).isEqualTo(n);
                if (n == MAX_RECEIVE_COUNT && r.body().equals("fine")) {
                    queue().delete(r); // handled on its last chance
                }
            }
            letTimePass(PAST_VISIBILITY);
        }
        assertThat(queue().receive(10)).as("the receive past the limit dead-letters instead").isEmpty();
        assertThat(queue().deadLetters()).containsExactly("poison");
        assertThat(queue().depth()).isZero();
        letTimePass(PAST_VISIBILITY);
        assertThat(queue().receive(10)).isEmpty();
        assertThat(queue().deadLetters()).as("reading leaves them there").containsExactly("poison");
    }

    @Test
    void receiveReturnsAtMostMax() {
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            queue().send("m" + i);
            sent.add("m" + i);
        }
        List<MessageQueue.Received> two = queue().receive(2);
        assertThat(two).hasSizeBetween(1, 2);
        List<MessageQueue.Received> one = queue().receive(1);
        assertThat(one).hasSizeLessThanOrEqualTo(1);
        List<MessageQueue.Received> all = new ArrayList<>(two);
        all.addAll(one);
        all.addAll(drain());
        assertThat(bodies(all)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(queue().depth()).isEqualTo(7);
        all.forEach(queue()::delete);
        assertThat(queue().depth()).isZero();
    }

    @Test
    void receiveOfLessThanOneIsRejected() {
        assertThatThrownBy(() -> queue().receive(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
