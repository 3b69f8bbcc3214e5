package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.StripeClient;
import com.stripe.net.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Refund;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.StockReservations;
import shop.commerce.stats.DynamoOrderCounter;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The handler with its real adapters against the local stand-ins (DynamoDB, SQS, and stripe-java
 * against the Stripe stand-in), fed the sample events of {@code events/stripe-webhook/}: each
 * sample's session id becomes one the stand-in knows, and it is signed now, since a signature
 * older than five minutes is refused.
 */
@ExtendWith(LocalAwsExtension.class)
class WebhookHandlerTest {
    private static final String SAMPLE_SESSION = SignedEvents.SAMPLE_SESSION;
    private static LocalAws aws;
    private static WebhookHandler handler;
    private static DynamoProductStore products;
    private static StockReservations stock;
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;
    private static StripeClient stripe;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        Map<String, String> environment = aws.functionEnvironment("StripeWebhookFunction", Map.of());
        handler = new WebhookHandler(environment);
        Clock clock = Clock.systemUTC();
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        stock = new StockReservations(new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), clock), clock);
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), clock);
        accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), clock);
        stripe = StripeClient.builder().setApiKey(environment.get("STRIPE_SECRET_KEY"))
                .setApiBase(environment.get("STRIPE_API_BASE")).build();
    }

    @Test
    void snapStartPrimingRecordsNothing() {
        int items = aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).count().intValue();

        handler.prime();

        // An order is queued only once it is recorded, so nothing is queued either.
        assertEquals(items, aws.dynamo().scan(b -> b.tableName(aws.physicalName("OrdersTable"))).count().intValue());
    }

    @Test
    void aCompletedCheckoutRecordsThePaidOrderFromStripesRecordAndQueuesOrderPaid() throws Exception {
        String sku = unique();
        String session = paidSession(sku);
        long ordersToday = new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable")).orders(LocalDate.now(ZoneOffset.UTC));

        var response = handler.handleRequest(signed("checkout-session-completed.json", session), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("{\"received\":true,\"outcome\":\"processed\"}".length(), response.getBody().length());
        Order order = orders.find(session).orElseThrow();
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals("Ada Lovelace", order.customerName());
        assertEquals("ada@example.com", order.customerEmail());
        assertEquals("12 Harbor Road", order.shipping().line1());
        assertEquals("04101", order.billing().postalCode());
        assertEquals(sku, order.items().get(0).sku(), "the SKU from the product Stripe holds, not from the event");
        assertEquals(18500 + 1200, order.totals().total().amount());
        assertEquals(1200, order.totals().shipping().amount());
        assertEquals(0, products.find(sku).orElseThrow().stock());
        assertEquals(ordersToday + 1, new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable")).orders(LocalDate.now(ZoneOffset.UTC)));
        assertTrue(queued().contains(new OrderMessage(OrderMessage.Type.ORDER_PAID, session)));
    }

    @Test
    void aHundredConcurrentDeliveriesOfOneEventMakeOneOrderAndCountItOnce() throws Exception {
        String session = paidSession(unique());
        APIGatewayV2HTTPEvent event = signed("checkout-session-completed.json", session);
        var counter = new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable"));
        long ordersToday = counter.orders(LocalDate.now(ZoneOffset.UTC));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<Integer>> deliveries = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                deliveries.add(pool.submit(() -> handler.handleRequest(event, null).getStatusCode()));
            }
            for (var delivery : deliveries) {
                assertEquals(200, delivery.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long orderItems = aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("OrdersTable")).build())
                .items().stream().filter(item -> item.get("pk").s().equals("ORDER#" + session)).count();
        assertEquals(1, orderItems);
        assertEquals(OrderStatus.PAID, orders.find(session).orElseThrow().status());
        assertEquals(ordersToday + 1, counter.orders(LocalDate.now(ZoneOffset.UTC)));
    }

    @Test
    void aBase64BodyIsDecodedBeforeTheSignatureIsChecked() throws Exception {
        String session = paidSession(unique());
        APIGatewayV2HTTPEvent event = SampleEvents.api("stripe-webhook/checkout-session-completed-base64.json");
        String payload = new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                .replace(SAMPLE_SESSION, session).replace("evt_1Sample", "evt_" + UUID.randomUUID().toString().replace("-", ""));
        event.setBody(Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)));
        event.getHeaders().put("stripe-signature", StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now()));

        assertEquals(200, handler.handleRequest(event, null).getStatusCode());
        assertEquals(OrderStatus.PAID, orders.find(session).orElseThrow().status());
    }

    @Test
    void aTamperedPayloadAWrongSecretOrAnOldSignatureIs400AndNothingIsStored() throws Exception {
        String session = paidSession(unique());
        long before = ordersTableItems();
        APIGatewayV2HTTPEvent good = signed("checkout-session-completed.json", session);
        String payload = good.getBody();

        var tampered = signed("checkout-session-completed.json", session);
        tampered.setBody(payload.replace("\"livemode\": false", "\"livemode\": true"));
        var wrongSecret = signed("checkout-session-completed.json", session);
        wrongSecret.getHeaders().put("stripe-signature", StripeStandIn.signature(payload, "whsec_not_ours", now()));
        var old = signed("checkout-session-completed.json", session);
        old.getHeaders().put("stripe-signature", StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now() - 301));
        var unsigned = signed("checkout-session-completed.json", session);
        unsigned.getHeaders().remove("stripe-signature");

        for (var event : List.of(tampered, wrongSecret, old, unsigned)) {
            var response = handler.handleRequest(event, null);
            assertEquals(400, response.getStatusCode(), response.getBody());
            assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        }
        assertEquals(before, ordersTableItems());
        assertTrue(orders.find(session).isEmpty(), "no order for a refused delivery");
    }

    @Test
    void aDashboardRefundFromTheSampleEventIsRecordedByItsRefundIdOnceAndQueuesOneRefundMail() throws Exception {
        String session = paidSession(unique());
        assertEquals(200, handler.handleRequest(signed("checkout-session-completed.json", session), null).getStatusCode());
        String charge = StripeStandIn.objectId(aws.stripe().dashboardRefund(session, 5000L));
        String refundId = aws.stripe().refunds(session).get(0).id();

        for (int i = 0; i < 2; i++) {
            var response = handler.handleRequest(signed("charge-refunded.json", null,
                    Map.of("ch_3SampleCharge0001", charge)), null);
            assertEquals(200, response.getStatusCode(), response.getBody());
        }

        var account = accounts.find(session).orElseThrow();
        assertEquals(5000, account.order().amountRefunded());
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(1, account.refunds().size());
        assertEquals(Refund.BY_DASHBOARD, account.refund(refundId).orElseThrow().by());
        assertEquals(1, drained().stream().filter(m -> m.equals(
                new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, session, refundId))).count());
    }

    @Test
    void aRefundStripeFailedLaterFromTheSampleEventIsCountedBackFlaggedAndMailsTheOwnerOnce() throws Exception {
        String session = paidSession(unique());
        assertEquals(200, handler.handleRequest(signed("checkout-session-completed.json", session), null).getStatusCode());
        String charge = StripeStandIn.objectId(aws.stripe().dashboardRefund(session, null));
        String refundId = aws.stripe().refunds(session).get(0).id();
        Map<String, String> ids = Map.of("ch_3SampleCharge0001", charge, "re_3SampleRefund0001", refundId);
        assertEquals(200, handler.handleRequest(signed("charge-refunded.json", null, ids), null).getStatusCode());
        assertEquals(OrderStatus.REFUNDED, accounts.find(session).orElseThrow().order().status());

        aws.stripe().failRefund(refundId, "expired_or_canceled_card");
        for (int i = 0; i < 2; i++) {
            var response = handler.handleRequest(signed("charge-refund-updated-failed.json", null, ids), null);
            assertEquals(200, response.getStatusCode(), response.getBody());
        }
        // Stripe's charge.refunded again, its list now saying failed: not money returned.
        assertEquals(200, handler.handleRequest(signed("charge-refunded.json", null, ids), null).getStatusCode());

        var account = accounts.find(session).orElseThrow();
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(0, account.order().amountRefunded());
        assertTrue(account.needsAttention());
        Refund failed = account.refund(refundId).orElseThrow();
        assertEquals("failed", failed.failure());
        assertEquals("expired_or_canceled_card", failed.failureReason());
        assertEquals(1, account.refunds().size());
        List<OrderMessage> messages = drained();
        assertEquals(1, messages.stream().filter(m -> m.equals(
                new OrderMessage(OrderMessage.Type.REFUND_FAILED, session, refundId))).count());
        assertEquals(1, messages.stream().filter(m -> m.equals(
                new OrderMessage(OrderMessage.Type.ORDER_REFUNDED, session, refundId))).count());
    }

    @Test
    void aDisputeFromTheSampleEventsFlagsTheOrderOnceAndItsClosingRecordsTheOutcome() throws Exception {
        String session = paidSession(unique());
        assertEquals(200, handler.handleRequest(signed("checkout-session-completed.json", session), null).getStatusCode());
        String dispute = StripeStandIn.objectId(aws.stripe().dispute(session, "fraudulent"));
        Map<String, String> ids = Map.of("du_1SampleDispute0001", dispute);

        assertEquals(200, handler.handleRequest(signed("charge-dispute-created.json", null, ids), null).getStatusCode());
        assertEquals(200, handler.handleRequest(signed("charge-dispute-created.json", null, ids), null).getStatusCode());
        var account = accounts.find(session).orElseThrow();
        assertTrue(account.needsAttention());
        assertEquals("fraudulent", account.dispute().reason());
        assertEquals(18500 + 1200, account.dispute().amount());
        assertTrue(account.dispute().evidenceDueBy().isAfter(Instant.now().plusSeconds(6 * 24 * 3600)));
        assertEquals(1, drained().stream().filter(m -> m.equals(
                new OrderMessage(OrderMessage.Type.DISPUTE_OPENED, session, dispute))).count());

        aws.stripe().closeDispute(dispute, false);
        assertEquals(200, handler.handleRequest(signed("charge-dispute-closed.json", null, ids), null).getStatusCode());
        assertEquals(200, handler.handleRequest(signed("charge-dispute-created.json", null, ids), null).getStatusCode());
        account = accounts.find(session).orElseThrow();
        assertEquals("lost", account.dispute().outcome());
        assertTrue(account.dispute().closedAt() != null);
        assertTrue(!account.needsAttention());
    }

    @Test
    void anUnknownEventTypeIsAcknowledgedAndIgnored() {
        long before = ordersTableItems();
        var response = handler.handleRequest(signed("unknown-event-type.json", null), null);

        assertEquals(200, response.getStatusCode());
        assertTrue(response.getBody().contains("\"ignored\""), response.getBody());
        assertEquals(before, ordersTableItems());
    }

    @Test
    void theStandInsSignaturesAreTheOnesStripeJavaVerifies() throws Exception {
        String payload = "{\"id\":\"evt_1\",\"object\":\"event\"}";
        long now = now();
        assertTrue(Webhook.Signature.verifyHeader(payload, StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now),
                StripeStandIn.WEBHOOK_SECRET, 300));
        assertEquals(Webhook.Signature.generateSignatureHeader(payload, StripeStandIn.WEBHOOK_SECRET, now),
                StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now));
    }

    /** A product of stock 1, a reservation of it, a Checkout Session for it, paid by card. */
    private String paidSession(String sku) throws Exception {
        products.save(Samples.product(sku, 18500, 1), true);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
        var session = stripe.v1().checkout().sessions().create(PieceSessions.forOnePiece(sku)
                .putMetadata("reservation_id", reservation.id()).build());
        // As checkout notes it: the reservation names its session and what it was priced at.
        stock.attachSession(reservation.id(), session.getId(), new Reservation.Priced(18500, 1200, "usd"));
        aws.stripe().pay(session.getId(), StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        return session.getId();
    }

    /** A sample event for {@code session}, with a fresh event id, signed now. */
    private static APIGatewayV2HTTPEvent signed(String sample, String session) {
        return signed(sample, session, Map.of());
    }

    private static APIGatewayV2HTTPEvent signed(String sample, String session, Map<String, String> ids) {
        return SignedEvents.fromSample(sample, session, ids);
    }

    private static List<OrderMessage> queued() {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        return aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                .stream().map(m -> OrderMessage.parse(m.body())).toList();
    }

    /** Every message on the queue now (other tests' too), received until none is left. */
    private static List<OrderMessage> drained() {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        List<OrderMessage> all = new java.util.ArrayList<>();
        while (true) {
            var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (messages.isEmpty()) {
                return all;
            }
            messages.forEach(m -> all.add(OrderMessage.parse(m.body())));
        }
    }

    private static long ordersTableItems() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("OrdersTable")).build()).count();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String unique() {
        return "WH-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
