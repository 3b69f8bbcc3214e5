package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SES down: the order mail's message is retried by SQS and, after the 5 receives template.yaml
 * allows, waits in the dead-letter queue; redriven once SES works, each mail goes out once.
 * The queue's 180-second visibility timeout is lowered for the test so that five receives take
 * seconds, not fifteen minutes; everything else is the local stack as it runs.
 */
@ExtendWith(LocalAwsExtension.class)
class OrderMailDeadLetterEndToEndTest {

    @Test
    void aFailingSesRetriesFiveTimesThenTheDeadLetterQueueKeepsTheMessageAndARedriveSendsOnce(LocalAws aws) throws Exception {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        String deadLetters = aws.queueUrl(aws.template(), "OrderNotificationDeadLetterQueue");
        String visibility = aws.sqs().getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
        setVisibility(aws, queue, "1");
        String email = ShopClient.email();
        String id;
        try (ServerSocket closed = new ServerSocket(0)) {
            int sesDown = closed.getLocalPort();
            closed.close();
            LocalFunctions broken = new LocalFunctions(aws, aws.template(), Map.of(),
                    Map.of("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + sesDown));
            try (LocalApiServer server = LocalApiServer.start(broken, 0); SqsPoller pollers = SqsPoller.start(broken)) {
                ShopClient shop = new ShopClient(aws, server.baseUri());
                id = shop.startCheckout(shop.piece(1), email);
                assertEquals(303, shop.payByCard(id).statusCode());
                assertEquals(OrderStatus.PAID, shop.order(id).status());

                ShopClient.await("the message in the dead-letter queue", () -> visible(aws, deadLetters) == 1);
            }
        } finally {
            setVisibility(aws, queue, visibility);
        }
        assertTrue(aws.mailbox().to(email).isEmpty(), "SES was down: nothing went out");
        List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)
                .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
        assertEquals(1, dead.size());
        assertEquals(new OrderMessage(OrderMessage.Type.ORDER_PAID, id), OrderMessage.parse(dead.get(0).body()));

        // The owner fixes SES and redrives the dead-letter queue: nothing was lost, nothing goes out twice.
        LocalFunctions working = new LocalFunctions(aws, aws.template(), Map.of());
        try (SqsPoller pollers = SqsPoller.start(working)) {
            for (int i = 0; i < 2; i++) {
                aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(dead.get(0).body()));
            }
            aws.sqs().deleteMessage(b -> b.queueUrl(deadLetters).receiptHandle(dead.get(0).receiptHandle()));
            ShopClient shop = new ShopClient(aws, null);
            Order order = shop.order(id);
            ShopClient.await("the customer's mail", () -> aws.mailbox().to(email).size() == 1);
            ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, order.number()).size() == 1);
            shop.awaitQueueDrained();
            assertEquals(1, aws.mailbox().to(email).size());
            assertEquals(1, shop.mailsTo(ShopClient.OWNER, order.number()).size());
        }
    }

    private static int visible(LocalAws aws, String queueUrl) {
        return Integer.parseInt(aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static void setVisibility(LocalAws aws, String queueUrl, String seconds) {
        aws.sqs().setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, seconds)));
    }
}
