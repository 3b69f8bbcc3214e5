package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.security.Tokens;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import shop.privacy.AuditEntry;
import shop.privacy.RequestStatus;
import shop.privacy.stores.DynamoRequestStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The customer account through the local API server: a shipped order shows its tracking link and
 * cannot be corrected, an unshipped one can; each change is a privacy request completed in the same
 * audit trail with the result mail and the owner's notice; the code locks after five wrong tries;
 * an erasure ends the session; a token is refused after sign-out, after 30 idle minutes and after 12 hours.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class AccountEndToEndTest {
    private static final String TRACKING = "https://www.royalmail.com/track-your-item#/tracking-results/RM123456785GB";

    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;

    @Test
    void ordersWithTrackingACorrectionOfTheUnshippedOneInTheAuditTrailAndAnErasureThatEndsTheSession() throws Exception {
        String email = ShopClient.email();
        String shipped = shop.paidOrder(email);
        String staff = running.adminToken(LocalAdmins.STAFF.username());
        assertEquals(200, shop.admin("POST", "/admin/orders/" + shipped + "/shipment", staff,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456785GB\",\"trackingUrl\":\"" + TRACKING + "\"}")
                .statusCode());
        String unshipped = shop.paidOrder(email);

        String token = shop.signIn(email);
        JsonNode account = ShopClient.json(shop.admin("/account", token));
        assertEquals(email, account.get("email").asText());
        JsonNode orders = account.get("orders");
        assertEquals(2, orders.size(), account.toString());
        JsonNode sent = find(orders, "SHIPPED");
        assertEquals(TRACKING, sent.at("/shipment/trackingUrl").asText());
        assertFalse(sent.get("correctable").asBoolean());
        JsonNode open = find(orders, "PAID");
        assertTrue(open.get("correctable").asBoolean());
        assertTrue(open.at("/items/0/name").asText().startsWith("Piece "), open.toString());

        HttpResponse<String> corrected = shop.admin("POST", "/account/corrections", token,
                "{\"correction\":{\"name\":\"Ada King\",\"shippingAddress\":{\"line1\":\"7 Rue Neuve\",\"postalCode\":\"69001\","
                        + "\"city\":\"Lyon\",\"country\":\"FR\"}}}");
        assertEquals(200, corrected.statusCode(), corrected.body());
        assertEquals("Lyon", shop.order(unshipped).shipping().city());
        assertEquals("Ada King", shop.order(unshipped).customerName());
        assertEquals("Portland", shop.order(shipped).shipping().city(), "a shipped order keeps its address");

        // The same system as an emailed-link request: completed, its trail, the result mail, the owner's notice.
        String requestId = ShopClient.json(corrected).get("requestId").asText();
        var requests = new DynamoRequestStore(aws.dynamo(), aws.physicalName("PrivacyRequestsTable"), Clock.systemUTC());
        var request = requests.find(requestId).orElseThrow();
        assertEquals(RequestStatus.COMPLETED, request.status());
        assertEquals("account", request.source());
        assertTrue(request.email().isEmpty(), "the address is forgotten once the request is closed");
        List<AuditEntry> trail = requests.audit(requestId);
        assertEquals(List.of("received", "verified", "step_done", "carried_out", "result_mailed", "completed"),
                trail.stream().map(AuditEntry::event).toList());
        assertEquals("step=orders ordersCorrected=1", trail.get(2).detail());
        assertTrue(trail.get(1).detail().contains("signed in"), trail.get(1).detail());
        assertTrue(mail(email, "Your privacy request").text().contains("corrected 1 order"));
        assertTrue(mail(ShopClient.OWNER, "(" + requestId + ")").subject().startsWith("[privacy] correct request completed"));

        // Erasure: the orders lose the person's data, and the session ends with it.
        HttpResponse<String> deleted = shop.admin("POST", "/account/delete", token, "{\"confirm\":\"delete\"}");
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(2, ShopClient.json(deleted).at("/counts/ordersAnonymised").asInt());
        assertEquals(1, ShopClient.json(deleted).at("/counts/ordersKeepingShippingUntilShipped").asInt());
        assertEquals(null, shop.order(unshipped).customerEmail());
        assertEquals("Ada King", shop.order(unshipped).customerName(), "still to ship: the name stays until it ships");
        assertEquals("Lyon", shop.order(unshipped).shipping().city());
        assertEquals(null, shop.order(shipped).customerName());
        assertEquals(null, shop.order(shipped).shipping().city());
        assertEquals(200, shop.admin("POST", "/admin/orders/" + unshipped + "/shipment", staff,
                "{\"carrier\":\"Royal Mail\",\"trackingNumber\":\"RM123456786GB\",\"trackingUrl\":\"" + TRACKING + "\"}")
                .statusCode());
        assertEquals(null, shop.order(unshipped).customerName(), "shipped: the name goes");
        assertEquals(null, shop.order(unshipped).shipping().city());
        assertEquals("FR", shop.order(unshipped).country());
        assertEquals(401, shop.admin("/account", token).statusCode());
    }

    @Test
    void aWrongCodeFiveTimesLocksThatCodeAndANewOneWorks() throws Exception {
        String email = ShopClient.email();
        askForCode(email);
        String code = AccountBrowserTest.code(mail(email, "sign-in code").text());
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> refused = verify(email, wrong);
            assertEquals(401, refused.statusCode(), refused.body());
            assertEquals("Bearer", refused.headers().firstValue("www-authenticate").orElse(""));
        }

        assertEquals(401, verify(email, code).statusCode(), "the right code after five wrong tries");

        askForCode(email);
        String fresh = AccountBrowserTest.code(newest(email, "sign-in code").text());
        assertEquals(200, verify(email, fresh).statusCode());
    }

    @Test
    void aStolenTokenIsRefusedAfterSignOut() throws Exception {
        String email = ShopClient.email();
        String token = shop.signIn(email);
        assertEquals(200, shop.admin("/account", token).statusCode());

        assertEquals(204, shop.admin("POST", "/account/sign-out", token, null).statusCode());

        HttpResponse<String> stolen = shop.admin("/account", token);
        assertEquals(401, stolen.statusCode());
        assertEquals("application/problem+json", stolen.headers().firstValue("content-type").orElse(""));
        assertEquals(401, shop.admin("POST", "/account/export", token, null).statusCode());
    }

    @Test
    void aStolenTokenIsRefusedAfterThirtyIdleMinutesAndAfterTwelveHours() throws Exception {
        String idle = shop.signIn(ShopClient.email());
        String old = shop.signIn(ShopClient.email());
        assertEquals(200, shop.admin("/account", idle).statusCode());
        assertEquals(200, shop.admin("/account", old).statusCode());

        // The stored sessions as they are after 30 minutes without a request, and after 12 hours of requests.
        long now = System.currentTimeMillis();
        age(idle, "lastSeenAt", now - Duration.ofMinutes(30).plusSeconds(5).toMillis());
        age(old, "startedAt", now - Duration.ofHours(12).plusSeconds(5).toMillis());

        assertEquals(401, shop.admin("/account", idle).statusCode(), "30 idle minutes end the session");
        assertEquals(401, shop.admin("POST", "/account/export", idle, null).statusCode());
        assertEquals(401, shop.admin("/account", old).statusCode(), "12 hours end it, however busy");
    }

    /** Moves one time of the session {@code token} names back, as if that time had passed. */
    private static void age(String token, String attribute, long epochMillis) {
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("CustomerAccountsTable"))
                .key(Map.of("pk", AttributeValue.fromS("SESSION#" + Tokens.hash(token))))
                .updateExpression("SET #at = :at")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#at", attribute))
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(epochMillis)))));
    }

    @Test
    void anErasureEndsEverySessionOfTheAddressOnEveryDevice() throws Exception {
        // Deleted from the phone: the laptop's session ends too, and another person's goes on.
        String email = ShopClient.email();
        String phone = shop.signIn(email);
        String laptop = shop.signIn(email);
        String someoneElse = shop.signIn(ShopClient.email());
        HttpResponse<String> deleted = shop.admin("POST", "/account/delete", phone, "{\"confirm\":\"delete\"}");
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(401, shop.admin("/account", phone).statusCode());
        assertEquals(401, shop.admin("/account", laptop).statusCode(), "the other device's session ended with the erasure");
        assertEquals(200, shop.admin("/account", someoneElse).statusCode());

        // Erased through the emailed link, by someone who is signed in elsewhere.
        String other = ShopClient.email();
        String session = shop.signIn(other);
        assertEquals(200, running.person().requestAndConfirm(other, "delete", null).statusCode());
        assertEquals(401, shop.admin("/account", session).statusCode(), "an emailed-link erasure ends the sessions too");
    }

    @Test
    void deactivationClosesCheckoutToTheAddressUntilReactivated() throws Exception {
        String email = ShopClient.email();
        String piece = shop.piece(2);
        String token = shop.signIn(email);

        assertEquals(200, shop.admin("POST", "/account/deactivate", token, "{\"confirm\":\"deactivate\"}").statusCode());
        HttpResponse<String> refused = shop.checkout(piece, 1, email);
        assertEquals(409, refused.statusCode(), refused.body());

        assertEquals(200, shop.admin("POST", "/account/reactivate", token, "{\"confirm\":\"reactivate\"}").statusCode());
        assertEquals(201, shop.checkout(piece, 1, email).statusCode());
    }

    @Test
    void theEmailAddressChangesOnlyOnceTheNewAddressHasProvenItselfWithACode() throws Exception {
        String old = ShopClient.email();
        String order = shop.paidOrder(old);
        String fresh = ShopClient.email();
        String token = shop.signIn(old);
        String otherDevice = shop.signIn(old);

        HttpResponse<String> asked = shop.admin("POST", "/account/email", token, "{\"email\":\"" + fresh + "\"}");
        assertEquals(202, asked.statusCode(), asked.body());
        String code = AccountBrowserTest.code(newest(fresh, "confirms your new address").text());
        String wrong = code.equals("000000") ? "000001" : "000000";
        HttpResponse<String> refused = shop.admin("POST", "/account/email/verify", token,
                "{\"email\":\"" + fresh + "\",\"code\":\"" + wrong + "\"}");
        assertEquals(403, refused.statusCode(), refused.body());
        HttpResponse<String> otherAddress = shop.admin("POST", "/account/email/verify", token,
                "{\"email\":\"" + ShopClient.email() + "\",\"code\":\"" + code + "\"}");
        assertEquals(403, otherAddress.statusCode(), "the code proves only the address it was mailed to");
        assertEquals(old, shop.order(order).customerEmail(), "nothing moved before the code came back");

        HttpResponse<String> moved = shop.admin("POST", "/account/email/verify", token,
                "{\"email\":\"" + fresh + "\",\"code\":\"" + code + "\"}");
        assertEquals(200, moved.statusCode(), moved.body());
        assertEquals(fresh, shop.order(order).customerEmail());
        assertEquals(401, shop.admin("/account", token).statusCode(), "the old address's session ended");
        assertEquals(401, shop.admin("/account", otherDevice).statusCode(), "and its session on another device");
        assertTrue(newest(old, "Your privacy request").text().contains("email address was changed"),
                "the old address is told");

        JsonNode account = ShopClient.json(shop.admin("/account", shop.signIn(fresh)));
        assertEquals(1, account.get("orders").size(), account.toString());
        assertEquals(0, ShopClient.json(shop.admin("/account", shop.signIn(old))).get("orders").size());
    }

    /**
     * Issue 13, finding 8, from the account: the signed-in export and erasure are access and
     * erasure requests as the emailed-link ones are, so they cover the visit-log lines of the IP
     * they were made from, and no other IP's. Before, the account's export listed no IP at all
     * (while saying it covers the request's IPs) and its erasure left the visit log whole.
     */
    @Test
    void theAccountsExportAndErasureCoverTheVisitLogLinesOfTheIpTheyWereMadeFrom() throws Exception {
        String email = ShopClient.email();
        String ip = LoopbackClient.newAddress();
        String elsewhere = LoopbackClient.newAddress();
        String path = "/rings/visited-" + UUID.randomUUID();
        for (String from : List.of(ip, elsewhere)) {
            HttpResponse<String> beacon = LoopbackClient.send(from, "POST", running.baseUri().resolve("/visits"),
                    Map.of("content-type", "text/plain;charset=UTF-8", "user-agent", "e2e-browser/1.0"),
                    "{\"path\":\"" + path + "\"}");
            assertEquals(2, beacon.statusCode() / 100, beacon.body());
        }
        String token = shop.signIn(email);

        HttpResponse<String> exported = LoopbackClient.send(ip, "POST", running.baseUri().resolve("/account/export"),
                Map.of("authorization", "Bearer " + token), null);
        assertEquals(200, exported.statusCode(), exported.body());
        var requests = new DynamoRequestStore(aws.dynamo(), aws.physicalName("PrivacyRequestsTable"), Clock.systemUTC());
        String exportKey = requests.find(ShopClient.json(exported).get("requestId").asText()).orElseThrow()
                .exportKey().orElseThrow();
        JsonNode export = PrivacyClient.JSON.readTree(aws.s3().getObjectAsBytes(b -> b.bucket(aws.physicalName("ExportsBucket"))
                .key(exportKey)).asUtf8String());
        assertEquals(ip, export.at("/visitLog/sourceIps/0").asText(), export.toString());
        assertEquals(1, export.at("/visitLog/sourceIps").size(), export.toString());
        List<JsonNode> lines = new java.util.ArrayList<>();
        export.at("/visitLog/lines").forEach(lines::add);
        assertTrue(lines.stream().anyMatch(line -> line.get("path").asText().equals(path)), export.toString());
        assertTrue(lines.stream().allMatch(line -> line.get("sourceIp").asText().equals(ip)), "only the requester's IP");

        HttpResponse<String> deleted = LoopbackClient.send(ip, "POST", running.baseUri().resolve("/account/delete"),
                Map.of("authorization", "Bearer " + token, "content-type", "application/json"), "{\"confirm\":\"delete\"}");
        assertEquals(200, deleted.statusCode(), deleted.body());
        List<String> left = new java.util.ArrayList<>();
        for (var page : aws.dynamo().scanPaginator(b -> b.tableName(aws.physicalName("VisitsTable")))) {
            page.items().stream().filter(item -> item.get("pk").s().startsWith("LOG#") && item.containsKey("path")
                    && item.get("path").s().equals(path)).forEach(item -> left.add(item.get("sourceIp").s()));
        }
        assertEquals(List.of(elsewhere), left, "the requester's line erased, another IP's kept");
    }

    private static void askForCode(String email) throws Exception {
        HttpResponse<String> asked = shop.admin("POST", "/account/sign-in", null, "{\"email\":\"" + email + "\"}");
        assertEquals(202, asked.statusCode(), asked.body());
    }

    private static HttpResponse<String> verify(String email, String code) throws Exception {
        return shop.admin("POST", "/account/sign-in/verify", null, "{\"email\":\"" + email + "\",\"code\":\"" + code + "\"}");
    }

    private static JsonNode find(JsonNode orders, String status) {
        for (JsonNode order : orders) {
            if (order.get("status").asText().equals(status)) {
                return order;
            }
        }
        throw new AssertionError("no " + status + " order in " + orders);
    }

    private static SentMail mail(String to, String subjectPart) {
        return aws.mailbox().to(to).stream().filter(m -> m.subject().contains(subjectPart)).findFirst()
                .orElseThrow(() -> new AssertionError("no mail '" + subjectPart + "' to " + to));
    }

    private static SentMail newest(String to, String subjectPart) {
        return aws.mailbox().to(to).stream().filter(m -> m.subject().contains(subjectPart)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no mail '" + subjectPart + "' to " + to));
    }
}
