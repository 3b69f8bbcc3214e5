package shop.adminrefunds;

import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link OrderEvents} onto the order notification queue, through the generated SQS client. */
final class SqsOrderEvents implements OrderEvents {
    private final SqsClient sqs;
    private final String queueUrl;

    SqsOrderEvents(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void publish(OrderMessage message) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()));
    }
}
