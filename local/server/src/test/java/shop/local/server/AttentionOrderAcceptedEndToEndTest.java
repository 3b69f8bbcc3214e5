package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;

/**
 * An order the shop's checkout did not make (a Payment Link: a session without our metadata),
 * paid through the Stripe stand-in, needs the owner; the owner accepts it through the local API
 * server: it becomes PAID, its piece leaves stock once, it is counted once, the customer gets one
 * confirmation however often the owner presses; then staff ship it and the shipping mail arrives.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class AttentionOrderAcceptedEndToEndTest {
    private static final String TRACKING = "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB";

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static OtherIntegration paymentLink;

    @BeforeAll
    static void start() {
        paymentLink = new OtherIntegration(aws);
    }

    @Test
    void theOwnerAcceptsAPaymentLinkOrderTheCustomerIsConfirmedOnceAndStaffShipIt() throws Exception {
        String sku = shop.piece(2);
        String email = ShopClient.email();
        long ordersBefore = shop.ordersToday();
        String id = sessionWithoutOurMetadata(sku, email);
        assertEquals(303, shop.payByCard(id).statusCode());
        ShopClient.await("order " + id + " needs attention", () -> shop.orders().find(id)
                .map(order -> order.status() == OrderStatus.NEEDS_ATTENTION).orElse(false));
        Order attention = shop.order(id);
        String attentionSubject = "Order " + attention.number() + " needs your attention";
        ShopClient.await("the owner's mail", () -> !shop.mailsTo(ShopClient.OWNER, attentionSubject).isEmpty());
        assertNull(attention.reservationId());
        assertEquals(2, shop.products().find(sku).orElseThrow().stock(), "nothing taken yet");
        String ownerToken = running.adminToken(LocalAdmins.OWNER.username());
        String staffToken = running.adminToken(LocalAdmins.STAFF.username());
        JsonNode before = ShopClient.json(shop.admin("/admin/orders/" + id, ownerToken));
        assertEquals("no_reservation", before.get("attentionReason").asText(), before.toString());

        HttpResponse<String> byStaff = shop.admin("POST", "/admin/orders/" + id + "/accept", staffToken, null);
        assertEquals(403, byStaff.statusCode(), byStaff.body());
        HttpResponse<String> accepted = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken,
                "{\"note\":\"Paid through our old Payment Link; the piece is here\"}");
        HttpResponse<String> again = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken, null);

        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("PAID", ShopClient.json(again).get("status").asText());
        assertEquals(OrderStatus.PAID, shop.order(id).status());
        assertEquals(1, shop.products().find(sku).orElseThrow().stock(), "its piece taken once");
        assertEquals(ordersBefore + 1, shop.ordersToday(), "counted once, when accepted");
        shop.awaitQueueDrained();
        List<SentMail> confirmations = shop.mailsTo(email, null).stream()
                .filter(mail -> mail.subject().startsWith("Your order ")).toList();
        assertEquals(1, confirmations.size(), "one confirmation: " + confirmations);
        assertTrue(confirmations.get(0).text().contains(attention.number()), confirmations.get(0).text());
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, "New order " + attention.number()).size(),
                "the shop's new-order mail, once: the order is now one to ship");
        JsonNode record = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals("order.accepted", record.at("/trail/0/action").asText(), record.toString());
        assertTrue(record.at("/trail/0/after").asText().contains("old Payment Link"), record.toString());
        assertEquals(1, record.get("trail").size(), "one acceptance");
        assertTrue(ShopClient.json(shop.admin("/admin/orders?status=PAID&limit=100", staffToken))
                .get("orders").findValuesAsText("id").contains(id), "now to ship");

        String parcel = "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\",\"trackingUrl\":\"" + TRACKING + "\"}";
        HttpResponse<String> shipped = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken, parcel);

        assertEquals(200, shipped.statusCode(), shipped.body());
        assertEquals("SHIPPED", ShopClient.json(shipped).get("status").asText());
        shop.awaitQueueDrained();
        List<SentMail> shipping = shop.mailsTo(email, null).stream()
                .filter(mail -> mail.subject().endsWith("is on its way")).toList();
        assertEquals(1, shipping.size(), "one shipping mail: " + shipping);
        assertTrue(shipping.get(0).text().contains(TRACKING), shipping.get(0).text());
        JsonNode done = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals(List.of("order.accepted", "order.shipped"), done.get("trail").findValuesAsText("action"));
        HttpResponse<String> late = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken, null);
        assertEquals(409, late.statusCode(), "a shipped order is no longer one to accept: " + late.body());
    }

    /**
     * The piece of a Payment Link order was archived (no longer sold): the owner's acceptance is a
     * 409 naming it as archived, with nothing taken, counted or mailed; accepted again with
     * {@code takeArchived}, the piece is taken, stays archived, and the customer is confirmed once.
     */
    @Test
    void anArchivedPieceIsTakenOnlyWhenTheOwnerSaysSo() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = sessionWithoutOurMetadata(sku, email);
        assertEquals(303, shop.payByCard(id).statusCode());
        ShopClient.await("order " + id + " needs attention", () -> shop.orders().find(id)
                .map(order -> order.status() == OrderStatus.NEEDS_ATTENTION).orElse(false));
        String ownerToken = running.adminToken(LocalAdmins.OWNER.username());
        assertEquals(200, shop.admin("POST", "/admin/products/" + sku + "/archive", ownerToken, null).statusCode());
        long ordersBefore = shop.ordersToday();

        HttpResponse<String> refused = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken, null);

        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(ShopClient.json(refused).get("detail").asText().contains(sku + " is archived"), refused.body());
        assertEquals(OrderStatus.NEEDS_ATTENTION, shop.order(id).status());
        assertEquals(1, shop.products().find(sku).orElseThrow().stock(), "nothing taken");
        assertEquals(ordersBefore, shop.ordersToday(), "nothing counted");
        HttpResponse<String> notABoolean = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken,
                "{\"takeArchived\":\"yes\"}");
        assertEquals(400, notABoolean.statusCode(), notABoolean.body());

        HttpResponse<String> accepted = shop.admin("POST", "/admin/orders/" + id + "/accept", ownerToken,
                "{\"takeArchived\":true,\"note\":\"Kept aside for her\"}");

        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals(OrderStatus.PAID, shop.order(id).status());
        assertEquals(0, shop.products().find(sku).orElseThrow().stock(), "the archived piece taken");
        assertTrue(!shop.products().find(sku).orElseThrow().active(), "and still not on sale");
        assertEquals(ordersBefore + 1, shop.ordersToday());
        assertTrue(ShopClient.json(accepted).at("/trail/0/after").asText().contains("\"takeArchived\":true"),
                accepted.body());
        shop.awaitQueueDrained();
        assertEquals(1, shop.mailsTo(email, null).stream().filter(mail -> mail.subject().startsWith("Your order ")).count(),
                "one confirmation");
    }

    /** A Checkout Session a Payment Link (or the Dashboard) makes: no reservation of ours in its metadata. */
    private static String sessionWithoutOurMetadata(String sku, String email) throws Exception {
        return paymentLink.session(sku, email, 18500L, null);
    }
}
