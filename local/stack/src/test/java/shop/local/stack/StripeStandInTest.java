package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Stripe stand-in over plain HTTP, the way stripe-java speaks to it (form bodies with
 * brackets, Bearer key, Idempotency-Key). The function modules check stripe-java itself against it.
 */
class StripeStandInTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StripeStandIn stripe;

    @BeforeAll
    static void start() {
        stripe = StripeStandIn.start(Clock.systemUTC(), () -> URI.create("http://localhost:3000"));
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @Test
    void createsRemembersAndExpandsASessionLikeStripe() throws Exception {
        HttpResponse<String> created = create(form(now() + 31 * 60), "key-1");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode session = JSON.readTree(created.body());
        String id = session.get("id").asText();
        assertTrue(id.startsWith("cs_test_"));
        assertEquals("http://localhost:3000/_local/stripe/pay/" + id, session.get("url").asText());
        assertEquals(2 * 7500 + 1200, session.get("amount_total").asLong());
        assertEquals("res_1", session.get("metadata").get("reservation_id").asText());
        assertTrue(!session.has("line_items"), "line items only when expanded");

        assertEquals(id, JSON.readTree(create(form(now() + 31 * 60), "key-1").body()).get("id").asText(),
                "the same idempotency key gives the same session");

        JsonNode expanded = JSON.readTree(get("/v1/checkout/sessions/" + id
                + "?expand[0]=line_items&expand[1]=line_items.data.price.product").body());
        JsonNode line = expanded.get("line_items").get("data").get(0);
        assertEquals(2, line.get("quantity").asLong());
        assertEquals("EAR-COMET", line.get("price").get("product").get("metadata").get("sku").asText());
    }

    @Test
    void payingMakesAChargeAndASignedEventThatVerifies() throws Exception {
        String id = JSON.readTree(create(form(now() + 31 * 60), null).body()).get("id").asText();

        StripeStandIn.SignedEvent event = stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);

        JsonNode payload = JSON.readTree(event.payload());
        assertEquals("checkout.session.completed", payload.get("type").asText());
        assertEquals("paid", payload.get("data").get("object").get("payment_status").asText());
        long timestamp = Long.parseLong(event.signature().substring(2, event.signature().indexOf(',')));
        assertEquals(StripeStandIn.signature(event.payload(), StripeStandIn.WEBHOOK_SECRET, timestamp), event.signature());
        String paymentIntent = payload.get("data").get("object").get("payment_intent").asText();
        JsonNode list = JSON.readTree(get("/v1/checkout/sessions?payment_intent=" + paymentIntent).body());
        assertEquals(id, list.get("data").get(0).get("id").asText());
        assertThrows(RuntimeException.class, () -> stripe.expire(id), "a completed session cannot expire");
    }

    @Test
    void aRefundTheBankSendsBackIsFailedWithItsReasonAndNoLongerCountedOnTheCharge() throws Exception {
        String id = JSON.readTree(create(form(now() + 31 * 60), null).body()).get("id").asText();
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        String charge = StripeStandIn.objectId(stripe.dashboardRefund(id, 5000L));
        String refund = stripe.refunds(id).get(0).id();
        assertEquals(5000, JSON.readTree(get("/v1/charges/" + charge).body()).get("amount_refunded").asLong());

        StripeStandIn.SignedEvent event = stripe.failRefund(refund, "expired_or_canceled_card");
        stripe.failRefund(refund, "expired_or_canceled_card"); // failed once only

        JsonNode payload = JSON.readTree(event.payload());
        assertEquals("charge.refund.updated", payload.get("type").asText());
        assertEquals("failed", payload.at("/data/object/status").asText());
        JsonNode fetched = JSON.readTree(get("/v1/refunds/" + refund).body());
        assertEquals("failed", fetched.get("status").asText());
        assertEquals("expired_or_canceled_card", fetched.get("failure_reason").asText());
        assertEquals(0, JSON.readTree(get("/v1/charges/" + charge).body()).get("amount_refunded").asLong());
    }

    @Test
    void customersAreFoundByTheirExactEmailAndDeletedOnce() throws Exception {
        String id = stripe.createCustomer("Ada@Example.com");
        stripe.createCustomer("grace@example.com");

        JsonNode exact = JSON.readTree(get("/v1/customers?limit=100&email=Ada%40Example.com").body());
        JsonNode otherCase = JSON.readTree(get("/v1/customers?limit=100&email=ada%40example.com").body());

        assertEquals(id, exact.get("data").get(0).get("id").asText());
        assertEquals(1, exact.get("data").size());
        assertEquals(0, otherCase.get("data").size(), "Stripe's email filter is case-sensitive");
        HttpResponse<String> deleted = delete("/v1/customers/" + id);
        assertEquals(200, deleted.statusCode());
        assertTrue(JSON.readTree(deleted.body()).get("deleted").asBoolean());
        assertTrue(!stripe.customerIds().contains(id));
        assertEquals(404, delete("/v1/customers/" + id).statusCode());
    }

    @Test
    void refusesWhatStripeRefuses() throws Exception {
        assertEquals(400, create(form(now() + 10 * 60), null).statusCode(), "expires_at under 30 minutes");
        var wrongKey = HTTP.send(HttpRequest.newBuilder(stripe.apiBase().resolve("/v1/checkout/sessions/cs_x"))
                .header("Authorization", "Bearer sk_test_other").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrongKey.statusCode());
        assertEquals(404, get("/v1/checkout/sessions/cs_test_unknown").statusCode());
        assertEquals(404, get("/v1/invoices").statusCode(), "only what the shop uses");
        assertEquals(404, delete("/v1/customers/cus_unknown").statusCode());
        stripe.failing(true);
        try {
            assertEquals(500, get("/v1/checkout/sessions/cs_test_unknown").statusCode());
        } finally {
            stripe.failing(false);
        }
    }

    private static String form(long expiresAt) {
        return "mode=payment&success_url=https://shop.example.com/ok&expires_at=" + expiresAt
                + "&metadata[reservation_id]=res_1&customer_email=ada@example.com"
                + "&shipping_address_collection[allowed_countries][0]=US"
                + "&shipping_options[0][shipping_rate_data][type]=fixed_amount"
                + "&shipping_options[0][shipping_rate_data][display_name]=Insured"
                + "&shipping_options[0][shipping_rate_data][fixed_amount][amount]=1200"
                + "&shipping_options[0][shipping_rate_data][fixed_amount][currency]=usd"
                + "&line_items[0][quantity]=2&line_items[0][price_data][currency]=usd"
                + "&line_items[0][price_data][unit_amount]=7500"
                + "&line_items[0][price_data][product_data][name]=Comet%20studs"
                + "&line_items[0][price_data][product_data][metadata][sku]=EAR-COMET";
    }

    private static HttpResponse<String> create(String form, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(stripe.apiBase().resolve("/v1/checkout/sessions"))
                .header("Authorization", "Bearer " + StripeStandIn.SECRET_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stripe.apiBase() + path))
                .header("Authorization", "Bearer " + StripeStandIn.SECRET_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stripe.apiBase() + path))
                .header("Authorization", "Bearer " + StripeStandIn.SECRET_KEY).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long now() {
        return java.time.Instant.now().getEpochSecond();
    }
}
