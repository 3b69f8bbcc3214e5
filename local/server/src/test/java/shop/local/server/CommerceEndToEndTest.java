package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import shop.local.stack.StripeStandIn;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The money path as a customer, the storefront and Stripe drive it: HTTP to the local API server,
 * the Stripe stand-in's pay page, really signed webhooks, the SQS poller feeding the
 * notification function, and the SES stand-in's mailbox. One test per behaviour of issue 3.
 */
@ExtendWith(RunningShopExtension.class)
// Several instances per function, as Lambda scales out: parallel requests really race.
@ShopEnvironment(instances = 4)
class CommerceEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;

    @Test
    void cartSessionPayWebhookOnePaidOrderBothMailsStockGoneAndTheDayCounted() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        long ordersBefore = shop.ordersToday();

        HttpResponse<String> created = shop.checkout(sku, 1, email);
        assertEquals(201, created.statusCode(), created.body());
        String id = ShopClient.json(created).get("id").asText();
        String url = ShopClient.json(created).get("url").asText();
        assertEquals(running.baseUri() + StripePayPage.PREFIX + id, url);

        HttpResponse<String> page = shop.get(StripePayPage.PREFIX + id);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Piece " + sku) && page.body().contains("Pay by card"), page.body());

        HttpResponse<String> paid = shop.payByCard(id);
        assertEquals(303, paid.statusCode());
        assertEquals("http://localhost:3000/order-confirmed.html?session_id=" + id,
                paid.headers().firstValue("Location").orElseThrow(), "Stripe sends the customer to the success page");

        Order order = shop.order(id);
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals(email, order.customerEmail());
        assertEquals("Ada Lovelace", order.customerName());
        assertEquals("Portland", order.shipping().city());
        assertEquals(sku, order.items().get(0).sku());
        ShopClient.await("the customer's mail", () -> shop.mailsTo(email, null).size() == 1);
        ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, order.number()).size() == 1);
        SentMail confirmation = shop.mailsTo(email, null).get(0);
        assertTrue(confirmation.subject().contains(order.number()), confirmation.subject());
        assertTrue(confirmation.text().contains("Piece " + sku) && confirmation.text().contains("12 Harbor Road"));
        // Through the configuration set, or SES would never report the mail's bounce to the shop.
        String configurationSet = aws.physicalName("MailConfigurationSet");
        assertEquals(configurationSet, confirmation.configurationSet());
        assertEquals(configurationSet, shop.mailsTo(ShopClient.OWNER, order.number()).get(0).configurationSet());
        assertEquals("sold_out", shop.availability(sku));
        assertEquals(0, shop.products().find(sku).orElseThrow().stock());
        assertEquals(ordersBefore + 1, shop.ordersToday());
    }

    @Test
    void theSameWebhookDelivered100TimesInParallelMakesOneOrderOneCustomerMailOneOwnerMail() throws Exception {
        String email = ShopClient.email();
        String id = shop.startCheckout(shop.piece(1), email);
        StripeStandIn.SignedEvent completed = aws.stripe().pay(id, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE.withEmail(email));
        long ordersBefore = shop.ordersToday();

        List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            deliveries.add(shop.http().sendAsync(shop.webhookRequest(completed.payload(), completed.signature()),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> delivery : deliveries) {
            assertEquals(200, delivery.get().statusCode(), delivery.get().body());
        }

        Order order = shop.order(id);
        assertEquals(1, orderItems(id));
        ShopClient.await("the customer's mail", () -> shop.mailsTo(email, null).size() >= 1);
        ShopClient.await("the owner's mail", () -> shop.mailsTo(ShopClient.OWNER, order.number()).size() >= 1);
        shop.awaitQueueDrained();
        assertEquals(1, shop.mailsTo(email, null).size());
        assertEquals(1, shop.mailsTo(ShopClient.OWNER, order.number()).size());
        assertEquals(ordersBefore + 1, shop.ordersToday());
    }

    @Test
    void fiftyParallelCheckoutsForTheLastPieceMakeExactlyOne201() throws Exception {
        String sku = shop.piece(1);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<HttpResponse<String>>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                attempts.add(pool.submit(() -> shop.checkout(sku, 1, ShopClient.email())));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> attempt : attempts) {
                HttpResponse<String> response = attempt.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 409) {
                    assertTrue(response.body().contains(sku), response.body());
                }
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(49, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, shop.products().find(sku).orElseThrow().stock());
    }

    @Test
    void anExpiredSessionGivesItsStockBack() throws Exception {
        String sku = shop.piece(1);
        String id = shop.startCheckout(sku, ShopClient.email());
        assertEquals("sold_out", shop.availability(sku), "held while the customer pays");

        assertEquals(303, shop.onPayPage(id, Map.of("action", "expire")).statusCode());

        assertEquals("in_stock", shop.availability(sku));
        assertTrue(shop.orders().find(id).isEmpty());
        assertEquals(201, shop.checkout(sku, 1, ShopClient.email()).statusCode(), "someone else can buy it now");
    }

    @Test
    void aBankDebitWaitsAsPendingThenItsSuccessMakesThePaidOrderAndTheMails() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = shop.startCheckout(sku, email);

        assertEquals(303, shop.onPayPage(id, Map.of("action", "pay", "method", "bank_debit")).statusCode());
        assertEquals(OrderStatus.PENDING_PAYMENT, shop.order(id).status());
        assertEquals("sold_out", shop.availability(sku));

        assertEquals(303, shop.onPayPage(id, Map.of("action", "succeed")).statusCode());
        assertEquals(OrderStatus.PAID, shop.order(id).status());
        ShopClient.await("the confirmation", () -> shop.mailsTo(email, null).size() == 1);
        assertTrue(shop.mailsTo(email, null).get(0).subject().startsWith("Your order"));
    }

    @Test
    void aFailedBankDebitFailsTheOrderGivesTheStockBackAndTellsTheCustomer() throws Exception {
        String sku = shop.piece(1);
        String email = ShopClient.email();
        String id = shop.startCheckout(sku, email);
        shop.onPayPage(id, Map.of("action", "pay", "method", "bank_debit"));

        assertEquals(303, shop.onPayPage(id, Map.of("action", "fail")).statusCode());

        assertEquals(OrderStatus.FAILED, shop.order(id).status());
        assertEquals("in_stock", shop.availability(sku));
        ShopClient.await("the failure notice", () -> shop.mailsTo(email, null).size() == 1);
        SentMail notice = shop.mailsTo(email, null).get(0);
        assertTrue(notice.subject().contains("did not go through"), notice.subject());
        assertTrue(shop.mailsTo(ShopClient.OWNER, shop.order(id).number()).isEmpty(), "no sale for the owner");
    }

    @Test
    void aRefundMarksTheOrderRefunded() throws Exception {
        String id = shop.startCheckout(shop.piece(1), ShopClient.email());
        shop.payByCard(id);
        assertEquals(OrderStatus.PAID, shop.order(id).status());

        assertEquals(303, shop.onPayPage(id, Map.of("action", "refund")).statusCode());

        Order refunded = shop.order(id);
        assertEquals(OrderStatus.REFUNDED, refunded.status());
        assertEquals(refunded.totals().total().amount(), refunded.amountRefunded());
    }

    @Test
    void eventTypesTheShopDoesNotHandleAreAcknowledgedAndIgnored() throws Exception {
        StripeStandIn.SignedEvent event = aws.stripe().event("customer.created",
                Map.of("id", "cus_E2E", "object", "customer"));

        HttpResponse<String> response = shop.webhook(event);

        assertEquals(200, response.statusCode());
        assertEquals("ignored", ShopClient.json(response).get("outcome").asText());
        assertFalse(itemExists("EVENT#" + event.id()), "nothing recorded for an ignored event");
    }

    @Test
    void aTamperedPayloadAWrongSecretOrAStaleTimestampIs400AndNothingIsStored() throws Exception {
        String id = shop.startCheckout(shop.piece(1), ShopClient.email());
        StripeStandIn.SignedEvent completed = aws.stripe().pay(id, StripeStandIn.PaymentMethod.CARD,
                StripeStandIn.Customer.SAMPLE);
        String payload = completed.payload();
        long now = Instant.now().getEpochSecond();

        List<HttpResponse<String>> answers = List.of(
                shop.webhook(payload.replace("\"paid\"", "\"unpaid\"").replace(id, id.replace('a', 'b')),
                        completed.signature()),
                shop.webhook(payload, StripeStandIn.signature(payload, "whsec_someone_else", now)),
                shop.webhook(payload, StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET, now - 301)));

        for (HttpResponse<String> answer : answers) {
            assertEquals(400, answer.statusCode(), answer.body());
            assertEquals("Stripe-Signature", ShopClient.json(answer).get("field").asText());
        }
        assertFalse(itemExists("ORDER#" + id));
        assertFalse(itemExists("EVENT#" + completed.id()));
        assertEquals(200, shop.webhook(completed).statusCode(), "the genuine delivery still works");
        assertTrue(itemExists("ORDER#" + id) && itemExists("EVENT#" + completed.id()));
    }

    private static boolean itemExists(String pk) {
        return !aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(pk)))
                .consistentRead(true)).item().isEmpty();
    }

    private static long orderItems(String id) {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("OrdersTable")).build()).items().stream()
                .filter(item -> item.get("pk").s().equals("ORDER#" + id)).count();
    }
}
