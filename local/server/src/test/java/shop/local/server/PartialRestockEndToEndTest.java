package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;

/**
 * A customer bought a ring and earrings and sent the earrings back: the owner refunds their price
 * and puts only them back on sale, through the local API server with the owner's access token, as
 * the admin page does (the order's record read first, its counts sent with the choice).
 */
@ExtendWith(RunningShopExtension.class)
class PartialRestockEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;

    /** The refund mail left in flight on the shared queue is handled before the pollers stop. */
    @AfterAll
    static void drain() throws InterruptedException {
        shop.awaitQueueDrained();
    }

    @Test
    void onlyThePieceThatCameBackGoesBackOnSaleAndTheSamePressAgainPutsNothingBackTwice() throws Exception {
        String ring = shop.piece(1);
        String earrings = shop.piece(1);
        String id = shop.startCheckout(List.of(ring, earrings), ShopClient.email());
        assertEquals(303, shop.payByCard(id).statusCode());
        ShopClient.await("the paid order", () -> shop.orders().find(id).map(o -> o.status() == OrderStatus.PAID)
                .orElse(false));
        assertEquals(List.of(0, 0), stock(ring, earrings), "both sold");
        String owner = running.adminToken(LocalAdmins.OWNER.username());

        var refunded = shop.admin("POST", "/admin/orders/" + id + "/refunds", owner,
                "{\"amount\":18500,\"reason\":\"requested_by_customer\",\"note\":\"Earrings sent back\",\"restock\":false}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(201, refunded.statusCode(), refunded.body());

        // The page reads the order (nothing back yet: no counts) and sends its choice with what it read.
        JsonNode read = ShopClient.json(shop.admin("/admin/orders/" + id, owner));
        assertTrue(read.path("restockedPieces").isMissingNode(), read.toString());
        String choice = "{\"lines\":[{\"sku\":\"" + earrings + "\",\"quantity\":1}],\"restockedPieces\":{}}";

        HttpResponse<String> restocked = shop.admin("POST", "/admin/orders/" + id + "/restock", owner, choice);

        assertEquals(200, restocked.statusCode(), restocked.body());
        JsonNode answer = ShopClient.json(restocked);
        assertEquals(1, answer.at("/restockedPieces/" + earrings).asInt(), answer.toString());
        assertEquals(0, answer.at("/restockedPieces/" + ring).asInt(), answer.toString());
        assertTrue(answer.path("restockedAt").isNull(), "not everything is back: " + answer);
        assertEquals(List.of(0, 1), stock(ring, earrings), "the earrings back on sale, the kept ring not");
        assertEquals("in_stock", shop.availability(earrings));
        assertNotEquals("in_stock", shop.availability(ring));

        // The same press again (a double click, a retried request): the page's read is stale now.
        HttpResponse<String> again = shop.admin("POST", "/admin/orders/" + id + "/restock", owner, choice);

        assertEquals(409, again.statusCode(), again.body());
        assertTrue(again.body().contains("changed since the page read it"), again.body());
        assertEquals(List.of(0, 1), stock(ring, earrings), "nothing back twice");

        JsonNode record = ShopClient.json(shop.admin("/admin/orders/" + id, owner));
        assertEquals(1, record.at("/restockedPieces/" + earrings).asInt(), record.toString());
        assertEquals(0, record.at("/restockedPieces/" + ring).asInt(), record.toString());
        List<JsonNode> restocks = new java.util.ArrayList<>();
        record.path("trail").forEach(line -> {
            if (line.path("action").asText().equals("order.restocked")) {
                restocks.add(line);
            }
        });
        assertEquals(1, restocks.size(), record.path("trail").toString());
        JsonNode before = ShopClient.JSON.readTree(restocks.get(0).path("before").asText());
        JsonNode after = ShopClient.JSON.readTree(restocks.get(0).path("after").asText());
        assertEquals(0, before.at("/restockedPieces/" + earrings).asInt(-1), before.toString());
        assertEquals(1, after.at("/restockedPieces/" + earrings).asInt(), after.toString());
        assertEquals(0, after.at("/restockedPieces/" + ring).asInt(-1), after.toString());
        assertEquals(1, after.at("/pieces/" + earrings).asInt(), after.toString());
        assertEquals(LocalAdmins.OWNER.username(), restocks.get(0).path("by").asText());
    }

    private static List<Integer> stock(String... skus) {
        return java.util.Arrays.stream(skus).map(sku -> shop.products().find(sku).orElseThrow().stock()).toList();
    }
}
