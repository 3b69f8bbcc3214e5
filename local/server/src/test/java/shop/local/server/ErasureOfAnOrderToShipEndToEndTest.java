package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;

/**
 * Issue 14: an erasure confirmed while a paid order is still to ship. The order loses the email
 * and everything else personal at once, but keeps the name and shipping address the packer and
 * the carrier need; shipping it, or refunding it in full (by the owner or in the Stripe
 * Dashboard), removes them. A shipped order is erased whole at once, as before. Through the local
 * API server: the emailed-link request, the back office's packing slip, shipment and refund, and
 * Stripe's signed charge.refunded webhook.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class ErasureOfAnOrderToShipEndToEndTest {
    private static final String PARCEL = "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\","
            + "\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB\"}";

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static PrivacyClient person;
    private static String staffToken;
    private static String ownerToken;

    @BeforeAll
    static void start() {
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
    }

    @AfterAll
    static void drain() throws InterruptedException {
        shop.awaitQueueDrained();
    }

    @Test
    void anOrderToShipKeepsNameAndAddressForThePackerUntilStaffShipIt() throws Exception {
        String email = ShopClient.email();
        String name = "Keeper " + UUID.randomUUID().toString().substring(0, 8);
        String shipped = shop.paidOrder(email, name);
        assertEquals(200, ship(shipped).statusCode());
        String toShip = shop.paidOrder(email, name);

        HttpResponse<String> done = person.requestAndConfirm(email, "delete", null);

        assertEquals(200, done.statusCode(), done.body());
        assertTrue(done.body().contains("1 of these order(s) are paid and not shipped yet"), done.body());
        String result = person.newest(email, "Your privacy request").text();
        assertTrue(result.contains("2 order(s) no longer carry your name"), result);
        assertTrue(result.contains("1 of these order(s) are paid and not shipped yet: they keep your name and shipping"
                + " address"), result);
        assertEquals(Set.of(), person.storesHolding(email), "no table or bucket holds the address");
        assertEquals(Set.of("OrdersTable"), person.storesHolding(name), "only the order still to ship holds the name");
        assertErasedWhole(shop.order(shipped), "the shipped order is erased whole at once");

        Order kept = shop.order(toShip);
        assertEquals(OrderStatus.PAID, kept.status());
        assertNull(kept.customerEmail());
        assertEquals(name, kept.customerName());
        assertEquals("12 Harbor Road", kept.shipping().line1());
        assertNull(kept.billing() == null ? null : kept.billing().line1(), "the billing address goes at once");
        HttpResponse<String> slip = shop.admin("/admin/orders/" + toShip + "/packing-slip", staffToken);
        assertEquals(200, slip.statusCode(), slip.body());
        JsonNode packing = ShopClient.json(slip);
        assertEquals(name, packing.get("name").asText(), slip.body());
        assertEquals("12 Harbor Road", packing.at("/shippingAddress/line1").asText(), slip.body());
        HttpResponse<String> record = shop.admin("/admin/orders/" + toShip, staffToken);
        JsonNode detail = ShopClient.json(record);
        assertFalse(record.body().toLowerCase(java.util.Locale.ROOT).contains(email), record.body());
        assertTrue(detail.hasNonNull("erasedAt"), record.body());
        assertTrue(detail.hasNonNull("shippingKeptUntilDone"), record.body());
        assertTrue(ShopClient.json(shop.admin("/admin/orders?status=PAID&limit=100", staffToken))
                .get("orders").findValuesAsText("id").contains(toShip), "still in \"to ship\"");
        String requestId = person.newestRequestOf(PrivacyClient.hashOf(email)).get("requestId").s();
        String owner = shop.mailsTo(ShopClient.OWNER, "(" + requestId + ")").get(0).text();
        assertTrue(owner.contains("1 paid order(s) still to ship keep the customer's name and shipping address"), owner);
        assertTrue(owner.contains("ordersKeepingShippingUntilShipped=1"), owner);

        HttpResponse<String> shipment = ship(toShip);
        HttpResponse<String> again = ship(toShip);

        assertEquals(200, shipment.statusCode(), shipment.body());
        assertEquals(200, again.statusCode(), again.body());
        assertFalse(shipment.body().contains(name) || shipment.body().contains("Harbor"), shipment.body());
        assertErasedWhole(shop.order(toShip), "shipped: the name and address go");
        assertEquals(OrderStatus.SHIPPED, shop.order(toShip).status());
        assertFalse(shop.admin("/admin/orders/" + toShip, staffToken).body().contains("shippingKeptUntilDone"));
        assertEquals(Set.of(), person.storesHolding(name), "no store holds the name any more");
        shop.awaitQueueDrained();
        String number = shop.order(toShip).number();
        assertEquals(List.of(), shop.mailsTo(email, null).stream().filter(m -> m.subject().endsWith("is on its way"))
                .filter(m -> m.subject().contains(number)).toList(), "no address to send the shipping mail to");
        assertEquals(1, shop.mailsTo(email, null).stream().filter(m -> m.subject().endsWith("is on its way")).count(),
                "only the order shipped before the erasure was mailed");
        assertFalse(ShopClient.json(shop.admin("/admin/orders/" + toShip, staffToken)).get("mails").findValuesAsText("kind")
                .contains("ORDER_SHIPPED"), "no shipping mail recorded either");
    }

    @Test
    void anOrderToShipRefundedInFullByTheOwnerOrInTheDashboardLosesNameAndAddressThen() throws Exception {
        String email = ShopClient.email();
        String name = "Refunded " + UUID.randomUUID().toString().substring(0, 8);
        String byOwner = shop.paidOrder(email, name);
        String inDashboard = shop.paidOrder(email, name);

        assertEquals(200, person.requestAndConfirm(email, "delete", null).statusCode());
        assertEquals(name, shop.order(byOwner).customerName());
        assertEquals("12 Harbor Road", shop.order(inDashboard).shipping().line1());

        HttpResponse<String> refund = shop.admin("POST", "/admin/orders/" + byOwner + "/refunds", ownerToken,
                "{\"reason\":\"requested_by_customer\",\"restock\":false}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertEquals(201, refund.statusCode(), refund.body());
        assertEquals(OrderStatus.REFUNDED, shop.order(byOwner).status());
        assertErasedWhole(shop.order(byOwner), "refunded in full by the owner: the name and address go");
        assertEquals(name, shop.order(inDashboard).customerName(), "the other order is still to ship");

        long total = shop.order(inDashboard).totals().total().amount();
        assertEquals(200, shop.webhook(aws.stripe().dashboardRefund(inDashboard, total)).statusCode());

        ShopClient.await("the Dashboard's refund recorded", () -> shop.order(inDashboard).status() == OrderStatus.REFUNDED);
        assertErasedWhole(shop.order(inDashboard), "refunded in full in the Dashboard: the name and address go");
        assertEquals(Set.of(), person.storesHolding(name), "no store holds the name any more");
        assertEquals(Set.of(), person.storesHolding(email));
        shop.awaitQueueDrained();
        assertEquals(List.of(), shop.mailsTo(email, null).stream().filter(m -> m.subject().startsWith("Refund for your order"))
                .toList(), "no address to send the refund mail to");
    }

    private static void assertErasedWhole(Order order, String message) {
        assertNull(order.customerEmail(), message);
        assertNull(order.customerName(), message);
        assertTrue(order.shipping() == null || order.shipping().lines().stream().noneMatch(l -> l.contains("Harbor")),
                message + ": " + order.shipping());
        assertNull(order.shipping() == null ? null : order.shipping().name(), message);
        assertEquals("US", order.country(), "the country stays for tax");
    }

    private static HttpResponse<String> ship(String id) throws Exception {
        return shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken, PARCEL);
    }
}
