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
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;

/**
 * A shipment recorded with a typo in its tracking number, corrected by staff through the local API
 * server: the customer gets one mail with the right link however often the button is pressed or the
 * queue message delivered, the order's record shows the corrected shipment with its trail line, a
 * page that read the shipment before the correction is refused, and the customer's account shows the
 * right link.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class ShipmentCorrectionEndToEndTest {
    private static final String TYPO = "https://www.royalmail.com/track-your-item#/tracking-results/RM12345678GB";
    private static final String RIGHT = "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB";
    private static final String DHL = "https://www.dhl.com/en/express/tracking.html?AWB=JD014600006";

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
    void staffCorrectATrackingTypoAndTheCustomerGetsOneMailWithTheRightLink() throws Exception {
        String email = ShopClient.email();
        String id = shop.startCheckout(shop.piece(1), email);
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();
        HttpResponse<String> shipped = shop.admin("POST", "/admin/orders/" + id + "/shipment", staffToken,
                parcel("Royal Mail", "RM12345678GB", TYPO, null));
        assertEquals(200, shipped.statusCode(), shipped.body());
        String fulfilledAt = ShopClient.json(shipped).get("fulfilledAt").asText();
        shop.awaitQueueDrained();

        // Pressed twice (a double click that got through, or a retry of a lost answer): the same form both times.
        String correction = parcel("Royal Mail", "RM123456785GB", RIGHT, 0);
        HttpResponse<String> corrected = shop.admin("PUT", "/admin/orders/" + id + "/shipment", staffToken, correction);
        HttpResponse<String> again = shop.admin("PUT", "/admin/orders/" + id + "/shipment", staffToken, correction);
        assertEquals(200, corrected.statusCode(), corrected.body());
        assertEquals(200, again.statusCode(), again.body());
        // The queue delivers a message twice now and then: the same message once more.
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        aws.sqs().sendMessage(b -> b.queueUrl(queue)
                .messageBody("{\"type\":\"ShipmentCorrected\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}"));
        shop.awaitQueueDrained();

        List<SentMail> corrections = corrections(email);
        assertEquals(1, corrections.size(), "one correction mail: " + corrections);
        SentMail mail = corrections.get(0);
        assertTrue(mail.text().contains("was wrong"), mail.text());
        assertTrue(mail.text().contains("Follow it here: " + RIGHT), mail.text());
        assertTrue(mail.html().contains("href=\"" + RIGHT + "\""), mail.html());
        assertFalse(mail.text().contains("RM12345678GB"), "not the wrong number again");
        assertEquals(1, shop.mailsTo(email, null).stream().filter(m -> m.subject().endsWith("is on its way")).count(),
                "the shipping mail is not sent again");

        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals("SHIPPED", detail.get("status").asText());
        assertEquals(fulfilledAt, detail.get("fulfilledAt").asText(), "the parcel left when it left");
        assertEquals("RM123456785GB", detail.at("/shipment/trackingNumber").asText());
        assertEquals(RIGHT, detail.at("/shipment/trackingUrl").asText());
        assertEquals(1, detail.at("/shipment/corrections").asInt());
        assertEquals(LocalAdmins.STAFF.username(), detail.at("/shipment/correctedBy").asText(), detail.toString());
        assertEquals(2, detail.get("trail").size(), detail.get("trail").toString());
        JsonNode line = detail.at("/trail/1");
        assertEquals("order.shipment_corrected", line.get("action").asText());
        assertEquals(LocalAdmins.STAFF.username(), line.get("by").asText());
        assertTrue(line.get("before").asText().contains("RM12345678GB"), line.toString());
        assertTrue(line.get("after").asText().contains("RM123456785GB"), line.toString());
        JsonNode correctionMail = null;
        for (JsonNode m : detail.get("mails")) {
            if (m.get("kind").asText().equals("SHIPMENT_CORRECTED")) {
                correctionMail = m;
            }
        }
        assertTrue(correctionMail != null, detail.get("mails").toString());
        assertEquals("1", correctionMail.get("ref").asText());
        assertEquals("SENT", correctionMail.get("status").asText());

        // An owner's page still showing the shipment as first recorded: refused, nothing changed, no mail.
        HttpResponse<String> stale = shop.admin("PUT", "/admin/orders/" + id + "/shipment", ownerToken,
                parcel("DHL", "JD014600006", DHL, 0));
        assertEquals(409, stale.statusCode(), stale.body());
        assertEquals(RIGHT, ShopClient.json(shop.admin("/admin/orders/" + id, ownerToken)).at("/shipment/trackingUrl").asText());

        // Reloaded, the owner corrects it again: the second correction has its own mail.
        HttpResponse<String> second = shop.admin("PUT", "/admin/orders/" + id + "/shipment", ownerToken,
                parcel("DHL", "JD014600006", DHL, 1));
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(2, ShopClient.json(second).at("/shipment/corrections").asInt());
        shop.awaitQueueDrained();
        assertEquals(2, corrections(email).size());
        assertTrue(corrections(email).get(1).text().contains(DHL), corrections(email).get(1).text());
        assertEquals(OrderStatus.SHIPPED, shop.order(id).status());

        // The customer's account reads the stored shipment: the link as it is now.
        JsonNode account = ShopClient.json(shop.admin("/account", shop.signIn(email)));
        assertEquals(DHL, account.at("/orders/0/shipment/trackingUrl").asText(), account.toString());
    }

    @Test
    void anOrderNotShippedHasNoShipmentToCorrect() throws Exception {
        String email = ShopClient.email();
        String id = shop.startCheckout(shop.piece(1), email);
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();

        HttpResponse<String> refused = shop.admin("PUT", "/admin/orders/" + id + "/shipment", staffToken,
                parcel("Royal Mail", "RM123456785GB", RIGHT, 0));

        assertEquals(409, refused.statusCode(), refused.body());
        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals("PAID", detail.get("status").asText());
        assertFalse(detail.has("shipment"));
        assertEquals(0, detail.get("trail").size());
        assertEquals(404, shop.admin("PUT", "/admin/orders/cs_test_never_ordered_here/shipment", staffToken,
                parcel("Royal Mail", "RM123456785GB", RIGHT, 0)).statusCode());
    }

    private static List<SentMail> corrections(String email) {
        return shop.mailsTo(email, null).stream().filter(m -> m.subject().startsWith("Corrected tracking")).toList();
    }

    private static String parcel(String carrier, String number, String url, Integer corrections) {
        return "{\"carrier\":\"" + carrier + "\",\"trackingNumber\":\"" + number + "\",\"trackingUrl\":\"" + url + "\""
                + (corrections == null ? "" : ",\"corrections\":" + corrections) + "}";
    }
}
