package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;

/**
 * A customer mistypes their address at the checkout; the confirmation bounces, SES reports it, and the owner is mailed
 * to reach them another way and correct the email in the back office. Staff correct it on the order through the local
 * API server (pressed twice, the message delivered twice): the corrected address gets the order's mail once, the
 * mistyped one nothing more; the back office's search by the corrected address finds the order and by the old one no
 * longer does; the trail names who and holds no address; a correction back to the address that bounced is refused.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class CustomerEmailCorrectionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static LocalFunctions functions;
    private static String staffToken;

    @BeforeAll
    static void start() {
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @Test
    void theOwnerHearsOfTheBounceStaffCorrectTheEmailAndTheRightAddressGetsTheOrderOnce() throws Exception {
        String mistyped = "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@gmial.com";
        String right = "ada-" + UUID.randomUUID().toString().substring(0, 8) + "@gmail.com";
        String id = shop.startCheckout(shop.piece(1), mistyped);
        assertEquals(303, shop.payByCard(id).statusCode());
        shop.awaitQueueDrained();
        JsonNode asPaid = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        String number = asPaid.get("orderNumber").asText();
        assertEquals(mistyped, asPaid.get("customerEmail").asText());
        List<SentMail> confirmations = shop.mailsTo(mistyped, null);
        assertEquals(1, confirmations.size(), confirmations.toString());

        // SES reports the confirmation's permanent bounce: the owner is told, the address suppressed.
        bounced(confirmations.get(0), mistyped, number);
        List<SentMail> toOwner = aws.mailbox().all().stream()
                .filter(m -> m.subject().equals("Order " + number + ": the customer's mail bounced")).toList();
        assertEquals(1, toOwner.size(), "the owner hears of the bounce once");
        assertTrue(toOwner.get(0).text().contains(mistyped), toOwner.get(0).text());
        assertTrue(toOwner.get(0).text().contains("reach them another way"), toOwner.get(0).text());
        assertTrue(toOwner.get(0).text().contains("correct the email on the order in the back office"),
                toOwner.get(0).text());

        // Staff press twice (a double click that got through, or a retry of a lost answer): the same form both times.
        String form = "{\"email\":\"" + right.toUpperCase() + "\",\"emailVersion\":\"" + asPaid.get("emailVersion").asText()
                + "\"}";
        HttpResponse<String> changed = shop.admin("PUT", "/admin/orders/" + id + "/email", staffToken, form);
        HttpResponse<String> again = shop.admin("PUT", "/admin/orders/" + id + "/email", staffToken, form);
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(200, again.statusCode(), again.body());
        // The queue delivers a message twice now and then: the same message once more.
        String queue = aws.queueUrl(aws.template(), "OrderNotificationQueue");
        aws.sqs().sendMessage(b -> b.queueUrl(queue)
                .messageBody("{\"type\":\"OrderEmailChanged\",\"orderId\":\"" + id + "\",\"ref\":\"1\"}"));
        shop.awaitQueueDrained();

        List<SentMail> toRight = shop.mailsTo(right, null);
        assertEquals(1, toRight.size(), "one mail to the corrected address: " + toRight);
        SentMail mail = toRight.get(0);
        assertEquals(confirmations.get(0).subject(), mail.subject(), "the order's subject, as the confirmation had it");
        assertTrue(mail.subject().startsWith("Your order " + number + " at "), mail.subject());
        assertTrue(mail.text().contains("we corrected the email address we had for your order " + number), mail.text());
        assertTrue(mail.text().contains(asPaid.at("/shipping/line1").asText()), mail.text());
        assertTrue(mail.text().contains("Total: "), mail.text());
        assertEquals(List.of(right), mail.to());
        assertEquals(1, shop.mailsTo(mistyped, null).size(), "nothing more to the address that bounced");

        JsonNode detail = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals(right, detail.get("customerEmail").asText());
        assertEquals(1, detail.get("emailChanges").asInt());
        assertEquals(LocalAdmins.STAFF.username(), detail.get("emailChangedBy").asText());
        assertEquals(1, detail.get("trail").size(), detail.get("trail").toString());
        JsonNode line = detail.at("/trail/0");
        assertEquals("order.email_changed", line.get("action").asText());
        assertEquals(LocalAdmins.STAFF.username(), line.get("by").asText(), "the trail names who");
        assertEquals("{\"change\":0,\"bounced\":true}", line.get("before").asText());
        assertEquals("{\"change\":1}", line.get("after").asText());
        for (String address : List.of(mistyped, right, "gmial", "gmail")) {
            assertFalse(line.toString().contains(address), "no address in the trail: " + address + " in " + line);
        }
        JsonNode correctionMail = null;
        for (JsonNode m : detail.get("mails")) {
            if (m.get("kind").asText().equals("EMAIL_CHANGED")) {
                correctionMail = m;
            }
        }
        assertTrue(correctionMail != null, detail.get("mails").toString());
        assertEquals("1", correctionMail.get("ref").asText());
        assertEquals("SENT", correctionMail.get("status").asText());

        // The back office's search (the byEmailHash index the privacy requests read too) moved with the address.
        assertTrue(search(right).contains(id), "the corrected address finds the order");
        assertFalse(search(mistyped).contains(id), "the old address no longer does");

        // Back to the address that bounced: refused before anything is written, saying why.
        HttpResponse<String> back = shop.admin("PUT", "/admin/orders/" + id + "/email", staffToken,
                "{\"email\":\"" + mistyped + "\",\"emailVersion\":\"" + detail.get("emailVersion").asText() + "\"}");
        assertEquals(409, back.statusCode(), back.body());
        assertTrue(ShopClient.json(back).get("detail").asText().contains("bounced"), back.body());
        shop.awaitQueueDrained();
        JsonNode after = ShopClient.json(shop.admin("/admin/orders/" + id, staffToken));
        assertEquals(right, after.get("customerEmail").asText());
        assertEquals(1, after.get("trail").size());
        assertEquals(1, shop.mailsTo(mistyped, null).size());
    }

    /** The orders the back office's search by {@code email} lists, as the page receives them. */
    private static List<String> search(String email) throws Exception {
        JsonNode found = ShopClient.json(shop.admin("/admin/orders?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8),
                staffToken));
        return found.get("orders").findValuesAsText("id");
    }

    /** SES's bounce event for {@code mail} (events/campaigns' sample, made this mail's) through the feedback function. */
    private static void bounced(SentMail mail, String to, String number) throws Exception {
        Path events = Path.of(System.getProperty("user.dir")).resolve("../../events/campaigns").normalize();
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(events.resolve("ses-order-mail-bounce.json")));
        ObjectNode detail = (ObjectNode) event.get("detail");
        ObjectNode sesMail = (ObjectNode) detail.get("mail");
        sesMail.put("messageId", mail.messageId());
        sesMail.putArray("destination").add(to);
        for (JsonNode header : sesMail.get("headers")) {
            if (header.get("name").asText().equals("X-Shop-Order")) {
                ((ObjectNode) header).put("value", number);
            }
        }
        ((ObjectNode) sesMail.get("commonHeaders")).put("subject", mail.subject());
        ((ObjectNode) detail.get("bounce").get("bouncedRecipients").get(0)).put("emailAddress", to);
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
    }
}
