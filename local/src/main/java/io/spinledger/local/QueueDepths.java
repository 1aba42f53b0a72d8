package io.spinledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spinledger.config.QueueName;
import io.spinledger.json.Json;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local runtime's queue depths on {@code GET /health}: a {@code queues} field with, per pipeline queue (ElasticMQ's
 * approximate counts), {@code waiting} (visible), {@code inFlight} (received, not yet deleted) and {@code delayed}
 * (waiting for a retry), plus its dead-letter queue's {@code dead}. Local only: the deployed health function is
 * unchanged. What the capacity bench reads to see a backlog.
 */
final class QueueDepths {
    private QueueDepths() {
    }

    /** Wraps the health function so that its 200 answer also carries the queue depths. */
    static Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> onHealth(
            Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> health, SqsClient sqs) {
        return event -> {
            APIGatewayV2HTTPResponse r = health.apply(event);
            if (r == null || r.getStatusCode() != 200 || r.getBody() == null) {
                return r;
            }
            try {
                ObjectNode body = (ObjectNode) Json.MAPPER.readTree(r.getBody());
                ObjectNode queues = body.putObject("queues");
                for (QueueName q : QueueName.values()) {
                    Map<QueueAttributeName, String> a = attributes(sqs, q.queueName());
                    ObjectNode n = queues.putObject(q.queueName());
                    n.put("waiting", count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                    n.put("inFlight", count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                    n.put("delayed", count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
                    n.put("dead", count(attributes(sqs, q.deadLetterQueueName()),
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                }
                r.setBody(Json.MAPPER.writeValueAsString(body));
            } catch (Exception e) {
                // the health answer stands without the depths
            }
            return r;
        };
    }

    private static Map<QueueAttributeName, String> attributes(SqsClient sqs, String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
    }

    private static long count(Map<QueueAttributeName, String> a, QueueAttributeName name) {
        String v = a.get(name);
        return v == null ? 0 : Long.parseLong(v);
    }
}
