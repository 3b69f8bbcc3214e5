package shop.webhook;

import java.util.Map;
import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.core.aws.AwsJsonClient;

/** {@link OrderEvents} onto the order notification queue: one SQS SendMessage each. */
final class SqsOrderEvents implements OrderEvents {
    private final AwsJsonClient sqs;
    private final String queueUrl;

    SqsOrderEvents(AwsJsonClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void publish(OrderMessage message) {
        sqs.call("1.0", "AmazonSQS.SendMessage", Map.of("QueueUrl", queueUrl, "MessageBody", message.toJson()));
    }
}
