package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.OrderIndexes;
import shop.commerce.orders.OrderStatus;
import shop.core.dynamo.DynamoItems;
import shop.local.stack.LocalAws;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The owner's morning mail of what waits, through the local run's route for running a scheduled
 * function now: orders paid days ago and not shipped, an order that needs the owner, and two open
 * disputes (made through the Stripe stand-in and the webhook), one of them due within 3 days. The
 * mail lists the disputes first, the due-soon one marked, then the orders waiting longest, each
 * linked to its record on the admin page, with no customer's name or address; the schedule firing
 * again the same day mails nothing more.
 */
@ExtendWith(RunningShopExtension.class)
@ShopEnvironment(freshSourceIpLimits = true)
class OrdersWaitingMailEndToEndTest {
    @ShopFixture private static LocalAws aws;
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;

    @Test
    void theOwnerIsMailedWhatWaitsDisputesDueSoonFirstAndOnceADay() throws Exception {
        Instant now = Instant.now();
        String waitingLongest = shop.paidOrder(ShopClient.email(), "Grace Hopper");
        String waiting = shop.paidOrder(ShopClient.email(), "Grace Hopper");
        String dueSoon = shop.paidOrder(ShopClient.email(), "Grace Hopper");
        String dueLater = shop.paidOrder(ShopClient.email(), "Grace Hopper");
        String attention = new OtherIntegration(aws).session(shop.piece(1), ShopClient.email(), 18500L, null);
        assertEquals(303, shop.payByCard(attention, "Grace Hopper").statusCode());
        ShopClient.await("order " + attention + " needs attention", () -> shop.orders().find(attention)
                .map(order -> order.status() == OrderStatus.NEEDS_ATTENTION).orElse(false));
        for (String disputed : List.of(dueSoon, dueLater)) {
            assertEquals(200, shop.webhook(aws.stripe().dispute(disputed, "fraudulent")).statusCode());
        }
        shop.awaitQueueDrained();
        // Time passes: these orders were paid days ago, and the two deadlines come closer (the stand-in gives 7 days).
        placed(waitingLongest, now.minus(Duration.ofDays(4)));
        placed(waiting, now.minus(Duration.ofDays(3)));
        placed(attention, now.minus(Duration.ofDays(2)));
        evidenceDue(dueSoon, now.plus(Duration.ofDays(2)));
        evidenceDue(dueLater, now.plus(Duration.ofDays(6)));

        HttpResponse<String> ran = shop.admin("POST", "/_local/schedules/OrdersWaitingFunction", null, null);
        HttpResponse<String> again = shop.admin("POST", "/_local/schedules/OrdersWaitingFunction", null, null);

        assertEquals(200, ran.statusCode(), ran.body());
        JsonNode result = ShopClient.json(ran).get("result");
        assertEquals("MAILED", result.get("outcome").asText(), ran.body());
        assertEquals("MAILED_BEFORE", ShopClient.json(again).at("/result/outcome").asText(), again.body());
        List<SentMail> mails = shop.mailsTo(ShopClient.OWNER, "Waiting in the shop:");
        assertEquals(1, mails.size(), "one mail a day: " + mails);
        SentMail mail = mails.get(0);
        assertTrue(mail.subject().matches("Waiting in the shop: \\d+ open dispute\\(s\\) \\(\\d+ due within 3 days\\),"
                + " \\d+ to ship, \\d+ needing attention"), mail.subject());
        List<String> lines = mail.text().lines().toList();
        String link = running.baseUri().resolve("/admin/").toString() + "#order=";

        int disputes = lines.indexOf(lines.stream().filter(l -> l.startsWith("OPEN DISPUTES: ")).findFirst().orElseThrow());
        assertEquals("  DUE SOON: Order " + number(dueSoon) + ": " + total(dueSoon) + ", fraudulent, evidence due",
                lines.get(disputes + 2).substring(0, lines.get(disputes + 2).indexOf(" due ") + 4), mail.text());
        assertTrue(lines.get(disputes + 2).endsWith("(in 1 day)") || lines.get(disputes + 2).endsWith("(in 2 days)"),
                lines.get(disputes + 2));
        assertEquals("    " + link + dueSoon, lines.get(disputes + 3));
        assertTrue(lines.get(disputes + 4).startsWith("  Order " + number(dueLater) + ": "), "not marked: " + mail.text());
        assertEquals("    " + link + dueLater, lines.get(disputes + 5));

        int toShip = lines.indexOf(lines.stream().filter(l -> l.startsWith("ORDERS TO SHIP: ")).findFirst().orElseThrow());
        assertTrue(lines.get(toShip + 1).startsWith("  Order " + number(waitingLongest) + ", ordered 4 days ago ("),
                mail.text());
        assertEquals("    " + link + waitingLongest, lines.get(toShip + 2));
        assertTrue(lines.get(toShip + 3).startsWith("  Order " + number(waiting) + ", ordered 3 days ago ("), mail.text());

        int needing = lines.indexOf(lines.stream().filter(l -> l.startsWith("ORDERS THAT NEED YOUR ATTENTION: "))
                .findFirst().orElseThrow());
        assertTrue(lines.get(needing + 1).startsWith("  Order " + number(attention) + ", ordered 2 days ago ("), mail.text());
        assertEquals("    " + link + attention, lines.get(needing + 2));

        for (String personal : List.of("Grace", "Hopper", "@", "Harbor")) {
            assertFalse(mail.text().contains(personal) || mail.html().contains(personal), personal + " in " + mail.text());
        }
    }

    private static String number(String id) {
        return shop.order(id).number();
    }

    private static String total(String id) {
        return shop.order(id).totals().total().format();
    }

    /** As if the order had been placed at {@code at}: its creation time and the index keys that sort by it. */
    private static void placed(String id, Instant at) {
        update(id, "SET createdAt = :at, listedAt = :listed, createdMonth = :month", Map.of(
                ":at", AttributeValue.fromS(at.toString()),
                ":listed", AttributeValue.fromS(OrderIndexes.listedAt(at, id)),
                ":month", AttributeValue.fromS(OrderIndexes.createdMonth(at))));
    }

    /** As if Stripe's deadline were {@code at}: the dispute's and the open-disputes index's. */
    private static void evidenceDue(String id, Instant at) {
        update(id, "SET dispute.evidenceDueBy = :at, disputeDueBy = :due", Map.of(
                ":at", AttributeValue.fromS(at.toString()),
                ":due", AttributeValue.fromS(OrderIndexes.disputeDueBy(at, id))));
    }

    private static void update(String id, String expression, Map<String, AttributeValue> values) {
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(DynamoItems.key("ORDER#" + id))
                .updateExpression(expression).conditionExpression("attribute_exists(pk)").expressionAttributeValues(values));
    }
}
