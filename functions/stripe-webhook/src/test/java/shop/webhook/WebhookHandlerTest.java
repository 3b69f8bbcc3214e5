package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.StripeClient;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;
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
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderMessage;
import shop.commerce.orders.OrderStatus;
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
    private static final String SAMPLE_SESSION = "cs_test_b1SampleSessionFromTheEventsFolder0001";
    private static LocalAws aws;
    private static WebhookHandler handler;
    private static DynamoProductStore products;
    private static StockReservations stock;
    private static DynamoOrderStore orders;
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
        var session = stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://shop.example.com/ok")
                .setExpiresAt(Instant.now().plusSeconds(31 * 60).getEpochSecond())
                .putMetadata("reservation_id", reservation.id())
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllowedCountry(SessionCreateParams.ShippingAddressCollection.AllowedCountry.US).build())
                .addShippingOption(SessionCreateParams.ShippingOption.builder().setShippingRateData(
                        SessionCreateParams.ShippingOption.ShippingRateData.builder()
                                .setType(SessionCreateParams.ShippingOption.ShippingRateData.Type.FIXED_AMOUNT)
                                .setDisplayName("Insured shipping")
                                .setFixedAmount(SessionCreateParams.ShippingOption.ShippingRateData.FixedAmount.builder()
                                        .setAmount(1200L).setCurrency("usd").build()).build()).build())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(18500L)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Piece " + sku).putMetadata("sku", sku).build()).build()).build())
                .build());
        aws.stripe().pay(session.getId(), StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        return session.getId();
    }

    /** A sample event for {@code session}, with a fresh event id, signed now. */
    private static APIGatewayV2HTTPEvent signed(String sample, String session) {
        APIGatewayV2HTTPEvent event = SampleEvents.api("stripe-webhook/" + sample);
        String payload = event.getBody().replace("evt_1Sample", "evt_" + UUID.randomUUID().toString().replace("-", ""));
        if (session != null) {
            payload = payload.replace(SAMPLE_SESSION, session);
        }
        event.setBody(payload);
        event.getHeaders().put("stripe-signature", StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now()));
        return event;
    }

    private static List<OrderMessage> queued() {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        return aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                .stream().map(m -> OrderMessage.parse(m.body())).toList();
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
