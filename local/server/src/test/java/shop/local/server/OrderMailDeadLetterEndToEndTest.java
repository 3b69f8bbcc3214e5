package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Service;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SES throttling, then failing, then down: the order mail's message is retried by SQS and,
 * after the 5 receives template.yaml allows, waits in the dead-letter queue; redriven once SES
 * works, each mail goes out once. SES is reached through a {@link FaultProxy} that answers as
 * SES does (429 TooManyRequestsException, 503) or drops the connection. The queue's 180-second
 * visibility timeout is lowered for the test so that five receives take seconds, not fifteen
 * minutes; everything else is the local stack as it runs.
 */
@ExtendWith(LocalAwsExtension.class)
class OrderMailDeadLetterEndToEndTest {

    @Test
    void sesThrottledThenFailingThenDownRetriesFiveTimesThenTheDeadLetterQueueKeepsTheMessageAndARedriveSendsOnce(
            LocalAws aws) throws Exception {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        String deadLetters = aws.queueUrl(aws.template(), "OrderNotificationDeadLetterQueue");
        String email = ShopClient.email();
        String id;
        try (FaultProxy ses = FaultProxy.start(aws.endpoint(Service.SESV2))) {
            LocalFunctions functions = new LocalFunctions(aws, aws.template(), Map.of(),
                    Map.of("AWS_ENDPOINT_URL_SESV2", ses.uri().toString()));
            // Each receive tries SendEmail 3 times (the SDK's standard retry mode): two receives throttled,
            // two failing, then no answer.
            var throttled = ses.inject(FaultProxy.sesSendEmail(), Fault.SES_THROTTLING, 6);
            var failing = ses.inject(FaultProxy.sesSendEmail(), Fault.SERVICE_UNAVAILABLE, 6);
            var down = ses.injectAlways(FaultProxy.sesSendEmail(), Fault.CONNECTION_DROPPED);
            try (var fast = DeadLetters.visibilityTimeout(aws, queue, "1");
                    LocalApiServer server = LocalApiServer.start(functions, 0); SqsPoller pollers = SqsPoller.start(functions)) {
                ShopClient shop = new ShopClient(aws, server.baseUri());
                id = shop.startCheckout(shop.piece(1), email);
                assertEquals(303, shop.payByCard(id).statusCode());
                assertEquals(OrderStatus.PAID, shop.order(id).status());

                ShopClient.await("the message in the dead-letter queue", () -> DeadLetters.visible(aws, deadLetters) == 1);
            }
            assertEquals(6, throttled.answered());
            assertEquals(6, failing.answered());
            assertTrue(down.answered() >= 3, "the fifth receive found SES down");
            assertTrue(ses.calls().stream().allMatch(FaultProxy.Call::faulted), "no mail reached SES");
            assertTrue(aws.mailbox().to(email).isEmpty(), "nothing went out");
            List<Message> dead = aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters).maxNumberOfMessages(10)).messages();
            assertEquals(1, dead.size());
            assertEquals(new OrderMessage(OrderMessage.Type.ORDER_PAID, id), OrderMessage.parse(dead.get(0).body()));

            // SES is back and the owner redrives the dead-letter queue (twice, by mistake): nothing
            // was lost, and each mail reaches SES once.
            ses.reset();
            try (SqsPoller pollers = SqsPoller.start(functions)) {
                DeadLetters.redriveTwice(aws, queue, deadLetters, dead.get(0));
                ShopClient shop = new ShopClient(aws, null);
                Order order = shop.order(id);
                ShopClient.await("the customer's mail", () -> aws.mailbox().to(email).size() == 1);
                ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, order.number()).size() == 1);
                shop.awaitQueueDrained();
                assertEquals(1, aws.mailbox().to(email).size());
                assertEquals(1, shop.mailsTo(ShopClient.OWNER, order.number()).size());
                assertEquals(2, ses.calls(FaultProxy.sesSendEmail()).size());
            }
        }
    }
}
