package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import shop.local.stack.Service;
import shop.local.stack.StripeStandIn.Outage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The owner's privacy tab through the local API server, its JWT authorizer and the local
 * Cognito users: an erasure confirmed while Stripe is down fails; the owner sees it open with
 * its days left and its trail, tries it again once Stripe is back, and it completes with the
 * person's result mail and the owner's notice, which count what both runs erased; a second press
 * is 409; staff see nothing. A correction whose result mail could not be sent (SES reached
 * through a {@link FaultProxy}) shows the owner the changes asked for.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true, faultProxy = Service.SESV2)
class PrivacyBackOfficeEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static PrivacyClient person;
    @ShopFixture private static FaultProxy ses;
    private static String ownerToken;
    private static String staffToken;

    @BeforeAll
    static void signInTheAdmins() {
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
        staffToken = running.adminToken(LocalAdmins.STAFF.username());
    }

    @AfterEach
    void stripeIsBack() {
        aws.stripe().outage(Outage.NONE);
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
        JsonNode listed = PrivacyClient.listed(ShopClient.json(list), id);
        assertEquals("failed", listed.get("status").asText());
        assertEquals("delete", listed.get("type").asText());
        assertEquals(30, listed.get("daysLeft").asInt());
        assertFalse(listed.get("overdue").asBoolean());
        assertEquals(email, listed.get("email").asText(), "the owner may have to write to the person");
        List<String> events = events(listed);
        // Stripe is the erasure's first step: nothing was done before it failed.
        assertEquals(List.of("received", "verification_mailed", "verified", "step_failed", "failed"), events);
        assertTrue(listed.get("trail").findValuesAsText("detail").stream().noneMatch(d -> d.contains("@")),
                "no address in the trail");

        assertEquals(403, shop.admin("/admin/privacy-requests", staffToken).statusCode());
        assertEquals(403, shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", staffToken, null).statusCode());
        assertEquals(401, shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", null, null).statusCode());
        assertEquals("FAILED", person.requestItem(id).get("status").s(), "staff changed nothing");
        int personMails = aws.mailbox().to(email).size();

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);

        assertEquals(200, retried.statusCode(), retried.body());
        JsonNode done = ShopClient.json(retried);
        assertEquals("completed", done.get("status").asText());
        assertFalse(done.has("email"), "a completed request forgets the address");
        assertEquals(List.of("retried", "step_done", "step_done", "step_done", "step_done", "step_done", "step_done",
                        "carried_out", "result_mailed", "completed"),
                events(done).subList(events(done).indexOf("retried"), events(done).size()));
        Map<String, AttributeValue> request = person.requestItem(id);
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

    /**
     * The first run erased everything, then its result mail failed (SES down); the run again finds
     * nothing left under the address. The person's result mail and the owner's notice still count
     * the order and the Stripe customer the request erased, once each.
     */
    @Test
    void aRetriedErasureMailsWhatBothRunsErased() throws Exception {
        String email = address("both");
        person.subscribe(email);
        String orderId = shop.paidOrder(email, "Both Runs");
        String customer = aws.stripe().createCustomer(email);
        String id = erasureWhoseResultMailFailed(email);
        assertEquals(Set.of("PrivacyRequestsTable"), person.storesHolding(email),
                "the first run erased everything; the request keeps the address until it is done");
        assertFalse(aws.stripe().customerIds().contains(customer), "the first run deleted the Stripe customer");

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);

        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("completed", ShopClient.json(retried).get("status").asText());
        String result = person.newest(email, "Your privacy request").text();
        assertTrue(result.contains("We erased your personal data: 1 order(s) no longer carry your name"), result);
        assertTrue(result.contains("1 of these order(s) are paid and not shipped yet"), result);
        String notice = mailsTo(ShopClient.OWNER, "delete request completed (" + id + ")").get(0).text();
        assertTrue(notice.contains("ordersAnonymised=1 ordersKeepingShippingUntilShipped=1 stripeCustomersDeleted=1"
                + " subscriberItemsErased="), notice);
        assertTrue(notice.contains("OrdersTable"), notice);
        List<String> orderSteps = StreamSupport.stream(ShopClient.json(retried).get("trail").spliterator(), false)
                .filter(line -> line.get("event").asText().equals("step_done")
                        && line.get("stores").toString().equals("[\"OrdersTable\"]"))
                .map(line -> line.get("detail").asText()).toList();
        assertEquals(List.of("step=orders ordersAnonymised=1 ordersKeepingShippingUntilShipped=1"), orderSteps,
                "the first run's line; the retry went on from the result mail");
        assertTrue(person.storesHolding(email).isEmpty(), person.storesHolding(email).toString());
        assertEquals("Both Runs", shop.order(orderId).customerName(), "still to ship: it keeps the name");
    }

    /**
     * A correction carried out whose result mail could not be sent (SES down) is left failed: the
     * owner, who may have to finish it by hand, sees the changes the person asked for beside the
     * address. Once done, the request holds neither.
     */
    @Test
    void aFailedCorrectionShowsTheOwnerTheChangesAskedFor() throws Exception {
        String email = address("correct");
        shop.paidOrder(email, "Ada Byron");
        assertEquals(202, person.request(email, "correct", """
                {"name":"Ada King","shippingAddress":{"line1":"3 St James's Square","postalCode":"SW1Y 4JU","city":"London","country":"GB"}}""")
                .statusCode());
        String id = confirmedWhileSesIsDown(email);

        HttpResponse<String> list = shop.admin("/admin/privacy-requests", ownerToken);

        assertEquals(200, list.statusCode(), list.body());
        assertEquals("no-store", list.headers().firstValue("cache-control").orElse(""));
        JsonNode listed = PrivacyClient.listed(ShopClient.json(list), id);
        assertEquals("failed", listed.get("status").asText());
        assertEquals(email, listed.get("email").asText());
        assertEquals(PrivacyClient.JSON.readTree("""
                {"name":"Ada King","shippingAddress":{"line1":"3 St James's Square","postalCode":"SW1Y 4JU","city":"London","country":"GB"}}"""),
                listed.get("correction"));
        assertEquals(403, shop.admin("/admin/privacy-requests", staffToken).statusCode());

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);
        assertEquals(200, retried.statusCode(), retried.body());
        JsonNode done = ShopClient.json(retried);
        assertEquals("completed", done.get("status").asText());
        assertFalse(done.has("correction"), "a completed request forgets the correction");
        assertFalse(person.requestItem(id).containsKey("correction"));
        assertTrue(person.newest(email, "Your privacy request").text().contains("We corrected 1 order(s)"));
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
        assertEquals("COMPLETED", person.requestItem(id).get("status").s());
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

    private static String erasureWhoseResultMailFailed(String email) throws Exception {
        assertEquals(202, person.request(email, "delete").statusCode());
        return confirmedWhileSesIsDown(email);
    }

    /** The person's request confirmed through its link while SES refuses every mail: carried out, its result mail failed. */
    private static String confirmedWhileSesIsDown(String email) throws Exception {
        String link = person.verificationLink(email);
        var down = ses.injectAlways(FaultProxy.sesSendEmail(), Fault.SERVICE_UNAVAILABLE);
        HttpResponse<String> page;
        try {
            page = person.confirm(link);
        } finally {
            down.stop();
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
