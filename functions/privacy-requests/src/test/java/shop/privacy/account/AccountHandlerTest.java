package shop.privacy.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.Samples;
import shop.core.json.Json;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import shop.privacy.testing.Events;

/**
 * The account handler with its real adapters, fed the sample events of {@code events/privacy-requests/account-*}
 * against the local stand-ins: sign in with the mailed code, read the account, change it, sign out.
 */
@ExtendWith(LocalAwsExtension.class)
class AccountHandlerTest {
    private static LocalAws aws;
    private static Mailbox mailbox;
    private static AccountHandler handler;

    @BeforeAll
    static void start(LocalAws localAws, Mailbox localMailbox) {
        aws = localAws;
        mailbox = localMailbox;
        handler = new AccountHandler(aws.functionEnvironment("CustomerAccountFunction", Map.of()));
    }

    @Test
    void signInWithTheMailedCodeSeeTheOrderCorrectItAndSignOut() {
        String address = unique("walk");
        var orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        String orderId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(orderId, OrderStatus.PAID, address, "Ada Byron"), Instant.now().getEpochSecond() + 3600);

        String token = signIn(address);
        JsonNode account = json(call("account-overview.json", token, null));
        assertEquals(address, account.get("email").asText());
        assertEquals("not_subscribed", account.get("newsletter").asText());
        assertFalse(account.get("deactivated").asBoolean());
        assertEquals(1, account.get("orders").size());
        assertEquals("PAID", account.get("orders").get(0).get("status").asText());
        assertTrue(account.get("orders").get(0).get("correctable").asBoolean());

        var corrected = call("account-correct.json", token, null);
        assertEquals(200, corrected.getStatusCode(), corrected.getBody());
        assertEquals(1, json(corrected).get("counts").get("ordersCorrected").asInt());
        assertEquals("Brussels", orders.find(orderId).orElseThrow().shipping().city());
        assertTrue(mailbox.to(address).stream().anyMatch(m -> m.subject().contains("privacy request") && m.subject().contains("done")),
                "the result mail of a correction");

