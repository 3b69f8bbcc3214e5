package shop.adminrefunds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StripeStandIn;

/**
 * The handler with its real adapters against the local stand-ins (DynamoDB, SQS, and stripe-java
 * against the Stripe stand-in), fed the sample events of {@code events/admin-refunds/}, whose
 * order id becomes an order paid through the stand-in.
 */
@ExtendWith(LocalAwsExtension.class)
class AdminRefundsHandlerTest {
    private static final String SAMPLE_ORDER = "cs_test_b1SampleSessionFromTheEventsFolder0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalAws aws;
    private static AdminRefundsHandler handler;
    private static StripeClient stripe;
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;
    private static DynamoProductStore products;
    private static DynamoAuditTrail audit;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        Map<String, String> environment = aws.functionEnvironment("AdminRefundsFunction", Map.of());
        handler = new AdminRefundsHandler(environment);
        stripe = StripeClient.builder().setApiKey(environment.get("STRIPE_SECRET_KEY"))
                .setApiBase(environment.get("STRIPE_API_BASE")).build();
        Clock clock = Clock.systemUTC();
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), clock, Samples.HASHER);
        accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), clock);
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), clock);
        audit = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), clock);
    }

    @Test
    void snapStartPrimingRefundsNothing() {
        int before = aws.stripe().refundCount();
        handler.prime();
        assertEquals(before, aws.stripe().refundCount());
    }

    @Test
    void theOwnersHalfRefundIsMadeAtStripeRecordedAndAuditedAndTheSameFormAgainAnswersTheSameRefund() throws Exception {
        String order = paidOrder();
        APIGatewayV2HTTPEvent event = sample("refund-half.json", order);

        var first = handler.handleRequest(event, null);
        var again = handler.handleRequest(sample("refund-half.json", order), null);

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(200, again.getStatusCode(), again.getBody());
        JsonNode body = JSON.readTree(first.getBody());
        assertEquals(9850, body.path("refund").path("amount").asLong());
        assertEquals("requested_by_customer", body.path("refund").path("reason").asText());
        assertEquals(9850, body.path("amountRefunded").asLong());
        assertEquals("PAID", body.path("status").asText());
        assertEquals(body.path("refund"), JSON.readTree(again.getBody()).path("refund"));
        List<StripeStandIn.RefundView> atStripe = aws.stripe().refunds(order);
        assertEquals(1, atStripe.size());
        assertEquals(9850, atStripe.get(0).amount());
        assertEquals(order, atStripe.get(0).metadata().get("orderId"));
        assertEquals(null, atStripe.get(0).metadata().get("note"), "the note stays with us");
        var account = accounts.find(order).orElseThrow();
        assertEquals(1, account.refunds().size());
        assertEquals("Clasp arrived bent; customer keeps the ring", account.refunds().get(0).note());
        assertEquals("owner@localhost.test", account.refunds().get(0).by());
        assertTrue(account.mailQueued(atStripe.get(0).id()));
        var trail = audit.of("ORDER#" + order);
        assertEquals(1, trail.size());
        assertEquals("order.refunded", trail.get(0).action());
        assertEquals("0a1b2c3d-owner-sample", trail.get(0).actor());
    }

    @Test
    void aStaffTokenIs403AndNothingIsWrittenOrAskedOfStripe() throws Exception {
        String order = paidOrder();
        int before = aws.stripe().refundCount();

        var response = handler.handleRequest(sample("refund-by-staff.json", order), null);

        assertEquals(403, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        assertEquals(before, aws.stripe().refundCount());
        assertEquals(0, orders.find(order).orElseThrow().amountRefunded());
        assertTrue(audit.of("ORDER#" + order).isEmpty());
    }

    @Test
    void badAmountsAndUnknownOrdersAre4xxWithoutAStripeCall() throws Exception {
        String order = paidOrder();
        int before = aws.stripe().refundCount();
        Map<String, Integer> bodies = Map.of(
                "{\"amount\":0,\"reason\":\"duplicate\",\"restock\":false}", 400,
                "{\"amount\":-1,\"reason\":\"duplicate\",\"restock\":false}", 400,
                "{\"amount\":12.5,\"reason\":\"duplicate\",\"restock\":false}", 400,
                "{\"amount\":\"100\",\"reason\":\"duplicate\",\"restock\":false}", 400,
                "{\"amount\":19701,\"reason\":\"duplicate\",\"restock\":false}", 409,
                "{\"amount\":100,\"reason\":\"changed_my_mind\",\"restock\":false}", 400,
                "{\"amount\":100,\"reason\":\"duplicate\"}", 400);
        for (var body : bodies.entrySet()) {
            APIGatewayV2HTTPEvent event = sample("refund-half.json", order);
            event.setBody(body.getKey());
            assertEquals(body.getValue(), handler.handleRequest(event, null).getStatusCode(), body.getKey());
        }
        APIGatewayV2HTTPEvent unknown = sample("refund-half.json", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
        assertEquals(404, handler.handleRequest(unknown, null).getStatusCode());
        APIGatewayV2HTTPEvent noKey = sample("refund-half.json", order);
        noKey.getHeaders().remove("idempotency-key");
        assertEquals(400, handler.handleRequest(noKey, null).getStatusCode());
        assertEquals(before, aws.stripe().refundCount());
        assertEquals(0, orders.find(order).orElseThrow().amountRefunded());
    }

    @Test
    void restockPutsTheRefundedOrdersPiecesBackOnSaleOnce() throws Exception {
        String order = paidOrder();
        assertEquals(409, handler.handleRequest(sample("restock.json", order), null).getStatusCode(), "not refunded");
        assertEquals(201, handler.handleRequest(sample("refund-half.json", order), null).getStatusCode());

        assertEquals(200, handler.handleRequest(sample("restock.json", order), null).getStatusCode());
        assertEquals(409, handler.handleRequest(sample("restock.json", order), null).getStatusCode());

        String sku = orders.find(order).orElseThrow().items().get(0).sku();
        assertEquals(1, products.find(sku).orElseThrow().stock());
    }

    /** Bodies a page would never send: 400 before anything is read, nothing written, nothing back on sale. */
    @Test
    void badChoicesOfPiecesAre400AndPutNothingBackOnSale() throws Exception {
        String order = paidOrder();
        assertEquals(201, handler.handleRequest(sample("refund-half.json", order), null).getStatusCode());
        String sku = orders.find(order).orElseThrow().items().get(0).sku();
        List<String> restockBodies = List.of(
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}",
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":0}],\"restockedPieces\":{}}",
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":2}],\"restockedPieces\":{}}",
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":\"1\"}],\"restockedPieces\":{}}",
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1},{\"sku\":\"" + sku + "\",\"quantity\":1}],"
                        + "\"restockedPieces\":{}}",
                "{\"lines\":[{\"sku\":\"NOT-ON-THIS-ORDER\",\"quantity\":1}],\"restockedPieces\":{}}",
                "{\"lines\":[],\"restockedPieces\":{}}",
                "{\"lines\":{\"sku\":\"" + sku + "\"},\"restockedPieces\":{}}",
                "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}],\"restockedPieces\":{\"" + sku + "\":-1}}",
                "{\"restockedPieces\":{}}",
                "[1]");
        for (String body : restockBodies) {
            APIGatewayV2HTTPEvent event = sample("restock.json", order);
            event.setBody(body);
            var response = handler.handleRequest(event, null);
            assertEquals(400, response.getStatusCode(), body + " → " + response.getBody());
        }
        for (String restock : List.of("\"yes\"", "null", "[]", "{\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")) {
            APIGatewayV2HTTPEvent event = sample("refund-half.json", order);
            event.getHeaders().put("idempotency-key", "another-form-" + order.substring(order.length() - 12));
            event.setBody("{\"amount\":100,\"reason\":\"duplicate\",\"restock\":" + restock + "}");
            assertEquals(400, handler.handleRequest(event, null).getStatusCode(), restock);
        }
        assertEquals(0, products.find(sku).orElseThrow().stock());
        assertEquals(9850, orders.find(order).orElseThrow().amountRefunded());
        assertEquals(List.of("order.refunded"), audit.of("ORDER#" + order).stream().map(a -> a.action()).toList());
    }

    private static String paidOrder() throws Exception {
        return PaidOrders.paidOrder(aws, stripe, products, orders, "AR");
    }

    /** A sample event for {@code order}, with a fresh Idempotency-Key (a new refund form). */
    private static APIGatewayV2HTTPEvent sample(String file, String order) {
        APIGatewayV2HTTPEvent event = SampleEvents.api("admin-refunds/" + file);
        event.setRawPath(event.getRawPath().replace(SAMPLE_ORDER, order));
        event.setPathParameters(Map.of("id", order));
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (headers.containsKey("idempotency-key")) {
            headers.put("idempotency-key", "form-" + order.substring(order.length() - 20));
        }
        event.setHeaders(headers);
        return event;
    }
}
