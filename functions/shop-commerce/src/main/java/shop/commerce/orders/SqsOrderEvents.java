package shop.commerce.orders;

import shop.core.snapstart.Priming;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@link OrderEvents} onto the order notification queue through the generated SQS client: one
 * SendMessage each. The webhook, the back office's orders and its refunds all queue through it.
 */
public final class SqsOrderEvents implements OrderEvents {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsOrderEvents(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void publish(OrderMessage message) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(message.toJson()));
    }

    /** For SnapStart: a SendMessage through the whole client, stopped before it is sent; nothing is queued. */
    public void prime() {
        Priming.unsent(override -> sqs.sendMessage(b -> b.queueUrl(queueUrl)
                .messageBody(new OrderMessage(OrderMessage.Type.ORDER_PAID, "cs_priming_never_ordered").toJson())
                .overrideConfiguration(override)));
    }
}
