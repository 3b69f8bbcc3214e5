package shop.adminrefunds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.Refund;
import shop.commerce.orders.SqsOrderEvents;
import shop.commerce.testing.ItemReads;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminCaller;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * How often one refund reads its order: once, before Stripe is asked; every later step takes what
 * it needs from that read or from the conditional writes' own answers. The function's real
 * wiring and adapters against the local stand-ins, its DynamoDB client carrying an SDK execution
 * interceptor ({@link ItemReads}) that notes every GetItem, Query, Scan and batch read it sends.
 */
@ExtendWith(LocalAwsExtension.class)
class RefundReadsTest {
    private static final String SAMPLE_ORDER = "cs_test_b1SampleSessionFromTheEventsFolder0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ItemReads READS = new ItemReads();
    private static LocalAws aws;
    private static String ordersTable;
    private static DynamoDbClient counted;
    private static AdminRefundsHandler handler;
    private static StripeClient stripe;
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;
    private static DynamoProductStore products;
    private static DynamoAuditTrail audit;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        ordersTable = aws.physicalName("OrdersTable");
        Env env = Env.of(aws.functionEnvironment("AdminRefundsFunction", Map.of()));
        AwsClients clients = new AwsClients(env);
        counted = clients.build(DynamoDbClient.builder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(READS)), "DYNAMODB");
        handler = new AdminRefundsHandler(AdminRefundsDependencies.wired(env, clients, counted));
        stripe = StripeClient.builder().setApiKey(env.require("STRIPE_SECRET_KEY"))
                .setApiBase(env.require("STRIPE_API_BASE")).build();
        Clock clock = Clock.systemUTC();
        // The test's own looks at the tables go through an uncounted client.
        orders = new DynamoOrderStore(aws.dynamo(), ordersTable, clock, Samples.HASHER);
        accounts = new DynamoOrderAccounts(aws.dynamo(), ordersTable, clock);
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        audit = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), clock);
    }

    @BeforeEach
    void forget() {
        READS.clear();
    }

    @Test
    void aRefundWithRestockReadsItsOrderOnceAndAnswersWhatIsStored() throws Exception {
        String order = paidOrder();
        READS.clear();

        var response = handler.handleRequest(refund(order, "{\"amount\":9850,\"reason\":\"requested_by_customer\","
                + "\"note\":\"Clasp bent\",\"restock\":true}", "form-" + order.substring(10)), null);

        assertEquals(201, response.getStatusCode(), response.getBody());
        assertEquals(List.of(new ItemReads.Read("GetItem", ordersTable, "ORDER#" + order)), READS.of(ordersTable));
        // What the answer says is what is stored, though nothing was read after the writes.
        JsonNode body = JSON.readTree(response.getBody());
        OrderAccount stored = accounts.find(order).orElseThrow();
        assertEquals(stored.order().amountRefunded(), body.path("amountRefunded").asLong());
        assertEquals(9850, body.path("amountRefunded").asLong());
        assertEquals(stored.order().status().name(), body.path("status").asText());
        assertEquals(stored.restockedAt().toString(), body.path("restockedAt").asText());
        assertEquals(1, body.path("refunds").size());
        assertEquals(stored.refunds().get(0).stripeRefundId(), body.path("refund").path("stripeRefundId").asText());
        assertEquals("Clasp bent", body.path("refunds").get(0).path("note").asText());
        assertTrue(body.path("created").asBoolean());
        assertTrue(body.path("restocked").asBoolean());
        assertTrue(stored.mailQueued(stored.refunds().get(0).stripeRefundId()));
        String sku = stored.order().items().get(0).sku();
        assertEquals(1, products.find(sku).orElseThrow().stock(), "the piece back on sale once");
        var trail = audit.of("ORDER#" + order);
        assertEquals(List.of("order.refunded", "order.restocked"), trail.stream().map(a -> a.action()).toList());
        assertTrue(trail.get(0).before().contains("\"amountRefunded\":0"), trail.get(0).before());
        assertTrue(trail.get(0).after().contains("\"amountRefunded\":9850"), trail.get(0).after());
    }

    @Test
    void theSameFormAgainReadsItsOrderOnceAndAnswersTheSameRefund() throws Exception {
        String order = paidOrder();
        String form = "form-" + order.substring(10);
        String body = "{\"reason\":\"requested_by_customer\",\"restock\":false}";
        var first = handler.handleRequest(refund(order, body, form), null);
        READS.clear();

        var again = handler.handleRequest(refund(order, body, form), null);

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(1, READS.of(ordersTable).size(), READS.of(ordersTable).toString());
        JsonNode before = JSON.readTree(first.getBody());
        JsonNode after = JSON.readTree(again.getBody());
        assertEquals(before.path("refund"), after.path("refund"));
        assertEquals("REFUNDED", before.path("status").asText(), "all that was left");
        assertEquals(before.path("refunds"), after.path("refunds"));
        assertEquals(1, aws.stripe().refunds(order).size());
    }

    @Test
    void aSecondRefundReadsItsOrderOnceAndTakesOnlyWhatIsLeft() throws Exception {
        String order = paidOrder();
        handler.handleRequest(refund(order, "{\"amount\":19000,\"reason\":\"duplicate\",\"restock\":false}",
                "form-a-" + order.substring(10)), null);
        READS.clear();

        var tooMuch = handler.handleRequest(refund(order, "{\"amount\":701,\"reason\":\"duplicate\",\"restock\":false}",
                "form-b-" + order.substring(10)), null);
        var rest = handler.handleRequest(refund(order, "{\"reason\":\"duplicate\",\"restock\":false}",
                "form-c-" + order.substring(10)), null);

        assertEquals(409, tooMuch.getStatusCode(), tooMuch.getBody());
        assertEquals(201, rest.getStatusCode(), rest.getBody());
        assertEquals(2, READS.of(ordersTable).size(), "one read per request: " + READS.of(ordersTable));
        JsonNode body = JSON.readTree(rest.getBody());
        assertEquals(700, body.path("refund").path("amount").asLong());
        assertEquals(19700, body.path("amountRefunded").asLong());
        assertEquals("REFUNDED", body.path("status").asText());
        assertEquals(2, body.path("refunds").size());
    }

    @Test
    void restockReadsItsOrderOnce() throws Exception {
        String order = paidOrder();
        handler.handleRequest(refund(order, "{\"amount\":100,\"reason\":\"duplicate\",\"restock\":false}",
                "form-" + order.substring(10)), null);
        READS.clear();

        var response = handler.handleRequest(restock(order), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(1, READS.of(ordersTable).size(), READS.of(ordersTable).toString());
        assertEquals(accounts.find(order).orElseThrow().restockedAt().toString(),
                JSON.readTree(response.getBody()).path("restockedAt").asText());
    }

    @Test
    void aStaffRefundIs403BeforeAnyRead() throws Exception {
        String order = paidOrder();
        READS.clear();
        APIGatewayV2HTTPEvent event = SampleEvents.api("admin-refunds/refund-by-staff.json");
        event.setPathParameters(Map.of("id", order));

        assertEquals(403, handler.handleRequest(event, null).getStatusCode());
        assertEquals(List.of(), READS.of(ordersTable));
    }

    /**
     * Stripe's charge.refunded echo records the refund while Stripe is still answering the owner's
     * request: the back office's conditional write finds it there and claims that entry with the
     * owner's name and note, still from the one read (the write's refusal carries the order as it
     * stands).
     */
    @Test
    void aRefundWhoseEchoLandsDuringTheStripeCallIsClaimedFromTheOneRead() throws Exception {
        String order = paidOrder();
        Clock clock = Clock.systemUTC();
        Env env = Env.of(aws.functionEnvironment("AdminRefundsFunction", Map.of()));
        var stripeRefunds = new StripeRefunds(() -> stripe);
        PaymentRefunds echoing = (pi, amount, reason, orderId, key) -> {
            var made = stripeRefunds.create(pi, amount, reason, orderId, key);
            echo(orderId, new Refund(made.id(), made.amount(), made.currency(), reason, null, clock.instant(),
                    Refund.BY_BACK_OFFICE, false, key));
            return made;
        };
        var service = new RefundsService(new DynamoOrderAccounts(counted, ordersTable, aws.physicalName("ProductsTable"),
                audit, clock), echoing, new SqsOrderEvents(aws.sqs(), env.require("ORDER_QUEUE_URL")), clock);
        READS.clear();

        var outcome = service.refund(new AdminCaller("sub-owner", "olga", Set.of(AdminCaller.OWNERS)), order,
                new RefundRequest(5000L, "duplicate", "Charged twice", false), "form-" + order.substring(10));

        assertEquals(1, READS.of(ordersTable).size(), READS.of(ordersTable).toString());
        assertTrue(outcome.created());
        OrderAccount stored = accounts.find(order).orElseThrow();
        assertEquals(1, stored.refunds().size());
        assertEquals("olga", stored.refunds().get(0).by());
        assertEquals("Charged twice", stored.refunds().get(0).note());
        assertEquals(5000, stored.order().amountRefunded(), "counted once");
        assertEquals(stored.refunds(), outcome.account().refunds());
        assertEquals(5000, outcome.account().order().amountRefunded());
        assertFalse(outcome.restocked());
        assertEquals(1, audit.of("ORDER#" + order).size());
    }

    /** What the webhook does with Stripe's echo, on the test's own (uncounted) client. */
    private static void echo(String orderId, Refund refund) {
        assertTrue(accounts.addRefund(accounts.find(orderId).orElseThrow(), refund).made());
    }

    private static String paidOrder() throws Exception {
        return PaidOrders.paidOrder(aws, stripe, products, orders, "RR");
    }

    /** The owner's refund form for {@code order}, as the sample event sends it, with this body and Idempotency-Key. */
    private static APIGatewayV2HTTPEvent refund(String order, String body, String idempotencyKey) {
        APIGatewayV2HTTPEvent event = SampleEvents.api("admin-refunds/refund-half.json");
        event.setRawPath(event.getRawPath().replace(SAMPLE_ORDER, order));
        event.setPathParameters(Map.of("id", order));
        event.setBody(body);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", idempotencyKey);
        event.setHeaders(headers);
        return event;
    }

    private static APIGatewayV2HTTPEvent restock(String order) {
        APIGatewayV2HTTPEvent event = SampleEvents.api("admin-refunds/restock.json");
        event.setRawPath(event.getRawPath().replace(SAMPLE_ORDER, order));
        event.setPathParameters(Map.of("id", order));
        return event;
    }
}
