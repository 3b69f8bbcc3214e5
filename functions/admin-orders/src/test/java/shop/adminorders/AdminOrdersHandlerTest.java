package shop.adminorders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.SampleEvents;
import shop.commerce.testing.Samples;
import shop.core.json.Json;
import shop.core.snapstart.Priming;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** The handler wired as template.yaml wires it, on the local stand-ins, fed the sample events of {@code events/admin-orders/}. */
@ExtendWith(LocalAwsExtension.class)
class AdminOrdersHandlerTest {
    private static LocalAws aws;
    private static AdminOrdersHandler handler;
    private static DynamoOrderStore store;
    private static String queueUrl;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        handler = new AdminOrdersHandler(aws.functionEnvironment("AdminOrdersFunction", Map.of()));
        store = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        queueUrl = aws.queueUrl(aws.template(), "OrderNotificationQueue");
    }

    @Test
    void staffListTheOrdersToShip() throws Exception {
        String id = paidOrder();

        var response = handler.handleRequest(SampleEvents.api("admin-orders/list-orders-to-ship.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("no-store", response.getHeaders().get("cache-control"));
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertEquals("PAID", body.get("status").asText());
        assertTrue(body.get("orders").findValuesAsText("id").contains(id) || body.hasNonNull("nextPage"), response.getBody());
        assertFalse(response.getBody().contains("@example.com"), "a list shows no email");
    }

    /**
     * Staff print the slips of every order to ship at once (the sample event is staff's), oldest first, walking the
     * pages the answer hands out: the order just paid has its slip, with no email, billing address or amount. The
     * priming's request (from after the last order there can be) answers no slip.
     */
    @Test
    void staffPrintTheSlipsOfEveryOrderToShip() throws Exception {
        String id = paidOrder();
        String number = store.find(id).orElseThrow().number();

        List<JsonNode> slips = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            var event = SampleEvents.api("admin-orders/packing-slips-to-ship.json");
            if (page != null) {
                event.setQueryStringParameters(new HashMap<>(Map.of("limit", "50", "page", page)));
            }
            var response = handler.handleRequest(event, null);
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertEquals("no-store", response.getHeaders().get("cache-control"));
            assertFalse(response.getBody().contains("@example.com"), "no email on a slip");
            JsonNode body = Json.mapper().readTree(response.getBody());
            body.get("slips").forEach(slips::add);
            page = body.get("nextPage").isNull() ? null : body.get("nextPage").asText();
            pages++;
        } while (page != null && pages < 200);

        JsonNode slip = slips.stream().filter(s -> s.get("orderNumber").asText().equals(number)).findFirst().orElseThrow();
        assertEquals("12 Harbor Road", slip.at("/shippingAddress/line1").asText());
        assertEquals(1, slip.at("/items/0/quantity").asInt());
        for (String absent : List.of("billing", "amount", "currency", "18500")) {
            assertFalse(slip.toString().contains(absent), absent + " in " + slip);
        }

        var primed = Priming.adminRequest("GET /admin/packing-slips", Map.of(), Map.of("limit", "50", "page",
                PageToken.encode(PackingSlipService.LIST, Map.of("pk", "ORDER#cs_priming_never_ordered", "status", "PAID",
                        "listedAt", "9999-12-31T23:59:59.000000000Z#cs_priming_never_ordered"))), null, "staff");
        var answer = handler.handleRequest(primed, null);
        assertEquals(200, answer.getStatusCode(), answer.getBody());
        assertEquals("{\"slips\":[],\"nextPage\":null}", answer.getBody());
    }

    /**
     * Staff list the orders with an open dispute (the sample event is staff's), soonest evidence
     * deadline first, each line with its dispute; a closed dispute leaves the list; the list stands
     * beside the status lists, never combined with them.
     */
    @Test
    void staffListTheOpenDisputesSoonestDeadlineFirst() throws Exception {
        var accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC());
        String later = paidOrder();
        String sooner = paidOrder();
        Instant soonerDue = Instant.parse("1999-01-02T23:59:59Z");
        dispute(accounts, later, "needs_response", Instant.parse("1999-01-09T23:59:59Z"));
        dispute(accounts, sooner, "needs_response", soonerDue);

        List<JsonNode> lines = openDisputes();
        List<String> ids = lines.stream().map(line -> line.get("id").asText()).filter(List.of(later, sooner)::contains).toList();
        assertEquals(List.of(sooner, later), ids);
        JsonNode line = lines.stream().filter(l -> l.get("id").asText().equals(sooner)).findFirst().orElseThrow();
        assertEquals("PAID", line.get("status").asText());
        assertEquals(store.find(sooner).orElseThrow().number(), line.get("number").asText());
        assertEquals("needs_response", line.at("/dispute/status").asText());
        assertEquals("fraudulent", line.at("/dispute/reason").asText());
        assertEquals(18500, line.at("/dispute/amount").asLong());
        assertEquals("usd", line.at("/dispute/currency").asText());
        assertEquals(soonerDue.toString(), line.at("/dispute/evidenceDueBy").asText());

        dispute(accounts, sooner, "won", null);
        assertFalse(openDisputes().stream().anyMatch(l -> l.get("id").asText().equals(sooner)), "closed: off the list");
        assertTrue(openDisputes().stream().anyMatch(l -> l.get("id").asText().equals(later)));

        var withStatus = SampleEvents.api("admin-orders/list-open-disputes.json");
        withStatus.setQueryStringParameters(Map.of("dispute", "open", "status", "PAID"));
        assertEquals(400, handler.handleRequest(withStatus, null).getStatusCode());
        withStatus.setQueryStringParameters(Map.of("dispute", "closed"));
        assertEquals(400, handler.handleRequest(withStatus, null).getStatusCode());
    }

    /**
     * Wired as template.yaml wires it: the address hash key read from the local SSM SecureString,
     * the same keyed hash the order store wrote, so the customer's orders are found by their address.
     */
    @Test
    void staffFindAnOrderByTheCustomersEmailOrByItsNumber() throws Exception {
        String id = paidOrder();

        var byEmail = handler.handleRequest(SampleEvents.api("admin-orders/search-by-email.json"), null);

        assertEquals(200, byEmail.getStatusCode(), byEmail.getBody());
        JsonNode body = Json.mapper().readTree(byEmail.getBody());
        assertEquals("email", body.get("search").asText());
        assertTrue(body.get("orders").findValuesAsText("id").contains(id) || body.hasNonNull("nextPage"), byEmail.getBody());
        assertFalse(byEmail.getBody().contains("@example.com"), "the answer does not repeat the address");

        var event = SampleEvents.api("admin-orders/search-by-number.json");
        String number = store.find(id).orElseThrow().number();
        event.setQueryStringParameters(Map.of("number", "#" + number.toLowerCase(java.util.Locale.ROOT).replace('-', ' ')));
        var byNumber = handler.handleRequest(event, null);
        assertEquals(200, byNumber.getStatusCode(), byNumber.getBody());
        assertTrue(Json.mapper().readTree(byNumber.getBody()).get("orders").findValuesAsText("id").contains(id), byNumber.getBody());

        event.setQueryStringParameters(Map.of("number", "not a number"));
        var malformed = handler.handleRequest(event, null);
        assertEquals(400, malformed.getStatusCode(), malformed.getBody());
        assertEquals("application/problem+json", malformed.getHeaders().get("content-type"));
    }

    @Test
    void shippingTwiceQueuesTheShippingMessageTwiceAndAnotherParcelIsAConflict() throws Exception {
        String id = paidOrder();
        drain();

        var first = handler.handleRequest(ship(id, "RM123456789GB"), null);
        var again = handler.handleRequest(ship(id, "RM123456789GB"), null);
        var other = handler.handleRequest(ship(id, "RM000000000GB"), null);

        assertEquals(200, first.getStatusCode(), first.getBody());
        JsonNode order = Json.mapper().readTree(first.getBody());
        assertEquals("SHIPPED", order.get("status").asText());
        assertEquals("sam", order.get("trail").get(0).get("by").asText());
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(409, other.getStatusCode(), other.getBody());
        assertEquals(List.of("{\"type\":\"OrderShipped\",\"orderId\":\"" + id + "\"}",
                "{\"type\":\"OrderShipped\",\"orderId\":\"" + id + "\"}"), drain());
        assertEquals(OrderStatus.SHIPPED, store.find(id).orElseThrow().status());
    }

    @Test
    void staffCorrectAShipmentOnceAndAPageThatReadAnOlderShipmentIsAConflict() throws Exception {
        String id = paidOrder();
        assertEquals(200, handler.handleRequest(ship(id, "RM12345678GB"), null).getStatusCode());
        drain();

        var corrected = handler.handleRequest(correct(id, "RM123456789GB", "0"), null);
        var again = handler.handleRequest(correct(id, "RM123456789GB", "0"), null);
        var stale = handler.handleRequest(correct(id, "RM000000000GB", "0"), null);
        var noCount = handler.handleRequest(correct(id, "RM000000000GB", null), null);
        var textCount = handler.handleRequest(correct(id, "RM000000000GB", "\"1\""), null);

        assertEquals(200, corrected.getStatusCode(), corrected.getBody());
        JsonNode order = Json.mapper().readTree(corrected.getBody());
        assertEquals("RM123456789GB", order.get("shipment").get("trackingNumber").asText());
        assertEquals(1, order.get("shipment").get("corrections").asInt());
        assertEquals("sam", order.get("shipment").get("correctedBy").asText());
        assertEquals("order.shipment_corrected", order.get("trail").get(1).get("action").asText());
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(409, stale.getStatusCode(), stale.getBody());
        assertEquals(400, noCount.getStatusCode(), noCount.getBody());
        assertTrue(noCount.getBody().contains("corrections"), noCount.getBody());
        assertEquals(400, textCount.getStatusCode(), textCount.getBody());
        String message = "{\"type\":\"ShipmentCorrected\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}";
        assertEquals(List.of(message, message), drain(), "the same correction queued again; its mail claim keeps one mail");
        JsonNode stored = Json.mapper().readTree(handler.handleRequest(get(id), null).getBody());
        assertEquals("RM123456789GB", stored.get("shipment").get("trackingNumber").asText());
    }

    @Test
    void staffChangeTheShippingAddressOnceAndABadBodyOrAStaleReadWritesNothing() throws Exception {
        String id = paidOrder();
        drain();
        String read = Json.mapper().readTree(handler.handleRequest(get(id), null).getBody()).get("shippingVersion").asText();

        var noVersion = handler.handleRequest(changeAddress(id, "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS + "}"), null);
        var badCountry = handler.handleRequest(changeAddress(id, "{\"name\":\"Ada King\",\"shippingAddress\":"
                + PARIS.replace("\"FR\"", "\"France\"") + ",\"shippingVersion\":\"" + read + "\"}"), null);
        var noName = handler.handleRequest(changeAddress(id, "{\"shippingAddress\":" + PARIS + ",\"shippingVersion\":\""
                + read + "\"}"), null);
        var stale = handler.handleRequest(changeAddress(id, "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS
                + ",\"shippingVersion\":\"AAAAAAAAAAAAAAAA\"}"), null);
        String form = "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS + ",\"shippingVersion\":\"" + read + "\"}";
        var changed = handler.handleRequest(changeAddress(id, form), null);
        var again = handler.handleRequest(changeAddress(id, form), null);

        assertEquals(400, noVersion.getStatusCode(), noVersion.getBody());
        assertTrue(noVersion.getBody().contains("shippingVersion"), noVersion.getBody());
        assertEquals(400, badCountry.getStatusCode(), badCountry.getBody());
        assertTrue(badCountry.getBody().contains("shippingAddress.country"), badCountry.getBody());
        assertEquals(400, noName.getStatusCode(), noName.getBody());
        assertEquals(409, stale.getStatusCode(), stale.getBody());
        assertEquals(200, changed.getStatusCode(), changed.getBody());
        assertEquals(200, again.getStatusCode(), again.getBody());
        JsonNode order = Json.mapper().readTree(changed.getBody());
        assertEquals("8 Rue de Rivoli", order.at("/shipping/line1").asText());
        assertEquals("Ada King", order.at("/shipping/name").asText());
        assertEquals("order.shipping_address_changed", order.at("/trail/0/action").asText());
        assertFalse(order.at("/trail/0/after").asText().contains("Rivoli"), order.get("trail").toString());
        String message = "{\"type\":\"ShippingAddressChanged\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}";
        assertEquals(List.of(message, message), drain(), "the same change queued again; its mail claim keeps one mail");
        assertEquals(1, Json.mapper().readTree(handler.handleRequest(get(id), null).getBody()).get("trail").size());
    }

    private static final String PARIS = "{\"line1\":\"8 Rue de Rivoli\",\"postalCode\":\"75004\",\"city\":\"Paris\","
            + "\"country\":\"FR\"}";

    private static APIGatewayV2HTTPEvent changeAddress(String id, String body) {
        var event = SampleEvents.api("admin-orders/change-shipping-address-unknown-order.json");
        retarget(event, id, "/shipping-address");
        event.setBody(body);
        return event;
    }

    /**
     * Wired as template.yaml wires it: the corrected address keyed with the SSM key, the suppression list read from the
     * subscribers table; bad input names its field and writes nothing, a double press queues the same correction again.
     */
    @Test
    void staffCorrectAPaidOrdersEmailAndTheSearchByTheNewAddressFindsIt() throws Exception {
        assertEquals(404, handler.handleRequest(SampleEvents.api("admin-orders/change-customer-email-unknown-order.json"),
                null).getStatusCode());
        String id = paidOrder();
        drain();
        String read = Json.mapper().readTree(handler.handleRequest(get(id), null).getBody()).get("emailVersion").asText();
        String corrected = "ada-" + UUID.randomUUID() + "@example.org";

        var noVersion = handler.handleRequest(changeEmail(id, "{\"email\":\"" + corrected + "\"}"), null);
        var badAddress = handler.handleRequest(changeEmail(id, "{\"email\":\"ada@example\",\"emailVersion\":\"" + read
                + "\"}"), null);
        var noAddress = handler.handleRequest(changeEmail(id, "{\"emailVersion\":\"" + read + "\"}"), null);
        var stale = handler.handleRequest(changeEmail(id, "{\"email\":\"" + corrected
                + "\",\"emailVersion\":\"AAAAAAAAAAAAAAAA\"}"), null);
        String form = "{\"email\":\"" + corrected + "\",\"emailVersion\":\"" + read + "\"}";
        var changed = handler.handleRequest(changeEmail(id, form), null);
        var again = handler.handleRequest(changeEmail(id, form), null);

        assertEquals(400, noVersion.getStatusCode(), noVersion.getBody());
        assertTrue(noVersion.getBody().contains("emailVersion"), noVersion.getBody());
        assertEquals(400, badAddress.getStatusCode(), badAddress.getBody());
        assertEquals("email", Json.mapper().readTree(badAddress.getBody()).path("field").asText(),
                badAddress.getBody());
        assertEquals(400, noAddress.getStatusCode(), noAddress.getBody());
        assertEquals(409, stale.getStatusCode(), stale.getBody());
        assertEquals(200, changed.getStatusCode(), changed.getBody());
        assertEquals(200, again.getStatusCode(), again.getBody());
        JsonNode order = Json.mapper().readTree(changed.getBody());
        assertEquals(corrected, order.get("customerEmail").asText());
        assertEquals("order.email_changed", order.at("/trail/0/action").asText());
        assertFalse(order.get("trail").toString().contains("@"), order.get("trail").toString());
        String message = "{\"type\":\"OrderEmailChanged\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}";
        assertEquals(List.of(message, message), drain(), "the same correction queued again; its mail claim keeps one mail");
        var search = SampleEvents.api("admin-orders/search-by-email.json");
        search.setQueryStringParameters(Map.of("email", corrected));
        assertTrue(handler.handleRequest(search, null).getBody().contains(id), "the index moved with the address");
    }

    private static APIGatewayV2HTTPEvent changeEmail(String id, String body) {
        var event = SampleEvents.api("admin-orders/change-customer-email-unknown-order.json");
        retarget(event, id, "/email");
        event.setBody(body);
        return event;
    }

    @Test
    void thePackingSlipHasNoEmailBillingOrAmounts() throws Exception {
        String id = paidOrder();
        var event = SampleEvents.api("admin-orders/packing-slip-unknown-order.json");
        retarget(event, id, "/packing-slip");

        var response = handler.handleRequest(event, null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode slip = Json.mapper().readTree(response.getBody());
        assertEquals("12 Harbor Road", slip.get("shippingAddress").get("line1").asText());
        assertEquals(1, slip.get("items").get(0).get("quantity").asInt());
        for (String absent : List.of("@example.com", "billing", "18500", "amount", "USD", "usd")) {
            assertFalse(response.getBody().contains(absent), absent + " in " + response.getBody());
        }
    }

    @Test
    void unknownOrdersAreNotFoundAndNothingIsWritten() {
        for (String file : List.of("get-unknown-order.json", "ship-unknown-order.json", "packing-slip-unknown-order.json",
                "correct-shipment-unknown-order.json", "change-shipping-address-unknown-order.json")) {
            var response = handler.handleRequest(SampleEvents.api("admin-orders/" + file), null);
            assertEquals(404, response.getStatusCode(), file);
        }
        assertTrue(store.find("cs_test_never_ordered").isEmpty());
        assertEquals(List.of(), drain());
    }

    /** Only owners accept an order that needs attention: staff are refused before anything is read or written. */
    @Test
    void staffMayNotAcceptAnOrderThatNeedsAttention() throws Exception {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.NEEDS_ATTENTION, "ada@example.com", "Ada Lovelace"),
                Instant.now().plusSeconds(3600).getEpochSecond()));
        var event = SampleEvents.api("admin-orders/accept-by-staff.json");
        event.setPathParameters(Map.of("id", id));

        var response = handler.handleRequest(event, null);

        assertEquals(403, response.getStatusCode(), response.getBody());
        assertEquals(OrderStatus.NEEDS_ATTENTION, store.find(id).orElseThrow().status());
        assertEquals(List.of(), drain());
    }

    @Test
    void staffMayNotExportAndOwnersGetAFiveMinuteLinkToTheCsv() throws Exception {
        var staff = handler.handleRequest(SampleEvents.api("admin-orders/export-by-staff.json"), null);
        assertEquals(403, staff.getStatusCode());

        var owner = handler.handleRequest(SampleEvents.api("admin-orders/export-a-year.json"), null);
        assertEquals(200, owner.getStatusCode(), owner.getBody());
        URI link = URI.create(Json.mapper().readTree(owner.getBody()).get("url").asText());
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().startsWith("\"order_number\",\"created_at\",\"status\",\"items\""), csv.body());
    }

    @Test
    void withoutVerifiedClaimsItIsUnauthorizedAndAForgedPageIsABadRequest() {
        var event = SampleEvents.api("admin-orders/list-orders-to-ship.json");
        event.getRequestContext().setAuthorizer(null);
        assertEquals(401, handler.handleRequest(event, null).getStatusCode());

        var forged = SampleEvents.api("admin-orders/list-orders-to-ship.json");
        forged.setQueryStringParameters(new HashMap<>(Map.of("status", "PAID", "page",
                PageToken.encode("PAID", Map.of("pk", "ORDER#cs_x", "status", "PAID", "listedAt", "1' OR '1")))));
        APIGatewayV2HTTPResponse response = handler.handleRequest(forged, null);
        assertEquals(400, response.getStatusCode(), response.getBody());
    }

    /**
     * The whole shop's activity is for owners: staff are refused (403) before anything is read; an
     * owner reads a day (a Query on the trail's day index) and a malformed day is refused.
     */
    @Test
    void onlyOwnersReadTheShopsActivity() throws Exception {
        var staff = SampleEvents.api("admin-orders/activity-by-staff.json");
        APIGatewayV2HTTPResponse refused = handler.handleRequest(staff, null);
        assertEquals(403, refused.getStatusCode(), refused.getBody());

        var owner = SampleEvents.api("admin-orders/activity-by-staff.json");
        owner.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[owners]");
        APIGatewayV2HTTPResponse read = handler.handleRequest(owner, null);
        assertEquals(200, read.getStatusCode(), read.getBody());
        JsonNode body = Json.mapper().readTree(read.getBody());
        assertEquals("2026-11-25", body.get("day").asText());
        assertTrue(body.get("lines").isArray());

        owner.setQueryStringParameters(new HashMap<>(Map.of("day", "2026-11-31")));
        assertEquals(400, handler.handleRequest(owner, null).getStatusCode());
    }

    /**
     * Priming runs every route and adapter call: were a call refused (a permission, a malformed
     * request), prime() would throw. It writes, queues and stores nothing.
     */
    @Test
    void snapStartPrimingChangesNothing() {
        String id = paidOrder();
        drain();
        String bucket = aws.physicalName("AccountingExportsBucket");
        int exports = aws.s3().listObjectsV2(b -> b.bucket(bucket)).keyCount();

        handler.prime();

        assertEquals(OrderStatus.PAID, store.find(id).orElseThrow().status());
        assertTrue(store.find("cs_priming_never_ordered").isEmpty());
        assertTrue(aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "ORDER#cs_priming_never_ordered")))).item().isEmpty(), "the refused shipment wrote nothing");
        var audit = new shop.core.dynamo.DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        assertEquals(List.of(), audit.of("PRIMING#never-recorded"));
        assertEquals(List.of(), audit.of("ORDER#cs_priming_never_ordered"));
        assertEquals(List.of(), drain());
        assertEquals(exports, aws.s3().listObjectsV2(b -> b.bucket(bucket)).keyCount());
    }

    private static void dispute(DynamoOrderAccounts accounts, String id, String status, Instant due) {
        accounts.recordDispute(accounts.find(id).orElseThrow(), Dispute.of("du_" + id, "fraudulent", status, 18500, "usd",
                due, Instant.parse("1998-12-26T10:00:00Z"), Instant.now()), Instant.now());
    }

    /** Every line of the open disputes, page by page as the admin page asks for them. */
    private static List<JsonNode> openDisputes() throws Exception {
        List<JsonNode> lines = new java.util.ArrayList<>();
        String page = null;
        do {
            var event = SampleEvents.api("admin-orders/list-open-disputes.json");
            Map<String, String> query = new HashMap<>(event.getQueryStringParameters());
            query.put("limit", "2");
            if (page != null) {
                query.put("page", page);
            }
            event.setQueryStringParameters(query);
            var response = handler.handleRequest(event, null);
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertFalse(response.getBody().contains("@example.com"), "a list shows no email");
            JsonNode body = Json.mapper().readTree(response.getBody());
            assertEquals("open", body.get("dispute").asText());
            body.get("orders").forEach(lines::add);
            page = body.hasNonNull("nextPage") ? body.get("nextPage").asText() : null;
        } while (page != null);
        return lines;
    }

    private static String paidOrder() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(store.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada Lovelace"),
                Instant.now().getEpochSecond() + 3600));
        return id;
    }

    private static APIGatewayV2HTTPEvent ship(String id, String tracking) {
        var event = SampleEvents.api("admin-orders/ship-unknown-order.json");
        retarget(event, id, "/shipment");
        event.setBody("{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"" + tracking
                + "\",\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/" + tracking + "\"}");
        return event;
    }

    private static APIGatewayV2HTTPEvent correct(String id, String tracking, String corrections) {
        var event = SampleEvents.api("admin-orders/correct-shipment-unknown-order.json");
        retarget(event, id, "/shipment");
        event.setBody("{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"" + tracking
                + "\",\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/" + tracking + "\""
                + (corrections == null ? "" : ",\"corrections\":" + corrections) + "}");
        return event;
    }

    private static APIGatewayV2HTTPEvent get(String id) {
        var event = SampleEvents.api("admin-orders/get-unknown-order.json");
        retarget(event, id, "");
        return event;
    }

    private static void retarget(APIGatewayV2HTTPEvent event, String id, String suffix) {
        event.setPathParameters(Map.of("id", id));
        event.setRawPath("/admin/orders/" + id + suffix);
        event.getRequestContext().getHttp().setPath(event.getRawPath());
    }

    private static List<String> drain() {
        List<String> bodies = new java.util.ArrayList<>();
        while (true) {
            var messages = aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (messages.isEmpty()) {
                return bodies;
            }
            for (var message : messages) {
                bodies.add(message.body());
                aws.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }
}
