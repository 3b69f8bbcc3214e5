package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;

/** The order events on a queue of the SQS stand-in, read back as the notification function's event source would. */
@ExtendWith(LocalAwsExtension.class)
class SqsOrderEventsTest {

    @Test
    void eachEventIsOneMessageWithItsJsonAndPrimingQueuesNothing(LocalAws aws) {
        CreateQueueResponse queue = aws.sqs().createQueue(b -> b.queueName("order-events-" + System.nanoTime()));
        var events = new SqsOrderEvents(aws.sqs(), queue.queueUrl());

        events.prime();
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, "cs_test_shipped"));
        events.publish(new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, "cs_test_refunded", "re_123"));

        assertEquals(List.of(new OrderMessage(OrderMessage.Type.ORDER_SHIPPED, "cs_test_shipped").toJson(),
                new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, "cs_test_refunded", "re_123").toJson()),
                bodies(aws, queue.queueUrl()));
    }

    private static List<String> bodies(LocalAws aws, String queueUrl) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            messages.forEach(m -> bodies.add(m.body()));
        }
    }
}
