package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn.Outage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The owner's privacy tab through the local API server, its JWT authorizer and the local
 * Cognito users: an erasure confirmed while Stripe is down fails; the owner sees it open with
 * its days left and its trail, tries it again once Stripe is back, and it completes with the
 * person's result mail and the owner's notice; a second press is 409; staff see nothing.
 */
@ExtendWith(LocalAwsExtension.class)
class PrivacyBackOfficeEndToEndTest {
    private static LocalAws aws;
    private static RunningShop running;
    private static ShopClient shop;
    private static PrivacyClient person;
    private static String ownerToken;
    private static String staffToken;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        SourceIpLimits.startFresh(aws);
        running = RunningShop.start(new LocalFunctions(aws, aws.template(), Map.of()));
        shop = running.shop();
        person = running.person();
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @AfterEach
    void stripeIsBack() {
        aws.stripe().outage(Outage.NONE);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void anErasureThatFailedIsListedForTheOwnerAndTryingItAgainCompletesItOnce() throws Exception {
        String email = address("erase");
        person.subscribe(email);
        String id = failedErasure(email);
        assertEquals(1, mailsTo(ShopClient.OWNER, "delete request FAILED (" + id + ")").size());

        HttpResponse<String> list = shop.admin("/admin/privacy-requests", ownerToken);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals("no-store", list.headers().firstValue("cache-control").orElse(""));
        JsonNode listed = byId(ShopClient.json(list), id);
        assertEquals("failed", listed.get("status").asText());
        assertEquals("delete", listed.get("type").asText());
        assertEquals(30, listed.get("daysLeft").asInt());
        assertFalse(listed.get("overdue").asBoolean());
        assertEquals(email, listed.get("email").asText(), "the owner may have to write to the person");
        List<String> events = events(listed);
        assertEquals(List.of("received", "verification_mailed", "verified", "failed"), events);
        assertTrue(listed.get("trail").findValuesAsText("detail").stream().noneMatch(d -> d.contains("@")),
                "no address in the trail");

        assertEquals(403, shop.admin("/admin/privacy-requests", staffToken).statusCode());
        assertEquals(403, shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", staffToken, null).statusCode());
        assertEquals(401, shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", null, null).statusCode());
        assertEquals("FAILED", stored(id).get("status").s(), "staff changed nothing");
        int personMails = aws.mailbox().to(email).size();

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);

        assertEquals(200, retried.statusCode(), retried.body());
        JsonNode done = ShopClient.json(retried);
        assertEquals("completed", done.get("status").asText());
        assertFalse(done.has("email"), "a completed request forgets the address");
        assertEquals(List.of("retried", "carried_out", "result_mailed", "completed"),
                events(done).subList(events(done).indexOf("retried"), events(done).size()));
        Map<String, AttributeValue> request = stored(id);
        assertEquals("COMPLETED", request.get("status").s());
        assertFalse(request.containsKey("email"));
        assertEquals(personMails + 1, aws.mailbox().to(email).size());
        SentMail result = person.newest(email, "Your privacy request");
        assertTrue(result.subject().endsWith("is done"), result.subject());
        assertEquals(1, mailsTo(ShopClient.OWNER, "delete request completed (" + id + ")").size());
        assertTrue(person.storesHolding(email).isEmpty(), "the erasure reached every store: " + person.storesHolding(email));

        HttpResponse<String> again = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);
        assertEquals(409, again.statusCode(), again.body());
        assertTrue(ShopClient.json(again).get("detail").asText().contains("this one is completed"), again.body());
        assertEquals(personMails + 1, aws.mailbox().to(email).size(), "no second result mail");

        List<AdminAction> lines = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC())
                .of("PRIVACY_REQUEST#" + id);
        assertEquals(1, lines.size(), lines.toString());
        assertEquals("privacy_request.retried", lines.get(0).action());
        assertEquals("{\"status\":\"failed\"}", lines.get(0).before());
        assertFalse(lines.get(0).actor().isBlank());
        assertFalse(lines.get(0).actorName().equals(LocalAdmins.STAFF.username()));

        JsonNode after = ShopClient.json(shop.admin("/admin/privacy-requests", ownerToken));
        assertTrue(after.get("requests").findValuesAsText("id").stream().noneMatch(id::equals), "no longer open");
    }

    @Test
    void twoPressesAtOnceRunTheRequestOnce() throws Exception {
        String email = address("twice");
        String id = failedErasure(email);
        int personMails = aws.mailbox().to(email).size();

        String path = "/admin/privacy-requests/" + id + "/retry";
        var first = CompletableFuture.supplyAsync(() -> retry(path));
        var second = CompletableFuture.supplyAsync(() -> retry(path));
        List<Integer> statuses = List.of(first.join(), second.join()).stream().sorted().toList();

        assertEquals(List.of(200, 409), statuses);
        assertEquals("COMPLETED", stored(id).get("status").s());
        assertEquals(personMails + 1, aws.mailbox().to(email).size(), "one result mail");
        assertEquals(1, new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC())
                .of("PRIVACY_REQUEST#" + id).size());
    }

    @Test
    void anUnknownOrMalformedIdIsNotFoundAndWritesNothing() throws Exception {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-request", "REQUEST%23x")) {
            HttpResponse<String> answer = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);
            assertEquals(404, answer.statusCode(), id + ": " + answer.body());
            assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        }
    }

    /** A person confirms an erasure while Stripe answers 500: the page says it failed, the request is FAILED. */
    private static String failedErasure(String email) throws Exception {
        assertEquals(202, person.request(email, "delete").statusCode());
        String link = person.verificationLink(email);
        aws.stripe().outage(Outage.SERVER_ERRORS);
        HttpResponse<String> page;
        try {
            page = person.confirm(link);
        } finally {
            aws.stripe().outage(Outage.NONE);
        }
        assertEquals(500, page.statusCode(), page.body());
        Map<String, AttributeValue> request = person.newestRequestOf(PrivacyClient.hashOf(email));
        assertEquals("FAILED", request.get("status").s());
        return request.get("requestId").s();
    }

    private static int retry(String path) {
        try {
            return shop.admin("POST", path, ownerToken, null).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, AttributeValue> stored(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(Map.of("pk", AttributeValue.fromS("REQUEST#" + id))).consistentRead(true)).item();
    }

    private static JsonNode byId(JsonNode body, String id) {
        return StreamSupport.stream(body.get("requests").spliterator(), false)
                .filter(r -> r.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not listed: " + body));
    }

    private static List<String> events(JsonNode request) {
        return request.get("trail").findValuesAsText("event");
    }

    private static List<SentMail> mailsTo(String address, String subjectPart) {
        return aws.mailbox().to(address).stream().filter(m -> m.subject().contains(subjectPart)).toList();
    }

    private static String address(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
