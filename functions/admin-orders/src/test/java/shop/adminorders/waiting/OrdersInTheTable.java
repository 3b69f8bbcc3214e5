package shop.adminorders.waiting;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.DynamoOrderAccounts;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.Samples;
import shop.local.stack.LocalAws;

/**
 * Orders and disputes written as the checkout and the webhook write them, on the local stand-in's
 * orders table. A test gives its orders creation times and deadlines decades back, before any other
 * test's (each test its own decade; after 1970, before which DynamoOrderBookTest expects no order),
 * so that the lists read from the start of their index (oldest first, soonest deadline first) begin
 * with them whatever else the table holds.
 */
final class OrdersInTheTable {
    final DynamoOrderStore store;
    final DynamoOrderAccounts accounts;
    OrdersInTheTable(LocalAws aws) {
        String table = aws.physicalName("OrdersTable");
        this.store = new DynamoOrderStore(aws.dynamo(), table, Clock.systemUTC(), Samples.HASHER);
        this.accounts = new DynamoOrderAccounts(aws.dynamo(), table, Clock.systemUTC());
    }

    /** An order in {@code status} created at {@code createdAt}. */
    String create(OrderStatus status, Instant createdAt) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        Order sample = Samples.order(id, status, "ada@example.com", "Ada Lovelace");
        Order order = new Order(sample.id(), sample.number(), sample.status(), sample.reservationId(), sample.customerName(),
                sample.customerEmail(), sample.shipping(), sample.billing(), sample.items(), sample.totals(), 0,
                sample.paymentIntentId(), false, createdAt, sample.paidAt(), Set.of(), sample.attentionReason());
        assertTrue(store.create(order, Instant.now().plus(Duration.ofDays(1)).getEpochSecond()));
        return id;
    }

    /** The order's dispute recorded open by the webhook, its evidence due {@code dueBy} (null: none). */
    void dispute(String id, String reason, long amount, Instant dueBy) {
        Instant opened = Instant.now();
        assertTrue(accounts.recordDispute(accounts.find(id).orElseThrow(), Dispute.of("du_" + id.substring(8, 20), reason,
                "needs_response", amount, "usd", dueBy, opened, opened), opened).made());
    }

    String number(String id) {
        return store.find(id).orElseThrow().number();
    }
}
