package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Refund;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAdmins;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;

/**
 * Refunds made in the Stripe Dashboard and disputes, as Stripe drives them: really signed events
 * to the local API server's webhook, the notification function fed by the SQS poller, the mail
 * in the SES stand-in's mailbox; and the back office's own refunds through the local API server
 * with the local owner's and staff's access tokens.
 */
@ExtendWith(RunningShopExtension.class)
class RefundsAndDisputesEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static LocalFunctions functions;
    @ShopFixture private static ShopClient shop;

    /** Nothing of this class left in flight on the shared queue when its pollers stop. */
    @AfterAll
    static void drain() throws InterruptedException {
        shop.awaitQueueDrained();
    }

    @Test
    void aDashboardRefundLandsOnTheOrderOnceWithOneRefundMailAndNoRestock() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = paid(sku, email);
        long half = shop.order(id).totals().total().amount() / 2;

        StripeStandIn.SignedEvent refunded = aws.stripe().dashboardRefund(id, half);
        assertEquals(200, shop.webhook(refunded).statusCode());
        assertEquals(200, shop.webhook(refunded).statusCode(), "a duplicate delivery");
        assertEquals(200, shop.webhook(aws.stripe().event("charge.refunded",
                Map.of("id", StripeStandIn.objectId(refunded), "object", "charge"))).statusCode(), "another event, same refund");

        OrderAccount account = accounts().find(id).orElseThrow();
        assertEquals(half, account.order().amountRefunded());
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(1, account.refunds().size());
        assertEquals(Refund.BY_DASHBOARD, account.refunds().get(0).by());
        assertEquals(aws.stripe().refunds(id).get(0).id(), account.refunds().get(0).stripeRefundId());
        ShopClient.await("the refund mail", () -> refundMails(email).size() == 1);
        settle();
        assertEquals(1, refundMails(email).size());
        SentMail mail = refundMails(email).get(0);
        assertTrue(mail.text().contains("(USD), part of your order " + account.order().number()), mail.text());
        assertTrue(mail.text().contains("You asked us for it."), mail.text());
        assertEquals("sold_out", shop.availability(sku), "a Dashboard refund puts nothing back on sale");

        // Days later the card's bank sends it back (the card was closed): Stripe's charge.refund.updated, twice.
        String refundId = account.refunds().get(0).stripeRefundId();
        StripeStandIn.SignedEvent failed = aws.stripe().failRefund(refundId, "expired_or_canceled_card");
        assertEquals(200, shop.webhook(failed).statusCode());
        assertEquals(200, shop.webhook(failed).statusCode(), "a duplicate delivery");
        String number = account.order().number();
        ShopClient.await("the owner's failed-refund mail", () -> refundFailedMails(number).size() == 1);
        SentMail owner = refundFailedMails(number).get(0);
        assertTrue(owner.text().contains("failed at Stripe: the card was expired or canceled (expired_or_canceled_card)"),
                owner.text());
        assertTrue(owner.text().contains("The customer has not got the money back."), owner.text());
        var record = ShopClient.json(shop.admin("/admin/orders/" + id,
                running.adminToken(LocalAdmins.OWNER.username())));
        assertEquals(0, record.get("amountRefunded").asLong(), record.toString());
        assertEquals("PAID", record.get("status").asText());
        assertTrue(record.get("needsAttention").asBoolean(), record.toString());
        assertEquals("failed", record.at("/refunds/0/failure").asText(), record.toString());
        assertEquals("expired_or_canceled_card", record.at("/refunds/0/failureReason").asText());
        settle();
        assertEquals(1, refundFailedMails(number).size());
        assertEquals(1, refundMails(email).size(), "the customer is not mailed again");
    }

    @Test
    void aDisputeMailsTheOwnerTheDeadlineOnceAndItsClosingRecordsTheOutcome() throws Exception {
        String id = paid(shop.piece(1), ShopClient.email());
        String number = shop.order(id).number();

        StripeStandIn.SignedEvent created = aws.stripe().dispute(id, "fraudulent");
        String dispute = StripeStandIn.objectId(created);
        assertEquals(200, shop.webhook(created).statusCode());
        assertEquals(200, shop.webhook(created).statusCode());

        ShopClient.await("the owner's dispute mail", () -> disputeMails(number).size() == 1);
        SentMail mail = disputeMails(number).get(0);
        assertTrue(mail.subject().contains("evidence due"), mail.subject());
        assertTrue(mail.text().contains("Submit evidence in the Stripe Dashboard before"), mail.text());
        OrderAccount open = accounts().find(id).orElseThrow();
        assertTrue(open.needsAttention());
        assertEquals(dispute, open.dispute().id());

        StripeStandIn.SignedEvent closed = aws.stripe().closeDispute(dispute, false);
        assertEquals(200, shop.webhook(closed).statusCode());
        assertEquals(200, shop.webhook(created).statusCode(), "the created event again, after the closing");
        OrderAccount after = accounts().find(id).orElseThrow();
        assertEquals("lost", after.dispute().outcome());
        assertFalse(after.needsAttention());
        settle();
        assertEquals(1, disputeMails(number).size());
    }

    /**
     * The back office's list of open disputes through the local API server with staff's token: the
     * order a bank disputes is listed with its evidence deadline from the signed created event on;
     * Stripe's closing takes it off the list (a late created event does not put it back), and its
     * record shows the outcome.
     */
    @Test
    void anOpenDisputeIsListedWithItsDeadlineUntilItClosesAndTheRecordShowsTheOutcome() throws Exception {
        String id = paid(shop.piece(1), ShopClient.email());
        String other = paid(shop.piece(1), ShopClient.email());
        String staff = running.adminToken(LocalAdmins.STAFF.username());

        StripeStandIn.SignedEvent created = aws.stripe().dispute(id, "product_not_received");
        assertEquals(200, shop.webhook(created).statusCode());
        java.time.Instant due = accounts().find(id).orElseThrow().dispute().evidenceDueBy();
        assertTrue(due.isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(6))), due.toString());

        var line = openDisputes(staff).stream().filter(l -> l.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among the open disputes"));
        assertEquals(shop.order(id).number(), line.get("number").asText());
        assertEquals("PAID", line.get("status").asText(), "a disputed order keeps its status");
        assertEquals(due.toString(), line.at("/dispute/evidenceDueBy").asText());
        assertEquals("needs_response", line.at("/dispute/status").asText());
        assertEquals("product_not_received", line.at("/dispute/reason").asText());
        assertEquals(shop.order(id).totals().total().amount(), line.at("/dispute/amount").asLong());
        assertFalse(openDisputes(staff).stream().anyMatch(l -> l.get("id").asText().equals(other)), "an undisputed order");

        assertEquals(200, shop.webhook(aws.stripe().closeDispute(StripeStandIn.objectId(created), true)).statusCode());
        assertEquals(200, shop.webhook(created).statusCode(), "the created event again, after the closing");

        assertFalse(openDisputes(staff).stream().anyMatch(l -> l.get("id").asText().equals(id)), "closed: off the list");
        var record = ShopClient.json(shop.admin("/admin/orders/" + id, staff));
        assertEquals("won", record.at("/dispute/outcome").asText(), record.toString());
        assertEquals("PAID", record.get("status").asText());
        assertFalse(record.has("disputeOpen") || record.has("disputeDueBy"), "no index plumbing in the record");
    }

    /** Every line of GET /admin/orders?dispute=open, page by page, soonest deadline first. */
    private static java.util.List<com.fasterxml.jackson.databind.JsonNode> openDisputes(String token) throws Exception {
        java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
        String page = null;
        do {
            HttpResponse<String> response = shop.admin("/admin/orders?dispute=open&limit=2" + (page == null ? ""
                    : "&page=" + java.net.URLEncoder.encode(page, java.nio.charset.StandardCharsets.UTF_8)), token);
            assertEquals(200, response.statusCode(), response.body());
            var body = ShopClient.json(response);
            body.get("orders").forEach(lines::add);
            page = body.hasNonNull("nextPage") ? body.get("nextPage").asText() : null;
        } while (page != null);
        java.util.List<String> deadlines = lines.stream().map(l -> l.at("/dispute/evidenceDueBy").asText("~")).toList();
        assertEquals(deadlines.stream().sorted().toList(), deadlines, "soonest deadline first");
        return lines;
    }

    /**
     * The owner's refund form through the local API server with the owner's access token: half of
     * one order, the same form twice, then Stripe's charge.refunded echo, which the stand-in sends
     * to this server's webhook by itself.
     */
    @Test
    void theOwnersHalfRefundIsOneRefundAtStripeRecordedOnceDespiteTheEchoWithOneMail() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = paid(sku, email);
        paid(shop.piece(1), ShopClient.email()); // another paid order, untouched
        long half = shop.order(id).totals().total().amount() / 2;
        String form = java.util.UUID.randomUUID().toString();

        var first = refund(id, "{\"amount\":" + half + ",\"reason\":\"requested_by_customer\",\"restock\":true}",
                LocalAdmins.OWNER, form);
        var again = refund(id, "{\"amount\":" + half + ",\"reason\":\"requested_by_customer\",\"restock\":true}",
                LocalAdmins.OWNER, form);

        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(ShopClient.json(first).path("refund").path("stripeRefundId").asText(),
                ShopClient.json(again).path("refund").path("stripeRefundId").asText(), "the same refund answered again");
        assertEquals(1, aws.stripe().refunds(id).size(), "one refund at Stripe for one form");
        ShopClient.await("the refund mail", () -> refundMails(email).size() == 1);
        settle();
        OrderAccount account = accounts().find(id).orElseThrow();
        assertEquals(half, account.order().amountRefunded(), "the charge.refunded echo counted nothing more");
        assertEquals(1, account.refunds().size());
        String owner = com.nimbusds.jwt.SignedJWT.parse(running.adminToken(LocalAdmins.OWNER.username()))
                .getJWTClaimsSet().getStringClaim("username");
        assertEquals(owner, account.refunds().get(0).by(), "recorded with the owner's name from the verified token");
        // That name is Cognito's generated id: the order's record shows the owner's sign-in address instead.
        var record = ShopClient.json(shop.admin("/admin/orders/" + id, running.adminToken(LocalAdmins.STAFF.username())));
        assertEquals(LocalAdmins.OWNER.username(), record.at("/refunds/0/by").asText(), record.toString());
        assertEquals("order.refunded", record.at("/trail/0/action").asText(), record.toString());
        assertEquals(LocalAdmins.OWNER.username(), record.at("/trail/0/by").asText(), record.toString());
        assertEquals(1, refundMails(email).size());
        assertEquals("in_stock", shop.availability(sku), "the owner put the piece back on sale");
    }

    @Test
    void aStaffRefundIs403AndNothingReachesStripe() throws Exception {
        String id = paid(shop.piece(1), ShopClient.email());
        int before = aws.stripe().refundCount();

        var response = refund(id, "{\"reason\":\"requested_by_customer\",\"restock\":false}", LocalAdmins.STAFF,
                java.util.UUID.randomUUID().toString());
        var noToken = shop.admin("POST", "/admin/orders/" + id + "/refunds", null,
                "{\"reason\":\"requested_by_customer\",\"restock\":false}", Map.of("Idempotency-Key", "k-" + id));

        assertEquals(403, response.statusCode(), response.body());
        assertEquals(401, noToken.statusCode(), noToken.body());
        assertEquals(before, aws.stripe().refundCount());
        assertEquals(0, shop.order(id).amountRefunded());
    }

    /** The refund form as the admin page sends it: through the local API server, its JWT authorizer first. */
    private static HttpResponse<String> refund(String orderId, String body, LocalAdmins.Admin who, String idempotencyKey)
            throws Exception {
        return shop.admin("POST", "/admin/orders/" + orderId + "/refunds", running.adminToken(who.username()), body,
                Map.of("Idempotency-Key", idempotencyKey));
    }

    private static String paid(String sku, String email) throws Exception {
        String id = shop.startCheckout(sku, email);
        assertEquals(303, shop.payByCard(id).statusCode());
        ShopClient.await("the paid order", () -> shop.orders().find(id).map(o -> o.status() == OrderStatus.PAID)
                .orElse(false));
        return id;
    }

    /**
     * Time for a duplicate message to be mailed, were it going to be. (Not awaitQueueDrained: a test
     * class before this one may leave messages in flight on the shared queue for its visibility timeout.)
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(3_000);
    }

    private static java.util.List<SentMail> refundMails(String email) {
        return shop.mailsTo(email, "Refund for your order");
    }

    private static java.util.List<SentMail> refundFailedMails(String number) {
        return shop.mailsTo(ShopClient.OWNER, "Refund failed for order " + number);
    }

    private static java.util.List<SentMail> disputeMails(String number) {
        return shop.mailsTo(ShopClient.OWNER, "Dispute on order " + number);
    }

    private static DynamoOrderAccounts accounts() {
        return new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), java.time.Clock.systemUTC());
    }
}
