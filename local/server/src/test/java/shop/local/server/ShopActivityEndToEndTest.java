package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAdmins;

/**
 * The owner's activity view through the local API server: an owner ships an order and changes a
 * product's price, invites a staff account and disables it, writes a campaign, and GET /admin/activity shows those lines
 * of the day, newest first, each naming the owner by their sign-in address, the order by its number, the campaign by its
 * subject (read from the campaigns' table) and the account by its
 * sign-in address; staff are refused, and a caller without a token never
 * reaches the function.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class ShopActivityEndToEndTest {
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static String ownerToken;
    private static String staffToken;

    @BeforeAll
    static void start() {
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @Test
    void theOwnerSeesWhoShippedAndWhoChangedAPriceNewestFirst() throws Exception {
        String id = shop.startCheckout(shop.piece(1), ShopClient.email());
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();
        HttpResponse<String> shipped = shop.admin("POST", "/admin/orders/" + id + "/shipment", ownerToken,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\","
                        + "\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB\"}");
        assertEquals(200, shipped.statusCode(), shipped.body());
        String sku = "E2E-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        HttpResponse<String> created = shop.admin("POST", "/admin/products", ownerToken, """
                {"sku": "%s", "name": "Piece %s", "description": "Made for a test.",
                 "price": {"amount": 24000, "currency": "USD"}, "stock": 1, "oneOfAKind": true}""".formatted(sku, sku));
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> repriced = shop.admin("PUT", "/admin/products/" + sku, ownerToken, """
                {"version": 1, "name": "Piece %s", "description": "Made for a test.",
                 "price": {"amount": 26000, "currency": "USD"}, "images": [], "oneOfAKind": true}""".formatted(sku));
        assertEquals(200, repriced.statusCode(), repriced.body());
        String email = "activity-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        HttpResponse<String> invited = shop.admin("POST", "/admin/staff", ownerToken, "{\"email\":\"" + email + "\"}");
        assertEquals(201, invited.statusCode(), invited.body());
        String sub = ShopClient.json(invited).get("subject").asText();
        HttpResponse<String> disabled = shop.admin("DELETE", "/admin/staff/" + URLEncoder.encode(email, StandardCharsets.UTF_8),
                ownerToken, null);
        assertEquals(200, disabled.statusCode(), disabled.body());
        String subject = "Activity news " + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> campaign = shop.admin("POST", "/admin/campaigns", ownerToken,
                "{\"subject\":\"" + subject + "\",\"html\":\"<p>News.</p>\"}");
        assertEquals(201, campaign.statusCode(), campaign.body());
        String campaignId = ShopClient.json(campaign).get("id").asText();
        String day = LocalDate.now(ZoneOffset.UTC).toString();

        List<JsonNode> ours = new ArrayList<>();
        String page = null;
        int pages = 0;
        do {
            HttpResponse<String> response = shop.admin("/admin/activity?day=" + day + "&limit=2"
                    + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8)), ownerToken);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = ShopClient.json(response);
            assertEquals(day, body.get("day").asText());
            for (JsonNode line : body.get("lines")) {
                String record = line.at("/subject/kind").asText() + "#" + line.at("/subject/id").asText();
                if (record.equals("order#" + id) || record.equals("product#" + sku) || record.equals("staff#" + sub)
                        || record.equals("campaign#" + campaignId)) {
                    ours.add(line);
                }
            }
            page = body.hasNonNull("nextPage") ? body.get("nextPage").asText() : null;
            pages++;
        } while (page != null && ours.size() < 7 && pages < 500); // ours are the newest: on the first pages

        assertTrue(pages >= 4, "seven lines, two a page: the token took the list on");

        assertEquals(List.of("campaign.created", "staff.disabled", "staff.disable_requested", "staff.invited",
                        "product.price_changed", "product.created", "order.shipped"),
                ours.stream().map(line -> line.get("action").asText()).toList(), ours.toString());
        assertEquals(subject, ours.remove(0).at("/subject/name").asText(), "the campaign by its subject");
        for (JsonNode line : ours) {
            assertEquals(LocalAdmins.OWNER.username(), line.get("by").asText(), line.toString());
        }
        for (JsonNode line : ours.subList(0, 3)) {
            assertEquals(email, line.at("/subject/name").asText(), "the account by its sign-in address: " + line);
        }
        JsonNode price = ours.get(3);
        assertEquals("product", price.at("/subject/kind").asText());
        assertEquals(sku, price.at("/subject/id").asText());
        assertTrue(price.get("before").asText().contains("24000"), price.toString());
        assertTrue(price.get("after").asText().contains("26000"), price.toString());
        JsonNode ship = ours.get(5);
        assertEquals("order", ship.at("/subject/kind").asText());
        assertEquals(shop.order(id).number(), ship.at("/subject/number").asText(), "the number the owner knows it by");
        assertTrue(price.at("/subject/number").isMissingNode(), "only an order has a number");
        assertTrue(ship.get("after").asText().contains("RM123456785GB"), ship.toString());
        assertTrue(Instant.parse(ship.get("at").asText()).isBefore(Instant.parse(price.get("at").asText())), "newest first");

        HttpResponse<String> staff = shop.admin("/admin/activity?day=" + day, staffToken);
        assertEquals(403, staff.statusCode(), staff.body());
        assertEquals(401, shop.admin("/admin/activity", null).statusCode());
    }
}
