package io.spinledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import io.spinledger.config.QueueName;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Stopping the local runtime interrupts the pollers' workers. A function that still returns normally (a live
 * capture stopped by the shutdown) has its message acknowledged, not reported or retried as a failure. The SQS
 * client is a stand-in that, like the AWS SDK, refuses to send from an interrupted thread.
 */
class QueuePollerShutdownTest {

    @Test
    void aMessageWhoseFunctionReturnsDuringShutdownIsDeleted() throws Exception {
        List<String> deleted = new CopyOnWriteArrayList<>();
        List<String> madeVisibleAgain = new CopyOnWriteArrayList<>();
        AtomicBoolean delivered = new AtomicBoolean();
        InvocationHandler h = (proxy, method, args) -> {
            Object a = args == null || args.length != 1 ? null : args[0];
            if (a instanceof Consumer) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw AbortedException.builder().message("Thread was interrupted").build();
            }
            if (a instanceof GetQueueUrlRequest) {
                return GetQueueUrlResponse.builder().queueUrl("http://sqs/spinledger-capture").build();
            }
            if (a instanceof ReceiveMessageRequest) {
                if (delivered.compareAndSet(false, true)) {
                    return ReceiveMessageResponse.builder().messages(Message.builder().messageId("m1")
                            .receiptHandle("r1").body("{}").build()).build();
                }
                Thread.sleep(50); // an empty long poll
                return ReceiveMessageResponse.builder().build();
            }
            if (a instanceof DeleteMessageBatchRequest d) {
                d.entries().stream().map(DeleteMessageBatchRequestEntry::receiptHandle).forEach(deleted::add);
                return DeleteMessageBatchResponse.builder().build();
            }
            if (a instanceof ChangeMessageVisibilityRequest c) {
                madeVisibleAgain.add(c.receiptHandle());
                return ChangeMessageVisibilityResponse.builder().build();
            }
            throw new UnsupportedOperationException(method.toString());
        };
        SqsClient sqs = (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(),
                new Class<?>[] {SqsClient.class}, h);

        CountDownLatch running = new CountDownLatch(1);
        QueuePoller poller = new QueuePoller(sqs, QueueName.CAPTURE, 1, 1, "chunkIngest", event -> {
            running.countDown();
            try {
                Thread.sleep(60_000); // recording a segment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the capture stops cleanly and returns
            }
            return new SQSBatchResponse(List.of());
        }, 5);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        poller.close();

        assertThat(deleted).containsExactly("r1");
        assertThat(madeVisibleAgain).isEmpty();
        assertThat(poller.failures()).isZero();
        assertThat(poller.invocations()).isEqualTo(1);
    }
}
