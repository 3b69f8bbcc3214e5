package shop.adminorders;

import shop.commerce.orders.OrderEvents;
import shop.commerce.orders.OrderMessage;
import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link OrderEvents} onto the order notification queue through the generated SQS client: one SendMessage each. */
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

    /** A SendMessage through the whole client, stopped before it is sent: nothing is queued. */
    void prime() {
        Priming.unsent(override -> sqs.sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, "cs_priming_never_ordered").toJson())
                .overrideConfiguration(override)));
    }
}
