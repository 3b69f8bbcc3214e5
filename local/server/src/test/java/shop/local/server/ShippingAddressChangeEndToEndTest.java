package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;

/**
 * A customer writes that they typed their address wrong; staff change it on the paid order through the local API server:
 * the packing slip shows the new address, the trail has the change's line without any street, city or name in it, and the
 * customer gets one mail saying so however often the button is pressed or the queue message delivered. A shipped order's
 * address cannot be changed.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class ShippingAddressChangeEndToEndTest {
    private static final String PARIS = "{\"line1\":\"8 Rue de Rivoli\",\"line2\":\"Apt. 3\",\"postalCode\":\"75004\","
            + "\"city\":\"Paris\",\"country\":\"FR\"}";

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    private static String staffToken;

    @BeforeAll
    static void start() {
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @Test
    void staffChangeThePaidOrdersAddressAndTheSlipTheTrailAndOneMailSaySo() throws Exception {
        String email = ShopClient.email();
        String id = shop.startCheckout(shop.piece(1), email);
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();
        JsonNode asPaid = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        String street = asPaid.at("/shipping/line1").asText();
        String city = asPaid.at("/shipping/city").asText();
        assertFalse(street.isEmpty(), asPaid.get("shipping").toString());

        // Pressed twice (a double click that got through, or a retry of a lost answer): the same form both times.
        String form = "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS + ",\"shippingVersion\":\""
                + asPaid.get("shippingVersion").asText() + "\"}";
        HttpResponse<String> changed = shop.admin("PUT", "/admin/orders/" + id + "/shipping-address", staffToken, form);
        HttpResponse<String> again = shop.admin("PUT", "/admin/orders/" + id + "/shipping-address", staffToken, form);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(200, again.statusCode(), again.body());
        // The queue delivers a message twice now and then: the same message once more.
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        aws.sqs().sendMessage(b -> b.queueUrl(queue)
                .messageBody("{\"type\":\"ShippingAddressChanged\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}"));
        shop.awaitQueueDrained();

        JsonNode slip = ShopClient.json(shop.admin("/admin/orders/" + id + "/packing-slip", staffToken));
        assertEquals("Ada King", slip.get("name").asText(), slip.toString());
        assertEquals("8 Rue de Rivoli", slip.at("/shippingAddress/line1").asText());
        assertEquals("Apt. 3", slip.at("/shippingAddress/line2").asText());
        assertEquals("Paris", slip.at("/shippingAddress/city").asText());
        assertEquals("FR", slip.at("/shippingAddress/country").asText());

        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals("PAID", detail.get("status").asText());
        assertEquals("8 Rue de Rivoli", detail.at("/shipping/line1").asText());
        assertEquals("FR", detail.get("country").asText());
        assertEquals(1, detail.get("shippingChanges").asInt());
        assertEquals(LocalAdmins.STAFF.username(), detail.get("shippingChangedBy").asText());
        assertEquals(1, detail.get("trail").size(), detail.get("trail").toString());
        JsonNode line = detail.at("/trail/0");
        assertEquals("order.shipping_address_changed", line.get("action").asText());
        assertEquals(LocalAdmins.STAFF.username(), line.get("by").asText());
        assertEquals("{\"country\":\"" + asPaid.at("/shipping/country").asText() + "\"}", line.get("before").asText());
        assertTrue(line.get("after").asText().contains("\"country\":\"FR\""), line.toString());
        assertTrue(line.get("after").asText().contains("\"line1\""), "names the part that changed: " + line);
        for (String personal : List.of(street, city, "Rivoli", "Paris", "75004", "Apt", "Ada")) {
            assertFalse(line.toString().contains(personal), "no street, city or name in the trail: " + personal + " in " + line);
        }

        List<SentMail> told = changes(email);
        assertEquals(1, told.size(), "one mail about the change: " + told);
        SentMail mail = told.get(0);
        String number = detail.get("orderNumber").asText();
        assertEquals("The shipping address of your order " + number + " was changed", mail.subject());
        assertTrue(mail.text().contains("we changed the shipping address of your order " + number), mail.text());
        assertTrue(mail.text().contains("8 Rue de Rivoli"), mail.text());
        assertTrue(mail.text().contains("75004 Paris"), mail.text());
        assertTrue(mail.text().contains("If you did not ask for this, reply to this mail"), mail.text());
        JsonNode changeMail = null;
        for (JsonNode m : detail.get("mails")) {
            if (m.get("kind").asText().equals("SHIPPING_ADDRESS_CHANGED")) {
                changeMail = m;
            }
        }
        assertTrue(changeMail != null, detail.get("mails").toString());
        assertEquals("1", changeMail.get("ref").asText());
        assertEquals("SENT", changeMail.get("status").asText());

        // The page still showing the address as paid: refused, nothing changed, no mail.
        HttpResponse<String> stale = shop.admin("PUT", "/admin/orders/" + id + "/shipping-address", staffToken,
                form.replace("8 Rue de Rivoli", "1 Quai Voltaire"));
        assertEquals(409, stale.statusCode(), stale.body());
        shop.awaitQueueDrained();
        assertEquals("8 Rue de Rivoli", ShopClient.json(shop.admin("/admin/orders/" + id, staffToken)).at("/shipping/line1")
                .asText());
        assertEquals(1, changes(email).size());
    }

    @Test
    void aShippedOrdersAddressCannotBeChanged() throws Exception {
        String email = ShopClient.email();
        String id = shop.startCheckout(shop.piece(1), email);
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();
        String version = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken)).get("shippingVersion").asText();
        HttpResponse<String> shipped = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\","
                        + "\"trackingUrl\":\"https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB\"}");
        assertEquals(200, shipped.statusCode(), shipped.body());
        shop.awaitQueueDrained();

        HttpResponse<String> refused = shop.admin("PUT", "/admin/orders/" + id + "/shipping-address", staffToken,
                "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS + ",\"shippingVersion\":\"" + version + "\"}");

        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(ShopClient.json(refused).get("detail").asText().contains("has shipped"), refused.body());
        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertFalse(detail.at("/shipping/line1").asText().equals("8 Rue de Rivoli"));
        assertFalse(detail.has("shippingChanges"));
        assertEquals(List.of("order.shipped"), detail.get("trail").findValuesAsText("action"));
        shop.awaitQueueDrained();
        assertTrue(changes(email).isEmpty());
        assertEquals(404, shop.admin("PUT", "/admin/orders/cs_test_never_ordered_here/shipping-address", staffToken,
                "{\"name\":\"Ada King\",\"shippingAddress\":" + PARIS + ",\"shippingVersion\":\"" + version + "\"}")
                .statusCode());
    }

    private static List<SentMail> changes(String email) {
        return shop.mailsTo(email, null).stream().filter(m -> m.subject().contains("was changed")).toList();
    }
}