        assertEquals(204, call("account-sign-out.json", token, null).getStatusCode());
        var after = call("account-overview.json", token, null);
        assertEquals(401, after.getStatusCode());
        assertEquals("Bearer", after.getHeaders().get("www-authenticate"));
    }

    @Test
    void theSignInAnswerIsTheSameForAnAddressTheShopHasNeverSeen() {
        var known = call("account-sign-in.json", null, "{\"email\":\"" + unique("known") + "\"}");
        var unknown = call("account-sign-in.json", null, "{\"email\":\"" + unique("unknown") + "\"}");

        assertEquals(202, known.getStatusCode());
        assertEquals(known.getStatusCode(), unknown.getStatusCode());
        assertEquals(known.getBody(), unknown.getBody());
        assertEquals(known.getHeaders(), unknown.getHeaders());
    }

    @Test
    void withoutASessionEveryAccountRouteIs401AndChangesNothing() {
        for (String event : new String[] {"account-overview.json", "account-correct.json", "account-export.json",
                "account-newsletter.json", "account-deactivate.json", "account-reactivate.json", "account-delete.json"}) {
            var response = call(event, "A".repeat(43), null);
            assertEquals(401, response.getStatusCode(), event);
            assertEquals("application/problem+json", response.getHeaders().get("content-type"), event);
        }
    }

    @Test
    void deactivateNeedsItsConfirmationThenReactivateOpensCheckoutAgain() {
        String address = unique("deactivate");
        String token = signIn(address);

        var unconfirmed = call("account-deactivate.json", token, "{\"confirm\":\"yes\"}");
        assertEquals(400, unconfirmed.getStatusCode());
        assertEquals("confirm", json(unconfirmed).get("field").asText());
        assertFalse(json(call("account-overview.json", token, null)).get("deactivated").asBoolean());

        assertEquals(200, call("account-deactivate.json", token, null).getStatusCode());
        assertTrue(json(call("account-overview.json", token, null)).get("deactivated").asBoolean());
        assertEquals(200, call("account-reactivate.json", token, null).getStatusCode());
        assertFalse(json(call("account-overview.json", token, null)).get("deactivated").asBoolean());
    }

    @Test
    void subscribeFromTheAccountIsConfirmedAtOnceWithTheSessionAsProof() {
        String address = unique("subscribe");
        String token = signIn(address);

        var withoutAttestation = call("account-newsletter.json", token, "{\"subscribed\":true}");
        assertEquals(400, withoutAttestation.getStatusCode());
        assertEquals("ageConfirmed", json(withoutAttestation).get("field").asText());

        var subscribed = call("account-newsletter.json", token, null);
        assertEquals(200, subscribed.getStatusCode(), subscribed.getBody());
        assertEquals("subscribed", json(subscribed).get("newsletter").asText());
        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("SubscribersTable")).key(Map.of("pk",
                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("SUBSCRIBER#" + Samples.HASHER.hash(
                        new shop.core.email.EmailAddress(address)))))).item();
        assertEquals("account", item.get("consent").m().get("source").s());
        assertTrue(item.get("consent").m().containsKey("confirmedAt"));
        assertTrue(item.get("consent").m().get("ageConfirmed").bool());

        var unsubscribed = call("account-newsletter.json", token, "{\"subscribed\":false}");
        assertEquals("not_subscribed", json(unsubscribed).get("newsletter").asText());
    }

    @Test
    void theExportIsThereAtOnce() {
        String address = unique("export");
        String token = signIn(address);

        var export = call("account-export.json", token, null);

        assertEquals(200, export.getStatusCode(), export.getBody());
        assertTrue(json(export).get("download").asText().contains("/privacy/exports?token="));
    }

    @Test
    void pastTwentyChangesAnHourTheAccountAnswers429WithRetryAfterAndChangesNothing() {
        String address = unique("busy");
        String token = signIn(address);
        for (int i = 0; i < AccountService.CHANGES_PER_ADDRESS_PER_HOUR; i++) {
            assertEquals(200, call(i % 2 == 0 ? "account-deactivate.json" : "account-reactivate.json", token, null)
                    .getStatusCode(), "change " + (i + 1));
        }
        int mailsBefore = mailbox.to(address).size();

        var refused = call("account-deactivate.json", token, null);

        assertEquals(429, refused.getStatusCode(), refused.getBody());
        assertEquals("3600", refused.getHeaders().get("retry-after"));
        assertFalse(json(call("account-overview.json", token, null)).get("deactivated").asBoolean(), "not deactivated");
        assertEquals(mailsBefore, mailbox.to(address).size(), "no result mail for a refused change");
    }

    private static String signIn(String address) {
        assertEquals(202, call("account-sign-in.json", null, "{\"email\":\"" + address + "\"}").getStatusCode());
        SentMail mail = mailbox.to(address).get(mailbox.to(address).size() - 1);
        String code = SignInServiceTest.codeIn(mail.text());
        var verified = call("account-sign-in-verify.json", null, "{\"email\":\"" + address + "\",\"code\":\"" + code + "\"}");
        assertEquals(200, verified.getStatusCode(), verified.getBody());
        return json(verified).get("token").asText();
    }

    private static APIGatewayV2HTTPResponse call(String event, String token, String body) {
        APIGatewayV2HTTPEvent e = Events.http(event);
        Map<String, String> headers = new HashMap<>(e.getHeaders());
        if (token != null) {
            headers.put("authorization", "Bearer " + token);
        }
        e.setHeaders(headers);
        if (body != null) {
            e.setBody(body);
        }
        // Each call from its own network, so the per-IP limits of one run do not meet.
        e.getRequestContext().getHttp().setSourceIp("198.51.100." + (int) (Math.random() * 250));
        return handler.handleRequest(e, null);
    }

    private static String unique(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(response.getBody(), e);
        }
    }
}
