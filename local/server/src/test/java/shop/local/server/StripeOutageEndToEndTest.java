package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StripeStandIn;
import shop.local.stack.StripeStandIn.Outage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stripe failing while a customer checks out or while its webhook is processed, with the real
 * stripe-java client of the functions against the Stripe stand-in (500s, connections reset) or
 * against a port nobody listens on (connection refused).
 */
@ExtendWith(LocalAwsExtension.class)
class StripeOutageEndToEndTest {
    private static LocalAws aws;
    private static LocalFunctions functions;
    private static LocalApiServer server;
    private static LocalApiServer unreachable;
    private static ShopClient shop;

    @BeforeAll
    static void start(LocalAws localAws) throws Exception {
        aws = localAws;
        functions = new LocalFunctions(aws, aws.template(), Map.of());
        server = LocalApiServer.start(functions, 0);
        shop = new ShopClient(aws, server.baseUri());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        unreachable = LocalApiServer.start(new LocalFunctions(aws, aws.template(), Map.of(),
                Map.of("STRIPE_API_BASE", "http://127.0.0.1:" + closedPort)), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        unreachable.close();
    }

    @AfterEach
    void stripeIsBack() {
        aws.stripe().outage(Outage.NONE);
    }

    /**
     * A hanging Stripe is the slow case: the function must give up and release the hold before
     * Lambda stops it at its Timeout, or the piece would stay held with nothing to release it.
     */
    @ParameterizedTest
    @EnumSource(value = Outage.class, names = {"SERVER_ERRORS", "CONNECTION_RESETS", "HANGING"})
    void aCheckoutWhileStripeFailsIs502AndThePieceCanBeBoughtOnceStripeIsBack(Outage outage) throws Exception {
        String sku = shop.piece(1);
        aws.stripe().outage(outage);

        long started = System.nanoTime();
        HttpResponse<String> answer = shop.checkout(sku, 1, ShopClient.email());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertStripeFailureReleasedThePiece(answer, sku);
        int timeout = aws.template().function("CheckoutFunction").timeoutSeconds();
        assertTrue(took.compareTo(Duration.ofSeconds(timeout)) < 0, "took " + took + ", Lambda stops it after " + timeout + " s");

        aws.stripe().outage(Outage.NONE);
        assertEquals(201, shop.checkout(sku, 1, ShopClient.email()).statusCode(), "the piece was not lost");
    }

    @Test
    void aCheckoutWhenStripeCannotBeReachedIs502AndThePieceStaysForSale() throws Exception {
        String sku = shop.piece(1);

        assertStripeFailureReleasedThePiece(new ShopClient(aws, unreachable.baseUri()).checkout(sku, 1, ShopClient.email()),
                sku);

        assertEquals(201, shop.checkout(sku, 1, ShopClient.email()).statusCode(), "the piece was not lost");
    }

    @Test
    void aWebhookWhileStripeIsDownIs5xxAndStripesRetryCompletesTheOrderOnce() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = shop.startCheckout(sku, email);
        StripeStandIn.SignedEvent completed = aws.stripe().pay(id, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(email));
        long ordersBefore = shop.ordersToday();

        for (Outage outage : new Outage[] {Outage.SERVER_ERRORS, Outage.CONNECTION_RESETS}) {
            aws.stripe().outage(outage);
            HttpResponse<String> failed = shop.webhook(completed);
            assertEquals(502, failed.statusCode(), failed.body());
            assertEquals("application/problem+json", failed.headers().firstValue("content-type").orElseThrow());
        }
        assertTrue(shop.orders().find(id).isEmpty(), "nothing recorded while the session could not be fetched");
        assertTrue(ordersTableLacks("EVENT#" + completed.id()), "the event is not marked processed, so the retry counts");
        assertEquals("sold_out", shop.availability(sku), "still held for the paying customer");

        aws.stripe().outage(Outage.NONE);
        HttpResponse<String> retried = shop.webhook(completed);
        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("processed", ShopClient.json(retried).get("outcome").asText());
        assertEquals("duplicate", ShopClient.json(shop.webhook(completed)).get("outcome").asText(),
                "a further retry changes nothing");

        Order order = shop.order(id);
        assertEquals(OrderStatus.PAID, order.status());
        assertTrue(order.isDone(OrderStep.PAID_EFFECTS));
        assertEquals(0, shop.products().find(sku).orElseThrow().stock());
        assertEquals(ordersBefore + 1, shop.ordersToday());
        assertEquals(1, queuedMessagesFor(id), "one order message");
        try (SqsPoller poller = SqsPoller.start(functions)) {
            ShopClient.await("the customer's mail", () -> shop.mailsTo(email, null).size() >= 1);
            ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, order.number()).size() >= 1);
            shop.awaitQueueDrained();
        }
        assertEquals(1, shop.mailsTo(email, null).size());
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, order.number()).size());
    }

    private static void assertStripeFailureReleasedThePiece(HttpResponse<String> response, String sku) throws Exception {
        assertEquals(502, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElseThrow());
        JsonNode problem = ShopClient.json(response);
        assertEquals(502, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("payment provider"), problem.toString());
        assertEquals(1, shop.products().find(sku).orElseThrow().stock(), "the hold was given back");
        assertEquals("in_stock", shop.availability(sku));
    }

    /** The notification queue's messages about this order, looked at without taking them (no poller runs yet). */
    private static long queuedMessagesFor(String orderId) {
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        return aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).visibilityTimeout(0)
                        .waitTimeSeconds(1)).messages().stream()
                .filter(message -> message.body().contains(orderId)).count();
    }

    private static boolean ordersTableLacks(String pk) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item().isEmpty();
    }
}
