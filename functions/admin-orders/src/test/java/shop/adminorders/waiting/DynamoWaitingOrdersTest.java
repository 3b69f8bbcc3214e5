package shop.adminorders.waiting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.adminorders.waiting.WaitingOrders.Listing;
import shop.adminorders.waiting.WaitingOrders.Order;
import shop.commerce.orders.OrderStatus;
import shop.core.dynamo.DynamoDayClaims;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/** The morning mail's adapters on the local stand-in's orders table and the indexes template.yaml declares. */
@ExtendWith(LocalAwsExtension.class)
class DynamoWaitingOrdersTest {
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    private static LocalAws aws;
    private static OrdersInTheTable table;
    private static DynamoWaitingOrders waiting;
    private static DynamoDayClaims claims;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = new OrdersInTheTable(aws);
        String orders = aws.physicalName("OrdersTable");
        waiting = new DynamoWaitingOrders(aws.dynamo(operations::add), orders, Clock.systemUTC());
        claims = new DynamoDayClaims(aws.dynamo(operations::add), orders, WaitingDependencies.CLAIM_PREFIX,
                RetentionSchedule.ORDERS_WAITING_MAIL_CLAIM);
    }

    /** Oldest first from the start of the index, as many as asked, "more" when there are: Queries only, no Scan. */
    @Test
    void theOrdersToShipOldestFirstBoundedWithQueriesOnly() {
        Instant era = Instant.parse("1980-01-01T00:00:00Z");
        String oldest = table.create(OrderStatus.PAID, era.plus(Duration.ofHours(1)));
        String second = table.create(OrderStatus.PAID, era.plus(Duration.ofHours(2)));
        String third = table.create(OrderStatus.PAID, era.plus(Duration.ofHours(3)));
        String attention = table.create(OrderStatus.NEEDS_ATTENTION, era.plus(Duration.ofMinutes(30)));
        String shipped = table.create(OrderStatus.PAID, era);
        assertTrue(table.store.transition(shipped, Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, Instant.now(),
                Instant.now().plus(Duration.ofDays(1)).getEpochSecond()));
        operations.clear();

        List<String> all = waiting.oldest(OrderStatus.PAID, 100).orders().stream().map(Order::id).toList();
        int upToSecond = all.indexOf(second) + 1;
        Listing bounded = waiting.oldest(OrderStatus.PAID, upToSecond);
        Listing needing = waiting.oldest(OrderStatus.NEEDS_ATTENTION, 100);

        assertEquals(List.of(oldest, second, third), all.stream().filter(List.of(oldest, second, third)::contains).toList(),
                "oldest first");
        assertEquals(all.subList(0, upToSecond), bounded.orders().stream().map(Order::id).toList());
        assertTrue(bounded.more(), "a third waits");
        assertEquals(new Order(oldest, table.number(oldest), era.plus(Duration.ofHours(1)), null),
                bounded.orders().get(all.indexOf(oldest)));
        assertTrue(needing.orders().stream().anyMatch(o -> o.id().equals(attention)));
        assertFalse(needing.orders().stream().anyMatch(o -> o.id().equals(oldest)), "a list per status");
        assertFalse(all.contains(shipped), "a shipped order has left the list");
        assertEquals(Set.of("Query"), Set.copyOf(operations));
    }

    /**
     * Soonest deadline first, with the reason, amount and deadline of each dispute; one without a deadline after every
     * dated one; a closed one not at all.
     */
    @Test
    void theOpenDisputesSoonestDeadlineFirstWithTheirDispute() {
        Instant era = Instant.parse("1975-01-01T00:00:00Z");
        String later = table.create(OrderStatus.SHIPPED, Instant.now());
        String sooner = table.create(OrderStatus.REFUNDED, Instant.now());
        String none = table.create(OrderStatus.SHIPPED, Instant.now());
        String closed = table.create(OrderStatus.SHIPPED, Instant.now());
        table.dispute(later, "fraudulent", 18500, era.plus(Duration.ofDays(9)));
        table.dispute(sooner, "product_not_received", 4000, era.plus(Duration.ofDays(8)));
        table.dispute(none, "general", 1200, null);
        table.dispute(closed, "duplicate", 2500, era.plus(Duration.ofDays(1)));
        var account = table.accounts.find(closed).orElseThrow();
        Instant at = Instant.now();
        table.accounts.recordDispute(account, shop.commerce.orders.Dispute.of(account.dispute().id(), "duplicate", "lost", 2500,
                "usd", null, at, at), at);
        operations.clear();

        Listing open = waiting.openDisputes(100);

        List<String> mine = open.orders().stream().map(Order::id).filter(List.of(later, sooner, none, closed)::contains).toList();
        assertEquals(List.of(sooner, later, none), mine);
        Order first = open.orders().stream().filter(o -> o.id().equals(sooner)).findFirst().orElseThrow();
        assertEquals(new WaitingOrders.Dispute("product_not_received", 4000, "usd", era.plus(Duration.ofDays(8))),
                first.dispute());
        assertEquals(table.number(sooner), first.number());
        assertNull(open.orders().stream().filter(o -> o.id().equals(none)).findFirst().orElseThrow().dispute().evidenceDueBy());
        assertEquals(Set.of("Query"), Set.copyOf(operations));
        assertEquals(sooner, waiting.openDisputes(1).orders().get(0).id(), "this run's deadlines come before any other's");
        assertTrue(waiting.openDisputes(1).more());
    }

    /** Priming reads partitions no order is in and writes nothing. */
    @Test
    void primingReadsNothingAndWritesNothing() {
        operations.clear();

        waiting.prime();
        claims.prime();

        assertEquals(List.of("Query", "Query", "GetItem", "UpdateItem", "DeleteItem"), operations);
        assertTrue(aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(DynamoItems.key("MAIL#ORDERS_WAITING#priming-never-claimed"))).item().isEmpty());
    }
}
