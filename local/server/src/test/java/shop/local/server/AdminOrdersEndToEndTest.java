package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;

/**
 * The back office's orders through the local API server, its enforced JWT authorizer and the
 * local Cognito users: a paid order is in "to ship", its packing slip holds what the packer needs,
 * staff ship it, and the customer's shipping mail with the tracking link arrives once however
 * often the button is pressed or the queue message delivered; "to ship" oldest first and every slip of it at once,
 * until its order ships; staff cannot export, owners can.
 */
@ExtendWith(RunningShopExtension.class)
class AdminOrdersEndToEndTest {
    private static final String TRACKING = "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB";

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static String staffToken;
    private static String ownerToken;

    @BeforeAll
    static void start() {
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
    }

    @Test
    void aPaidOrderIsToShipStaffShipItAndTheShippingMailArrivesOnce() throws Exception {
        String email = ShopClient.email();
        String id = shop.paidOrder(email);

        JsonNode toShip = ShopClient.json(shop.admin("/admin/orders?status=PAID&limit=25", staffToken));
        assertTrue(toShip.get("orders").findValuesAsText("id").contains(id), toShip.toString());

        HttpResponse<String> slip = shop.admin("/admin/orders/" + id + "/packing-slip", staffToken);
        assertEquals(200, slip.statusCode(), slip.body());
        JsonNode packing = ShopClient.json(slip);
        assertEquals("12 Harbor Road", packing.at("/shippingAddress/line1").asText());
        assertEquals(1, packing.at("/items/0/quantity").asInt());
        for (String absent : List.of(email, "billing", "amount", "18500", "185.00", "usd", "USD")) {
            assertFalse(slip.body().contains(absent), absent + " in " + slip.body());
        }

        String parcel = "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\",\"trackingUrl\":\"" + TRACKING + "\"}";
        HttpResponse<String> shipped = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken, parcel);
        HttpResponse<String> again = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken, parcel);
        assertEquals(200, shipped.statusCode(), shipped.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("SHIPPED", ShopClient.json(again).get("status").asText());
        assertEquals(OrderStatus.SHIPPED, shop.order(id).status());
        // The queue delivers a message twice now and then: the same message once more.
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"type\":\"OrderShipped\",\"orderId\":\"" + id + "\"}"));
        shop.awaitQueueDrained();

        List<SentMail> mails = shop.mailsTo(email, null).stream().filter(m -> m.subject().endsWith("is on its way")).toList();
        assertEquals(1, mails.size(), "one shipping mail: " + mails);
        assertTrue(mails.get(0).text().contains(TRACKING), mails.get(0).text());
        assertTrue(mails.get(0).html().contains("href=\"" + TRACKING + "\""), mails.get(0).html());

        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals(email, detail.get("customerEmail").asText());
        assertTrue(detail.get("mails").findValuesAsText("kind").containsAll(List.of("CUSTOMER_CONFIRMATION", "ORDER_SHIPPED")),
                detail.get("mails").toString());
        assertEquals("order.shipped", detail.at("/trail/0/action").asText());
        // Who shipped it, by the address they sign in with (the token's username is Cognito's generated id).
        assertEquals(LocalAdmins.STAFF.username(), detail.at("/trail/0/by").asText(), detail.toString());
        assertEquals(LocalAdmins.STAFF.username(), detail.at("/shipment/by").asText(), detail.toString());
        assertEquals(1, detail.get("trail").size());
        assertFalse(ShopClient.json(shop.admin("/admin/orders?status=PAID&limit=100", staffToken))
                .get("orders").findValuesAsText("id").contains(id), "no longer to ship");

        HttpResponse<String> otherParcel = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken,
                parcel.replace("RM123456785GB\",", "RM000000000GB\","));
        assertEquals(409, otherParcel.statusCode(), otherParcel.body());
    }

    /**
     * A customer writes "where is my order 7KQ4-M2XD?" or just from their address: staff find the
     * order by the number from the customer's mail, typed as people type it, and by the address in
     * another case; owners too. A malformed number or address is a 400, a number never handed out
     * finds nothing, and without a token API Gateway refuses before the function runs.
     */
    @Test
    void staffAndOwnersFindAnOrderByTheNumberInTheCustomersMailOrByTheirEmail() throws Exception {
        String email = ShopClient.email();
        String earlier = shop.paidOrder(email);
        String id = shop.paidOrder(email);
        SentMail confirmation = shop.mailsTo(email, null).stream().filter(m -> m.subject().startsWith("Your order "))
                .filter(m -> m.text().contains(shop.order(id).number())).findFirst().orElseThrow();
        java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("Your order ([0-9A-Z]{4}-[0-9A-Z]{4})")
                .matcher(confirmation.subject());
        assertTrue(quoted.find(), confirmation.subject());
        String number = quoted.group(1);

        for (String token : List.of(staffToken, ownerToken)) {
            String typed = URLEncoder.encode(" #" + number.toLowerCase(java.util.Locale.ROOT).replace("-", " "), StandardCharsets.UTF_8);
            HttpResponse<String> byNumber = shop.admin("/admin/orders?number=" + typed, token);
            assertEquals(200, byNumber.statusCode(), byNumber.body());
            JsonNode found = ShopClient.json(byNumber);
            assertEquals(List.of(id), found.get("orders").findValuesAsText("id"), byNumber.body());
            assertEquals(number, found.at("/orders/0/number").asText());
            assertEquals("PAID", found.at("/orders/0/status").asText());
            assertEquals(number, found.get("number").asText());

            HttpResponse<String> byEmail = shop.admin("/admin/orders?email="
                    + URLEncoder.encode(email.toUpperCase(java.util.Locale.ROOT), StandardCharsets.UTF_8), token);
            assertEquals(200, byEmail.statusCode(), byEmail.body());
            assertEquals(List.of(id, earlier), ShopClient.json(byEmail).get("orders").findValuesAsText("id"), "newest first");
            assertFalse(byEmail.body().toLowerCase(java.util.Locale.ROOT).contains(email), "no email in a list");
        }

        // The result opens: the record is the order's.
        assertEquals(email, ShopClient.json(shop.admin("/admin/orders/" + id, staffToken)).get("customerEmail").asText());
        // Paged where a customer has more orders than a page.
        HttpResponse<String> first = shop.admin("/admin/orders?limit=1&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8), staffToken);
        String next = ShopClient.json(first).get("nextPage").asText();
        HttpResponse<String> second = shop.admin("/admin/orders?limit=1&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&page=" + URLEncoder.encode(next, StandardCharsets.UTF_8), staffToken);
        assertEquals(List.of(earlier), ShopClient.json(second).get("orders").findValuesAsText("id"), second.body());

        HttpResponse<String> unknown = shop.admin("/admin/orders?number=ZZZZ-ZZZZ", staffToken);
        assertEquals(200, unknown.statusCode(), unknown.body());
        assertEquals(0, ShopClient.json(unknown).get("orders").size());
        HttpResponse<String> malformed = shop.admin("/admin/orders?number=" + id, staffToken);
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(ShopClient.json(malformed).get("detail").asText().contains("7KQ4-M2XD"), malformed.body());
        HttpResponse<String> badEmail = shop.admin("/admin/orders?email=not-an-address", staffToken);
        assertEquals(400, badEmail.statusCode(), badEmail.body());
        assertEquals(401, shop.admin("/admin/orders?number=" + number, null).statusCode());
        assertEquals(401, shop.admin("/admin/orders?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8), null).statusCode());
    }

    @Test
    void aListWithMoreOrdersThanOnePageIsWalkedWithItsTokens() throws Exception {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            mine.add(shop.paidOrder(ShopClient.email()));
        }

        List<String> seen = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            String path = "/admin/orders?status=PAID&limit=2" + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
            HttpResponse<String> response = shop.admin(path, staffToken);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = ShopClient.json(response);
            seen.addAll(body.get("orders").findValuesAsText("id"));
            page = body.get("nextPage").isNull() ? null : body.get("nextPage").asText();
            pages++;
        } while (page != null && !seen.containsAll(mine));

        assertTrue(seen.containsAll(mine), seen.toString());
        assertTrue(pages >= 2, "three orders, two a page");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no order twice");
        HttpResponse<String> forged = shop.admin("/admin/orders?status=PAID&page=eyJsaXN0IjoiUEFJRCIsImtleSI6eyJwayI6MX19",
                staffToken);
        assertEquals(400, forged.statusCode(), forged.body());
    }

    /**
     * The packer's morning: "to ship" oldest first, the order waiting longest on top, through pages whose tokens keep
     * that order; then every slip printed at once in that order, with name, address and items and no email or amount;
     * an order once shipped has no slip in the next batch. Staff and owners alike; without a token, API Gateway refuses.
     */
    @Test
    void theOrdersToShipComeOldestFirstAndTheirSlipsPrintAtOnceUntilShipped() throws Exception {
        String firstEmail = ShopClient.email();
        String first = shop.paidOrder(firstEmail);
        String second = shop.paidOrder(ShopClient.email());
        String third = shop.paidOrder(ShopClient.email());
        List<String> mine = List.of(first, second, third);

        List<String> listed = new ArrayList<>();
        String page = null;
        do {
            HttpResponse<String> response = shop.admin("/admin/orders?status=PAID&sort=oldest&limit=2"
                    + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8)), staffToken);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = ShopClient.json(response);
            assertEquals("oldest", body.get("sort").asText());
            listed.addAll(body.get("orders").findValuesAsText("id"));
            page = body.get("nextPage").isNull() ? null : body.get("nextPage").asText();
        } while (page != null);
        assertEquals(mine, listed.stream().filter(mine::contains).toList(), "oldest first");
        assertEquals(List.of(third, second, first), ShopClient.json(shop.admin("/admin/orders?status=PAID&limit=100",
                staffToken)).get("orders").findValuesAsText("id").stream().filter(mine::contains).toList(), "newest first still");

        List<String> numbers = mine.stream().map(id -> shop.order(id).number()).toList();
        for (String token : List.of(staffToken, ownerToken)) {
            List<JsonNode> slips = slipsToShip(token);
            assertEquals(numbers, slips.stream().map(slip -> slip.get("orderNumber").asText()).filter(numbers::contains).toList(),
                    "the slips in the order the list shows");
            JsonNode slip = slips.stream().filter(s -> s.get("orderNumber").asText().equals(numbers.get(0))).findFirst().orElseThrow();
            assertEquals("12 Harbor Road", slip.at("/shippingAddress/line1").asText());
            assertEquals(1, slip.at("/items/0/quantity").asInt());
            List<String> fields = new ArrayList<>();
            slip.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("orderNumber", "name", "shippingAddress", "items"), fields);
            String all = slips.toString();
            for (String absent : List.of(firstEmail, "@", "billing", "amount", "currency", "18500")) {
                assertFalse(all.contains(absent), absent + " on the slips");
            }
        }

        String parcel = "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\",\"trackingUrl\":\"" + TRACKING + "\"}";
        assertEquals(200, shop.admin("POST", "/admin/orders/" + second + "/shipment", staffToken, parcel).statusCode());
        assertEquals(List.of(numbers.get(0), numbers.get(2)), slipsToShip(staffToken).stream()
                .map(slip -> slip.get("orderNumber").asText()).filter(numbers::contains).toList(), "a shipped order has no slip");

        assertEquals(401, shop.admin("/admin/packing-slips", null).statusCode());
        HttpResponse<String> listToken = shop.admin("/admin/packing-slips?page=" + URLEncoder.encode(ShopClient.json(
                shop.admin("/admin/orders?status=PAID&limit=1", staffToken)).get("nextPage").asText(), StandardCharsets.UTF_8),
                staffToken);
        assertEquals(400, listToken.statusCode(), "a token of the list is no position among the slips: " + listToken.body());
    }

    /** Every slip of the orders to ship, page after page, as the admin page reads them before printing. */
    private static List<JsonNode> slipsToShip(String token) throws Exception {
        List<JsonNode> slips = new ArrayList<>();
        String page = null;
        do {
            HttpResponse<String> response = shop.admin("/admin/packing-slips?limit=100"
                    + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8)), token);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = ShopClient.json(response);
            body.get("slips").forEach(slips::add);
            page = body.get("nextPage").isNull() ? null : body.get("nextPage").asText();
        } while (page != null);
        return slips;
    }

    @Test
    void staffCannotExportAndTheOwnersCsvHasTheOrderButNoEmail() throws Exception {
        String email = ShopClient.email();
        String id = shop.paidOrder(email);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String range = "{\"from\":\"" + today + "\",\"to\":\"" + today + "\"}";

        HttpResponse<String> byStaff = shop.admin("POST", "/admin/exports/orders", staffToken, range);
        assertEquals(403, byStaff.statusCode(), byStaff.body());
        HttpResponse<String> noToken = shop.admin("POST", "/admin/exports/orders", null, range);
        assertEquals(401, noToken.statusCode());

        HttpResponse<String> byOwner = shop.admin("POST", "/admin/exports/orders", ownerToken, range);
        assertEquals(200, byOwner.statusCode(), byOwner.body());
        URI link = URI.create(ShopClient.json(byOwner).get("url").asText());
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode());
        assertTrue(csv.body().contains("\"" + shop.order(id).number() + "\""), csv.body());
        assertFalse(csv.body().contains(email) || csv.body().contains("Harbor"), csv.body());
    }

    @Test
    void aBadTrackingLinkIsRefusedAndChangesNothing() throws Exception {
        String id = shop.paidOrder(ShopClient.email());

        HttpResponse<String> refused = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM1\",\"trackingUrl\":\"javascript:alert(1)\"}");

        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals(OrderStatus.PAID, shop.order(id).status());
        assertEquals(404, shop.admin("/admin/orders/cs_test_someone_elses_order_that_is_not_here", staffToken).statusCode());
    }
}
