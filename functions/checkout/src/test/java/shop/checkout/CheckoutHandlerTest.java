package shop.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.CatalogFile;
import shop.commerce.catalog.CatalogImport;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.testing.SampleEvents;
import shop.core.json.Json;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The handler with its real adapters (DynamoDB, and stripe-java against the Stripe stand-in),
 * fed the sample events of {@code events/checkout/}.
 */
@ExtendWith(LocalAwsExtension.class)
class CheckoutHandlerTest {
    private static LocalAws aws;
    private static CheckoutHandler handler;
    private static DynamoProductStore products;

    @BeforeAll
    static void start(LocalAws localAws) throws Exception {
        aws = localAws;
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
        CatalogImport.importAll(products, CatalogFile.parse(Files.readString(
                SampleEvents.repositoryRoot().resolve("catalog/sample-catalog.json")), "https://images.example.test"), true);
        handler = new CheckoutHandler(aws.functionEnvironment("CheckoutFunction", Map.of(
                "StorefrontUrl", "https://shop.example.com", "ShippingOptionAmount", "1200")));
    }

    @AfterEach
    void stripeWorks() {
        aws.stripe().failing(false);
    }

    @Test
    void snapStartPrimingHoldsNoStockAndOpensNoSession() throws Exception {
        int checkouts = aws.dynamo().scan(b -> b.tableName(aws.physicalName("CheckoutsTable"))).count().intValue();
        int stock = products.find("RING-ARIA").orElseThrow().stock();

        handler.prime();

        assertEquals(checkouts, aws.dynamo().scan(b -> b.tableName(aws.physicalName("CheckoutsTable"))).count().intValue());
        assertEquals(stock, products.find("RING-ARIA").orElseThrow().stock());
    }

    @Test
    void theOwnersDeployOptionsReachTheStripeSessionOnlyWhenSet() throws Exception {
        String taxed = "TAXED-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String plain = "PLAIN-" + java.util.UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(new shop.commerce.catalog.Product(taxed, "Taxed", "", shop.commerce.Money.of(5000, "USD"), 5,
                java.util.List.of(), true, "txcd_99999999", false), true);
        products.save(new shop.commerce.catalog.Product(plain, "Plain", "", shop.commerce.Money.of(4000, "USD"), 5,
                java.util.List.of(), true), true);
        var withOptions = new CheckoutHandler(aws.functionEnvironment("CheckoutFunction", Map.of(
                "StorefrontUrl", "https://shop.example.com", "TaxMode", "stripe", "AllowPromotionCodes", "true")));
        String cart = "{\"items\": [{\"sku\": \"" + taxed + "\", \"quantity\": 1}, {\"sku\": \"" + plain
                + "\", \"quantity\": 1}], \"email\": \"" + java.util.UUID.randomUUID() + "@example.com\"}";

        var on = withOptions.handleRequest(cartEvent(cart), null);
        var off = handler.handleRequest(cartEvent(cart), null);

        assertEquals(201, on.getStatusCode(), on.getBody());
        assertEquals(201, off.getStatusCode(), off.getBody());
        var set = aws.stripe().commerceOptions(Json.mapper().readTree(on.getBody()).get("id").asText()).orElseThrow();
        assertEquals(new StripeStandIn.CommerceOptions(true, true, java.util.Arrays.asList("txcd_99999999", null)), set);
        var unset = aws.stripe().commerceOptions(Json.mapper().readTree(off.getBody()).get("id").asText()).orElseThrow();
        assertEquals(new StripeStandIn.CommerceOptions(false, false, java.util.Arrays.asList(null, null)), unset);
    }

    /** Each test's checkouts as from a client of its own: one client may hold only two open checkouts. */
    private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent newClient(
            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event) {
        event.getRequestContext().getHttp().setSourceIp("198.18." + CLIENTS.incrementAndGet() + ".1");
        return event;
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();

    private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent cartEvent(String body) {
        var event = newClient(SampleEvents.api("checkout/create-session.json"));
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    @Test
    void aCartBecomesAStripeCheckoutSessionWithTheStockHeld() throws Exception {
        var response = handler.handleRequest(newClient(SampleEvents.api("checkout/create-session.json")), null);

        assertEquals(201, response.getStatusCode(), response.getBody());
        JsonNode body = Json.mapper().readTree(response.getBody());
        String id = body.get("id").asText();
        assertTrue(body.get("url").asText().endsWith("/_local/stripe/pay/" + id), body.toString());

        StripeStandIn.SessionView session = aws.stripe().session(id).orElseThrow();
        assertEquals("usd", session.currency());
        assertEquals("ada@example.com", session.customerEmail());
        assertEquals(2, session.items().size());
        assertEquals(18500 + 2 * 7500 + 1200, session.total(), "catalog prices and the shipping option");
        assertEquals("https://shop.example.com/order-confirmed.html?session_id=" + id, session.successRedirect());
        assertEquals(java.util.List.of("US"), session.allowedCountries());
        String reservationId = session.metadata().get("reservation_id");
        Reservation reservation = new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), Clock.systemUTC())
                .find(reservationId).orElseThrow();
        assertEquals(id, reservation.sessionId().orElseThrow());
        assertEquals(0, products.find("RING-ARIA").orElseThrow().stock());
        assertEquals(1, products.find("EAR-COMET").orElseThrow().stock());

        // The only Aria ring is held now: the same cart again is a conflict naming it, and holds nothing.
        var again = handler.handleRequest(newClient(SampleEvents.api("checkout/create-session.json")), null);
        assertEquals(409, again.getStatusCode());
        assertTrue(again.getBody().contains("RING-ARIA"), again.getBody());
        assertEquals(1, products.find("EAR-COMET").orElseThrow().stock());
    }

    @Test
    void badCartsAreRefusedWithTheFieldToFixAndNothingWritten() throws Exception {
        long before = reservations();

        assertProblem(handler.handleRequest(SampleEvents.api("checkout/create-session-unknown-sku.json"), null), 400, "items[0].sku");
        assertProblem(handler.handleRequest(SampleEvents.api("checkout/create-session-bad-quantity.json"), null), 400, "items[0].quantity");
        assertProblem(handler.handleRequest(SampleEvents.api("checkout/create-session-form-encoded.json"), null), 415, null);

        assertEquals(before, reservations());
    }

    @Test
    void stripeDownAnswers502AndGivesTheStockBack() throws Exception {
        products.save(new shop.commerce.catalog.Product("CUFF-OUTAGE", "Outage cuff", "", shop.commerce.Money.of(42000, "USD"),
                1, java.util.List.of(), true), true);
        var event = newClient(SampleEvents.api("checkout/create-session.json"));
        event.setBody("{\"items\":[{\"sku\":\"CUFF-OUTAGE\",\"quantity\":1}],\"email\":\"outage@example.com\"}");
        aws.stripe().failing(true);

        var response = handler.handleRequest(event, null);

        assertProblem(response, 502, null);
        assertTrue(Json.mapper().readTree(response.getBody()).get("detail").asText().contains("payment provider"));
        assertEquals(1, products.find("CUFF-OUTAGE").orElseThrow().stock());
    }

    private static long reservations() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("CheckoutsTable")).build()).count();
    }

    private static void assertProblem(com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse response,
                                      int status, String field) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        JsonNode problem = Json.mapper().readTree(response.getBody());
        if (field != null) {
            assertEquals(field, problem.get("field").asText());
        }
    }
}
