package shop.adminorders.waiting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.SampleEvents;
import shop.core.config.Env;
import shop.core.dynamo.DynamoItems;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.SentMail;

/** The handler wired as template.yaml wires OrdersWaitingFunction, on the local stand-ins, fed {@code events/admin-orders/}'s schedule. */
@ExtendWith(LocalAwsExtension.class)
class WaitingHandlerTest {
    private static final String PAGE = "https://admin.example.com/";
    private static LocalAws aws;
    private static Map<String, String> environment;
    private static String owner;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        environment = aws.functionEnvironment("OrdersWaitingFunction", Map.of("AdminPageUrl", PAGE));
        owner = Env.of(environment).optional("SHOP_OWNER_ADDRESS").orElse(environment.get("SENDER_ADDRESS"));
    }

    /**
     * The morning's run mails the owner the order waiting longest, linked to its record; the schedule firing again the
     * same day mails nothing more, and the day's record says the mail was sent.
     */
    @Test
    void theOwnerIsMailedWhatWaitsOnceADay() {
        var table = new OrdersInTheTable(aws);
        // Older than any other test's order: the mail names the five waiting longest.
        String oldest = table.create(OrderStatus.PAID, Instant.parse("1971-01-01T00:00:00Z"));
        var handler = new WaitingHandler(environment);

        Map<String, Object> first = handler.handleRequest(SampleEvents.scheduled("admin-orders/orders-waiting-daily.json"), null);
        Map<String, Object> again = handler.handleRequest(SampleEvents.scheduled("admin-orders/orders-waiting-daily.json"), null);

        assertEquals("MAILED", first.get("outcome"), first.toString());
        assertTrue((int) first.get("toShip") >= 1, first.toString());
        assertEquals("MAILED_BEFORE", again.get("outcome"), again.toString());
        List<SentMail> mails = aws.mailbox().to(owner).stream()
                .filter(mail -> mail.subject().startsWith("Waiting in the shop:")).toList();
        assertEquals(1, mails.size(), mails.toString());
        String text = mails.get(0).text();
        assertTrue(text.contains("ORDERS TO SHIP: "), text);
        assertTrue(text.contains("  Order " + table.number(oldest) + ", ordered "), text);
        assertTrue(text.contains(PAGE + "#order=" + oldest), text);
        assertFalse(text.contains("Ada") || text.contains("@example.com") || text.contains("Harbor"),
                "no customer's name, email or address: " + text);
        var day = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(DynamoItems.key("MAIL#ORDERS_WAITING#" + LocalDate.now(ZoneOffset.UTC)))).item();
        assertEquals("SENT", day.get("status").s());
        assertEquals(mails.get(0).messageId(), day.get("messageId").s());
    }

    /** Priming runs every adapter call the function's policy allows: were one refused, it would throw. */
    @Test
    void primingRunsEveryCallAndSendsNothing() {
        int before = aws.mailbox().all().size();

        WaitingDependencies.fromEnvironment(Env.of(environment)).primeAdapters().run();

        assertEquals(before, aws.mailbox().all().size());
    }
}
