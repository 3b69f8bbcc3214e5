package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.catalog.Product;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.CfnTemplate;
import shop.local.stack.FaultProxy;
import shop.local.stack.FaultProxy.Fault;
import shop.local.stack.LocalAws;
import shop.local.stack.Service;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * DynamoDB throttling in the middle of each kind of multi-write flow, through a
 * {@link FaultProxy} between the functions and moto: a throttle that passes is retried by
 * the SDK and nobody notices; one that lasts answers 503 with Retry-After and leaves nothing a
 * person or the shop could see half-done (every table is scanned before and after); the retry
 * completes the job once.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true, faultProxy = Service.DYNAMODB)
class ThrottlingEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static FaultProxy dynamo;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static PrivacyClient privacy;

    @AfterEach
    void liftThrottling() {
        dynamo.reset();
    }

    /**
     * The form only queues the signup (issue 13, finding 4), so a throttled subscriber write is
     * met by the signup function: a throttle that passes is invisible, one that lasts leaves the
     * message in the queue, and its retry once the throttle is gone sends one mail. The form's
     * answer is 202 either way.
     */
    @Test
    void newsletterSignupAThrottleThatPassesIsInvisibleOneThatLastsIsRetriedFromTheQueueAndSendsOneMail() throws Exception {
        var subscriberWrite = FaultProxy.dynamo("UpdateItem", table("SubscribersTable"))
                .and(FaultProxy.bodyContains("\"S\":\"SUBSCRIBER#"));
        String brief = ShopClient.email();
        var twice = dynamo.inject(subscriberWrite, Fault.DYNAMODB_THROTTLING, 2);
        assertEquals(202, signup(brief).statusCode());
        ShopClient.awaitSignupsHandled(aws);
        assertEquals(2, twice.answered());
        assertEquals(3, dynamo.calls(subscriberWrite).size(), "the SDK retried the throttled write");
        assertEquals(1, aws.mailbox().to(brief).size());

        String email = ShopClient.email();
        String queue = aws.queueUrl(aws.template(), "NewsletterSignupQueue");
        // A failed message comes back after the queue's visibility timeout: a second here, not three minutes.
        aws.sqs().setQueueAttributes(b -> b.queueUrl(queue).attributesWithStrings(Map.of("VisibilityTimeout", "1")));
        try {
            Tables before = Tables.scan();
            var lasting = dynamo.injectAlways(subscriberWrite, Fault.DYNAMODB_THROTTLING);
            assertEquals(202, signup(email).statusCode(), "the form's answer does not wait for the signup's writes");
            ShopClient.await("the signup function to give up on the throttled write", () -> lasting.answered() >= 4);
            assertTrue(aws.mailbox().to(email).isEmpty());
            // What is left no one can use: hashes of tokens that were never mailed, and the rate counters.
            assertEquals(List.of(), Tables.scan().changedSince(before).except("TOKEN#", "RATE#"));

            lasting.stop();
            ShopClient.awaitSignupsHandled(aws);
        } finally {
            aws.sqs().setQueueAttributes(b -> b.queueUrl(queue).attributesWithStrings(Map.of("VisibilityTimeout", "180")));
        }
        assertEquals(1, aws.mailbox().to(email).size(), "the queue's retry sent it, once");
        var confirmed = shop.http().send(HttpRequest.newBuilder(URI.create(PrivacyClient.link(
                aws.mailbox().to(email).get(0).text(), "/newsletter/confirm"))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, confirmed.statusCode(), "the retry's link works");
    }

    @Test
    void checkoutOfTwoPiecesThrottledPartWayHoldsNothingAndTheRetryHoldsBothOnce() throws Exception {
        String first = shop.piece(2);
        String hotPiece = shop.piece(1);
        // The second piece's item is hot: the hold, one transaction with both pieces and the
        // reservation, is refused as a whole.
        Tables before = Tables.scan();
        var hot = dynamo.injectAlways(FaultProxy.dynamo("TransactWriteItems", table("ProductsTable"))
                .and(FaultProxy.bodyContains("\"S\":\"" + hotPiece + "\"")), Fault.DYNAMODB_THROTTLING);
        assertUnavailable(checkout(first, hotPiece));
        assertTrue(hot.answered() > 1, "the SDK retried it first");
        assertEquals(2, stock(first));
        assertEquals(1, stock(hotPiece));
        // At most the hour's count of checkouts from this address (a rate-limit count, as for signups).
        assertEquals(List.of(), Tables.scan().changedSince(before).except("RATE#"), "not even a reservation record");
        hot.stop();

        // Stripe made the payment page, but the reservation cannot be told its session: the page is
        // not handed out, and the release (one transaction) gives both pieces back and closes the record.
        before = Tables.scan();
        var noting = dynamo.injectAlways(FaultProxy.dynamo("UpdateItem", table("CheckoutsTable"))
                .and(FaultProxy.bodyContains("sessionId")), Fault.DYNAMODB_THROTTLING);
        assertUnavailable(checkout(first, hotPiece));
        assertEquals(4, noting.answered());
        assertEquals(2, stock(first));
        assertEquals(1, stock(hotPiece));
        Changes changes = Tables.scan().changedSince(before);
        // The products are where they were: their stock above, nothing left held (the hold's count on
        // the item, written by the hold and taken back by the release).
        List<Map<String, AttributeValue>> products = changes.items().stream().map(Map.Entry::getValue)
                .filter(item -> item.containsKey("sku")).toList();
        products.forEach(product -> assertEquals("0", product.get("held").n(), "nothing held: " + product));
        List<Map<String, AttributeValue>> changed = changes.except("RATE#", "HOLDS#").stream()
                .filter(item -> !products.contains(item)).toList();
        assertEquals(1, changed.size(), "only the reservation record: " + changed);
        assertTrue(changed.get(0).get("pk").s().startsWith("RESERVATION#"));
        assertEquals("RELEASED", changed.get(0).get("status").s(), changed.toString());
        assertTrue(!changed.get(0).containsKey("sessionId"));
        // The client's list of open checkouts names the hold, and the hold is released: it holds nothing.
        changes.except("RATE#", "RESERVATION#").stream().filter(item -> !products.contains(item)).forEach(holds -> assertEquals(
                changed.get(0).get("pk").s().substring("RESERVATION#".length()),
                String.join(",", holds.get("open").m().keySet()), "the client's list: " + holds));
        noting.stop();

        // The hold is written but its answer is lost: the SDK sends it again, which DynamoDB refuses
        // (the reservation exists) and the store reads as its own hold: taken once, not twice.
        var answerLost = dynamo.inject(FaultProxy.dynamo("TransactWriteItems", table("CheckoutsTable")),
                Fault.ANSWER_LOST, 1);
        var retried = checkout(first, hotPiece);
        assertEquals(201, retried.statusCode(), retried.body());
        assertEquals(1, answerLost.answered());
        assertEquals(1, stock(first), "one of two pieces held, once");
        assertEquals(0, stock(hotPiece));
        assertEquals("sold_out", shop.availability(hotPiece));
    }

    @Test
    void aPaidOrderWhoseTransactionsAnswerIsLostIsRecordedSoldAndCountedOnce() throws Exception {
        String email = ShopClient.email();
        String piece = shop.piece(1);
        String session = shop.startCheckout(piece, email);
        long ordersBefore = shop.ordersToday();
        StripeStandIn.SignedEvent paid = aws.stripe().pay(session, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(email));
        // The order, its sale and its count are written, but the answer is lost: the SDK sends the
        // transaction again, DynamoDB refuses it (the order exists), and the webhook goes on from there.
        var answerLost = dynamo.inject(FaultProxy.dynamo("TransactWriteItems", table("OrdersTable")),
                Fault.ANSWER_LOST, 1);

        assertEquals(200, shop.webhook(paid).statusCode());

        assertEquals(1, answerLost.answered());
        assertEquals(OrderStatus.PAID, shop.order(session).status());
        assertEquals(0, stock(piece));
        assertEquals(ordersBefore + 1, shop.ordersToday());
        ShopClient.await("the customer's mail", () -> aws.mailbox().to(email).size() == 1);
        shop.awaitQueueDrained();
        assertEquals(1, aws.mailbox().to(email).size());
    }

    @Test
    void aWebhookThrottledAfterTheOrderIsRecordedAnswers503AndStripesRetryFinishesItOnce() throws Exception {
        String email = ShopClient.email();
        String session = shop.startCheckout(shop.piece(1), email);
        long ordersBefore = shop.ordersToday();
        StripeStandIn.SignedEvent paid = aws.stripe().pay(session, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(email));
        // The last write: the order is recorded with its sale and its count (one transaction) and the
        // mail queued, but marking the mail queued is throttled.
        var orderUpdates = dynamo.injectAlways(FaultProxy.dynamo("UpdateItem", table("OrdersTable"))
                .and(FaultProxy.bodyContains("PAID_EFFECTS")), Fault.DYNAMODB_THROTTLING);

        assertUnavailable(shop.webhook(paid));
        assertEquals(OrderStatus.PAID, shop.order(session).status());

        orderUpdates.stop();
        assertEquals(200, shop.webhook(paid).statusCode(), "Stripe's retry");
        assertEquals(200, shop.webhook(paid).statusCode(), "and a duplicate");
        String number = shop.order(session).number();
        ShopClient.await("the customer's mail", () -> aws.mailbox().to(email).size() == 1);
        ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, number).size() == 1);
        shop.awaitQueueDrained();
        assertEquals(1, aws.mailbox().to(email).size());
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, number).size());
        assertEquals(ordersBefore + 1, shop.ordersToday());
    }

    @Test
    void aPrivacyRequestThrottledWritesNoOpenRequestAndOnceMailedIsNotUndoneByALateThrottle() throws Exception {
        String email = ShopClient.email();
        // The request and its token are two puts: whichever is throttled, no open request is left
        // (it would hold the address, and count as open for the owner, with no link ever sent).
        for (String throttled : List.of("TOKEN#", "REQUEST#")) {
            Tables before = Tables.scan();
            var lasting = dynamo.injectAlways(FaultProxy.dynamo("PutItem", table("PrivacyRequestsTable"))
                    .and(FaultProxy.bodyContains("\"S\":\"" + throttled)), Fault.DYNAMODB_THROTTLING);
            assertUnavailable(privacy.request(email, "access"));
            assertTrue(aws.mailbox().to(email).isEmpty());
            assertEquals(List.of(), Tables.scan().changedSince(before).except("TOKEN#", "RATE#"), throttled);
            lasting.stop();
        }

        // The trail's "mailed" line is throttled after the mail went: still 202, and one mail, not two.
        var trail = dynamo.injectAlways(FaultProxy.dynamo("UpdateItem", table("PrivacyRequestsTable"))
                .and(FaultProxy.bodyContains("\"S\":\"REQUEST#")), Fault.DYNAMODB_THROTTLING);
        assertEquals(202, privacy.request(email, "access").statusCode());
        assertTrue(trail.answered() > 0);
        trail.stop();
        assertEquals(1, aws.mailbox().to(email).size());
        assertEquals(200, privacy.get(privacy.verificationLink(email)).statusCode(), "the link works");
    }

    private static HttpResponse<String> signup(String email) throws Exception {
        return shop.http().send(HttpRequest.newBuilder(running.baseUri().resolve("/newsletter/subscriptions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email
                        + "\",\"consent\":true,\"ageConfirmed\":true,\"source\":\"footer\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> checkout(String... skus) throws Exception {
        String items = java.util.Arrays.stream(skus).map(sku -> "{\"sku\":\"" + sku + "\",\"quantity\":1}")
                .collect(Collectors.joining(","));
        return LoopbackClient.send(LoopbackClient.newAddress(), "POST", running.baseUri().resolve("/checkout/sessions"),
                Map.of("content-type", "application/json"), "{\"items\":[" + items + "],\"email\":\"" + ShopClient.email() + "\"}");
    }

    private static int stock(String sku) {
        return shop.products().find(sku).map(Product::stock).orElseThrow();
    }

    private static String table(String logicalId) {
        return aws.physicalName(logicalId);
    }

    private static void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("5", response.headers().firstValue("retry-after").orElse(null));
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertEquals(503, ShopClient.json(response).get("status").asInt());
    }

    /** Every item of every table of template.yaml, by table and key. */
    private record Tables(Map<String, Map<String, Map<String, AttributeValue>>> items) {

        static Tables scan() {
            Map<String, Map<String, Map<String, AttributeValue>>> items = new HashMap<>();
            for (CfnTemplate.Resource resource : aws.template().resourcesOfType(CfnTemplate.TABLE)) {
                String name = aws.physicalName(resource.logicalId());
                List<String> keys = aws.dynamo().describeTable(b -> b.tableName(name)).table().keySchema().stream()
                        .map(KeySchemaElement::attributeName).toList();
                Map<String, Map<String, AttributeValue>> byKey = new HashMap<>();
                for (var page : aws.dynamo().scanPaginator(b -> b.tableName(name).consistentRead(true))) {
                    page.items().forEach(item -> byKey.put(keys.stream().map(k -> String.valueOf(item.get(k).s() == null
                            ? item.get(k).n() : item.get(k).s())).collect(Collectors.joining("|")), item));
                }
                items.put(name, byKey);
            }
            return new Tables(items);
        }

        /** The items new or different since {@code before}. */
        Changes changedSince(Tables before) {
            List<Map.Entry<String, Map<String, AttributeValue>>> changed = new ArrayList<>();
            items.forEach((table, byKey) -> byKey.forEach((key, item) -> {
                if (!item.equals(before.items().getOrDefault(table, Map.of()).get(key))) {
                    changed.add(Map.entry(key, item));
                }
            }));
            return new Changes(changed);
        }
    }

    private record Changes(List<Map.Entry<String, Map<String, AttributeValue>>> items) {
        /** The changed items, leaving out those whose key starts with one of {@code prefixes}. */
        List<Map<String, AttributeValue>> except(String... prefixes) {
            return items.stream()
                    .filter(e -> java.util.Arrays.stream(prefixes).noneMatch(e.getKey()::startsWith))
                    .map(Map.Entry::getValue).toList();
        }
    }
}
