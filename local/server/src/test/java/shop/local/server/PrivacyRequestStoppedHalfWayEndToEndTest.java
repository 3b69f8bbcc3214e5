package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAdmins;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import shop.local.stack.Service;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An erasure stopped half-way by a failing dependency (the subscribers' table refusing every
 * write, DynamoDB reached through a {@link FaultProxy}), after Stripe's customer was deleted and
 * the order anonymised: the owner's privacy tab shows each step's line, the failed one with its
 * exception's class, and the owner's mail names the step. Tried again, the request goes on from
 * that step: Stripe and the orders are not touched again, and the person gets one result mail,
 * which counts what the first run erased; the owner one completion notice. An unsubscribe that
 * failed the same way, tried again after the person subscribed again, leaves that subscription.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true, faultProxy = Service.DYNAMODB)
class PrivacyRequestStoppedHalfWayEndToEndTest {
    private static final Set<String> WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems",
            "BatchWriteItem");
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static FaultProxy dynamo;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static PrivacyClient person;
    private static String ownerToken;

    @BeforeAll
    static void signInTheOwner() {
        ownerToken = running.adminToken(LocalAdmins.OWNER.username());
    }

    @Test
    void anErasureStoppedHalfWayShowsTheOwnerWhereAndItsRetryGoesOnFromThereMailingOnce() throws Exception {
        String email = "halfway-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        person.subscribe(email);
        String orderId = shop.paidOrder(email, "Half Way");
        String customer = aws.stripe().createCustomer(email);
        assertEquals(202, person.request(email, "delete").statusCode());
        String link = person.verificationLink(email);

        String subscribers = aws.physicalName("SubscribersTable");
        var down = dynamo.injectAlways(call -> WRITES.contains(call.target()) && call.tables().contains(subscribers),
                Fault.SERVICE_UNAVAILABLE);
        HttpResponse<String> page;
        try {
            page = person.confirm(link);
        } finally {
            down.stop();
        }

        assertEquals(500, page.statusCode(), page.body());
        String id = person.newestRequestOf(PrivacyClient.hashOf(email)).get("requestId").s();
        assertEquals("FAILED", person.requestItem(id).get("status").s());
        assertFalse(aws.stripe().customerIds().contains(customer), "Stripe's step was done");
        assertTrue(person.storesHolding(email).stream().noneMatch(store -> store.equals("OrdersTable")),
                "the orders' step was done: " + person.storesHolding(email));

        JsonNode listed = PrivacyClient.listed(ShopClient.json(shop.admin("/admin/privacy-requests", ownerToken)), id);
        assertEquals("failed", listed.get("status").asText());
        List<String> lines = StreamSupport.stream(listed.get("trail").spliterator(), false)
                .map(line -> line.get("event").asText() + " " + line.get("detail").asText()).toList();
        List<String> afterVerified = lines.subList(lines.indexOf(lines.stream()
                .filter(l -> l.startsWith("verified ")).findFirst().orElseThrow()) + 1, lines.size());
        assertEquals(4, afterVerified.size(), afterVerified.toString());
        assertEquals("step_done step=stripe stripeCustomersDeleted=1", afterVerified.get(0));
        assertEquals("step_done step=orders ordersAnonymised=1 ordersKeepingShippingUntilShipped=1", afterVerified.get(1));
        assertTrue(afterVerified.get(2).startsWith("step_failed step=subscribers exception=software.amazon.awssdk."),
                afterVerified.get(2));
        assertTrue(afterVerified.get(3).startsWith("failed step=subscribers exception="), afterVerified.get(3));
        assertTrue(lines.stream().noneMatch(l -> l.contains("@")), "no address on the trail: " + lines);
        String failure = shop.mailsTo(ShopClient.OWNER, "delete request FAILED (" + id + ")").get(0).text();
        assertTrue(failure.contains("at its step \"subscribers\""), failure);

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);

        assertEquals(200, retried.statusCode(), retried.body());
        JsonNode done = ShopClient.json(retried);
        assertEquals("completed", done.get("status").asText());
        List<String> steps = StreamSupport.stream(done.get("trail").spliterator(), false)
                .filter(line -> line.get("event").asText().equals("step_done"))
                .map(line -> line.get("detail").asText().split(" ")[0]).toList();
        assertEquals(List.of("step=stripe", "step=orders", "step=subscribers", "step=account_sessions", "step=visit_log",
                "step=earlier_requests"), steps, "each step done once");
        List<SentMail> results = shop.mailsTo(email, "Your privacy request");
        assertEquals(1, results.stream().filter(m -> m.subject().endsWith("is done")).count(), "one result mail");
        assertTrue(results.get(results.size() - 1).text().contains("1 order(s) no longer carry"),
                results.get(results.size() - 1).text());
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, "delete request completed (" + id + ")").size());
        assertEquals("Half Way", shop.order(orderId).customerName(), "still to ship: it keeps the name");
        assertTrue(person.storesHolding(email).isEmpty(), person.storesHolding(email).toString());
    }

    /**
     * An unsubscribe from the account while the subscribers' table refuses every write fails; the
     * person then subscribes through the newsletter form and confirms. The owner's "try again"
     * completes the request as of when it was made, so the newer subscription stays confirmed and
     * unsuppressed, and the person's result mail says so.
     */
    @Test
    void aFailedUnsubscribeTriedAgainAfterThePersonSubscribedThroughTheFormLeavesThemSubscribed() throws Exception {
        String email = "again-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String hash = PrivacyClient.hashOf(email);
        String session = shop.signIn(email);
        String subscribers = aws.physicalName("SubscribersTable");
        // The unsubscribe's own write (the account's rate limit, in the same table, still counts).
        var down = dynamo.injectAlways(call -> call.target().equals("TransactWriteItems")
                && call.tables().contains(subscribers), Fault.SERVICE_UNAVAILABLE);
        HttpResponse<String> unsubscribe;
        try {
            unsubscribe = shop.admin("PUT", "/account/newsletter", session, "{\"subscribed\":false}");
        } finally {
            down.stop();
        }
        assertTrue(unsubscribe.statusCode() >= 500, unsubscribe.statusCode() + " " + unsubscribe.body());
        String id = person.newestRequestOf(hash).get("requestId").s();
        assertEquals("FAILED", person.requestItem(id).get("status").s());

        person.subscribe(email);

        HttpResponse<String> retried = shop.admin("POST", "/admin/privacy-requests/" + id + "/retry", ownerToken, null);

        assertEquals(200, retried.statusCode(), retried.body());
        assertEquals("completed", ShopClient.json(retried).get("status").asText());
        var subscriber = aws.dynamo().getItem(b -> b.tableName(subscribers)
                .key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash))).consistentRead(true)).item();
        assertEquals("CONFIRMED", subscriber.get("status").s(), "still subscribed");
        assertTrue(aws.dynamo().getItem(b -> b.tableName(subscribers)
                .key(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash))).consistentRead(true)).item().isEmpty(),
                "and not suppressed");
        List<SentMail> results = shop.mailsTo(email, "Your privacy request").stream()
                .filter(m -> m.subject().endsWith("is done")).toList();
        assertEquals(1, results.size());
        String result = results.get(0).text();
        assertTrue(result.contains("You subscribed to our newsletter again after this request, so that newer"
                + " subscription stays."), result);
    }
}
