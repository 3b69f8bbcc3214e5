package shop.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The handler with its real adapters against the local stand-ins: DynamoDB for the orders and
 * the mail claims, the SES stand-in for the mail, and the queues of template.yaml with their
 * redrive policy for retries.
 */
@ExtendWith(LocalAwsExtension.class)
class OrderNotificationHandlerTest {
    private static final String SAMPLE_ORDER = "cs_test_b1SampleSessionFromTheEventsFolder0001";
    private static LocalAws aws;
    private static DynamoOrderStore orders;
    private static Map<String, String> environment;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        environment = aws.functionEnvironment("OrderNotificationFunction", Map.of("ShopOwnerAddress", "owner@shop.example.com"));
    }

    @Test
    void snapStartPrimingWritesNothingAndSendsNothing(Mailbox mailbox) {
        int items = aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).count().intValue();
        int mails = mailbox.all().size();

        new OrderNotificationHandler(environment).prime();

        assertEquals(items, aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).count().intValue());
        assertEquals(mails, mailbox.all().size());
    }

    @Test
    void theSampleOrderPaidEventMailsTheCustomerAndTheOwner(Mailbox mailbox) {
        orders.create(Samples.order(SAMPLE_ORDER, OrderStatus.PAID, "sample-buyer@example.com", "Sample Buyer"), far());
        var handler = new OrderNotificationHandler(environment);

        SQSBatchResponse response = handler.handleRequest(SampleEvents.sqs("order-notification/order-paid.json"), null);
        handler.handleRequest(SampleEvents.sqs("order-notification/order-paid.json"), null);

        assertTrue(response.getBatchItemFailures().isEmpty());
        List<SentMail> customer = mailbox.to("sample-buyer@example.com");
        assertEquals(1, customer.size(), "once, however often the message comes");
        assertTrue(customer.get(0).subject().startsWith("Your order "), customer.get(0).subject());
        assertTrue(customer.get(0).text().contains("Aria ring"));
        assertTrue(customer.get(0).html().contains("12 Harbor Road"));
        assertEquals(1, mailbox.all().stream()
                .filter(m -> m.isTo("owner@shop.example.com") && m.text().contains("sample-buyer@example.com")).count());
    }

    @Test
    void concurrentMessagesForOneOrderSendEachMailOnce(Mailbox mailbox) throws Exception {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        String customer = "race-" + id.substring(8, 16) + "@example.com";
        orders.create(Samples.order(id, OrderStatus.PAID, customer, "Race"), far());
        var handler = new OrderNotificationHandler(environment);
        SQSEvent event = SampleEvents.sqs("order-notification/order-paid.json");
        event.getRecords().get(0).setBody(new OrderMessage(OrderMessage.Type.ORDER_PAID, id).toJson());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<SQSBatchResponse>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 30; i++) {
                runs.add(pool.submit(() -> handler.handleRequest(event, null)));
            }
            for (var run : runs) {
                assertTrue(run.get().getBatchItemFailures().isEmpty());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, mailbox.to(customer).size());
        assertEquals(1, mailbox.all().stream().filter(m -> m.isTo("owner@shop.example.com") && m.text().contains(customer)).count());
    }

    @Test
    void aBatchReportsOnlyTheMessageThatFailed() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(id, OrderStatus.PAID, "batch-" + id.substring(8, 16) + "@example.com", "Batch"), far());
        SQSEvent event = SampleEvents.sqs("order-notification/batch-with-malformed-message.json");
        event.getRecords().get(0).setBody(new OrderMessage(OrderMessage.Type.ORDER_PAID, id).toJson());

        SQSBatchResponse response = new OrderNotificationHandler(environment).handleRequest(event, null);

        assertEquals(List.of("2e1f3a4b-0004-4c5d-8e9f-0a1b2c3d4e5f"),
                response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @Test
    void aFailingSesRetriesTheMessageUntilTheDeadLetterQueueAndNothingIsLost(Mailbox mailbox) throws IOException {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        String customer = "dlq-" + id.substring(8, 16) + "@example.com";
        orders.create(Samples.order(id, OrderStatus.PAID, customer, "Grace Hopper"), far());
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        String deadLetters = aws.queueUrl(aws.template(), "OrderNotificationDeadLetterQueue");
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody(new OrderMessage(OrderMessage.Type.ORDER_PAID, id).toJson()));

        Map<String, String> sesDown = new HashMap<>(environment);
        sesDown.put("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + closedPort());
        var failing = new OrderNotificationHandler(sesDown);
        int receives = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            List<Message> messages = receive(queue);
            if (messages.isEmpty()) {
                break;
            }
            receives++;
            var response = failing.handleRequest(event(messages), null);
            assertEquals(1, response.getBatchItemFailures().size());
            // What the visibility timeout does on AWS after a reported failure, without waiting 180 s.
            messages.forEach(m -> aws.sqs().changeMessageVisibility(b -> b.queueUrl(queue)
                    .receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
        }

        assertEquals(5, receives, "maxReceiveCount in template.yaml");
        assertTrue(mailbox.to(customer).isEmpty());
        List<Message> dead = receive(deadLetters);
        assertEquals(1, dead.size());
        assertEquals(new OrderMessage(OrderMessage.Type.ORDER_PAID, id), OrderMessage.parse(dead.get(0).body()));

        // Redriven once SES works again: each mail goes out once.
        var working = new OrderNotificationHandler(environment);
        assertTrue(working.handleRequest(event(dead), null).getBatchItemFailures().isEmpty());
        assertTrue(working.handleRequest(event(dead), null).getBatchItemFailures().isEmpty());
        assertEquals(1, mailbox.to(customer).size());
        assertFalse(mailbox.to(customer).get(0).html().contains("<script"));
    }

    private static List<Message> receive(String queueUrl) {
        return aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    private static SQSEvent event(List<Message> messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(messages.stream().map(m -> {
            var record = new SQSEvent.SQSMessage();
            record.setMessageId(m.messageId());
            record.setReceiptHandle(m.receiptHandle());
            record.setBody(m.body());
            record.setEventSource("aws:sqs");
            return record;
        }).toList());
        return event;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long far() {
        return java.time.Instant.now().plusSeconds(3600).getEpochSecond();
    }
}
