package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Refund;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;

/**
 * Refunds made in the Stripe Dashboard and disputes, as Stripe drives them: really signed events
 * to the local API server's webhook, the notification function fed by the SQS poller, the mail
 * in the SES stand-in's mailbox. (The back office's own refunds through the API need the
 * owner's token from the auth branch's fixture; see docs/back-office.md.)
 */
@ExtendWith(LocalAwsExtension.class)
class RefundsAndDisputesEndToEndTest {
    private static LocalAws aws;
    private static RunningShop running;
    private static LocalFunctions functions;
    private static ShopClient shop;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        functions = new LocalFunctions(aws, aws.template(), Map.of());
        running = RunningShop.start(functions);
        shop = running.shop();
    }

    @AfterAll
    static void stop() {
        running.close();
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
     * The back office's refund as API Gateway hands it to the function once AdminAuthorizer has
     * verified the token (the claims in the event; the local server's own authorizer comes with
     * the auth branch): half of one order, the same form twice, then Stripe's charge.refunded
     * echo, which the stand-in sends to this server's webhook by itself.
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
                "[owners]", form);
        var again = refund(id, "{\"amount\":" + half + ",\"reason\":\"requested_by_customer\",\"restock\":true}",
                "[owners]", form);

        assertEquals(201, first.getStatusCode(), first.getBody());
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(1, aws.stripe().refunds(id).size(), "one refund at Stripe for one form");
        ShopClient.await("the refund mail", () -> refundMails(email).size() == 1);
        settle();
        OrderAccount account = accounts().find(id).orElseThrow();
        assertEquals(half, account.order().amountRefunded(), "the charge.refunded echo counted nothing more");
        assertEquals(1, account.refunds().size());
        assertEquals("owner@localhost.test", account.refunds().get(0).by());
        assertEquals(1, refundMails(email).size());
        assertEquals("in_stock", shop.availability(sku), "the owner put the piece back on sale");
    }

    @Test
    void aStaffRefundIs403AndNothingReachesStripe() throws Exception {
        String id = paid(shop.piece(1), ShopClient.email());
        int before = aws.stripe().refundCount();

        var response = refund(id, "{\"reason\":\"requested_by_customer\",\"restock\":false}", "[staff]",
                java.util.UUID.randomUUID().toString());

        assertEquals(403, response.getStatusCode(), response.getBody());
        assertEquals(before, aws.stripe().refundCount());
        assertEquals(0, shop.order(id).amountRefunded());
    }

    private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse refund(
            String orderId, String body, String groups, String idempotencyKey) throws Exception {
        var jwt = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(Map.of("sub", "sub-" + groups, "username",
                groups.contains("owners") ? "owner@localhost.test" : "staff@localhost.test", "cognito:groups", groups));
        var authorizer = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        var http = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("POST").withPath("/admin/orders/" + orderId + "/refunds").withSourceIp("127.0.0.1").build();
        var context = new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext();
        context.setAuthorizer(authorizer);
        context.setHttp(http);
        var event = com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey("POST /admin/orders/{id}/refunds")
                .withRawPath("/admin/orders/" + orderId + "/refunds")
                .withPathParameters(Map.of("id", orderId))
                .withHeaders(Map.of("content-type", "application/json", "idempotency-key", idempotencyKey))
                .withBody(body).withIsBase64Encoded(false).withRequestContext(context).build();
        return (com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse)
                functions.invoke("AdminRefundsFunction", event);
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

    private static java.util.List<SentMail> disputeMails(String number) {
        return shop.mailsTo(ShopClient.OWNER, "Dispute on order " + number);
    }

    private static DynamoOrderAccounts accounts() {
        return new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), java.time.Clock.systemUTC());
    }
}
