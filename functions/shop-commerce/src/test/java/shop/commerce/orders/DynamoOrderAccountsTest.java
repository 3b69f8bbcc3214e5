package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.testing.Samples;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * Refunds, restock and disputes on the orders table of the local stand-in. Repeats run one after
 * another: moto's server does not yet make a conditional write atomic under concurrency (the
 * DynamoStoresTest races fail on it too).
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoOrderAccountsTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;

    @BeforeAll
    static void stores(LocalAws aws) {
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC());
    }

    @Test
    void eachRefundIsRecordedOnceAndTheFullAmountMakesTheOrderRefunded() {
        String id = paidOrder(); // total 18500
        Refund half = refund("re_half_" + id.substring(3), 9250);

        List<Boolean> recorded = List.of(accounts.addRefund(id, half), accounts.addRefund(id, half),
                accounts.addRefund(id, half));

        assertEquals(1, recorded.stream().filter(r -> r).count());
        OrderAccount account = accounts.find(id).orElseThrow();
        assertEquals(List.of(half), account.refunds());
        assertEquals(9250, account.order().amountRefunded());
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(9250, account.refundable());

        assertTrue(accounts.addRefund(id, refund("re_rest_" + id.substring(3), 9250)));
        account = accounts.find(id).orElseThrow();
        assertEquals(18500, account.order().amountRefunded());
        assertEquals(OrderStatus.REFUNDED, account.order().status());
        assertEquals(2, account.refunds().size());
    }

    @Test
    void aRefundAfterTheFullAmountStillCountsButCannotBeRecordedTwice() {
        String id = paidOrder();
        assertTrue(accounts.addRefund(id, refund("re_all_" + id.substring(3), 18500)));
        assertFalse(accounts.addRefund(id, refund("re_all_" + id.substring(3), 18500)));
        assertEquals(OrderStatus.REFUNDED, accounts.find(id).orElseThrow().order().status());
        assertEquals(18500, accounts.find(id).orElseThrow().order().amountRefunded());
    }

    @Test
    void theBackOfficeClaimsARefundItsEchoRecordedFirstAndOnlyThat() {
        String id = paidOrder();
        String refundId = "re_echo_" + id.substring(3);
        assertTrue(accounts.addRefund(id, new Refund(refundId, 5000, "usd", "duplicate", null, AT, Refund.BY_BACK_OFFICE,
                false, "key")));
        Refund owners = new Refund(refundId, 5000, "usd", "duplicate", "Charged twice", AT, "olga", true, "key");

        assertTrue(accounts.claimEchoedRefund(id, owners));
        assertFalse(accounts.claimEchoedRefund(id, owners), "claimed once");
        assertEquals(List.of(owners), accounts.find(id).orElseThrow().refunds());
        assertEquals(5000, accounts.find(id).orElseThrow().order().amountRefunded());
    }

    @Test
    void anUnpaidOrderTakesNoRefund() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(id, OrderStatus.PENDING_PAYMENT, "ada@example.com", "Ada"), far());
        assertFalse(accounts.addRefund(id, refund("re_x_" + id.substring(3), 100)));
        assertEquals(0, accounts.find(id).orElseThrow().order().amountRefunded());
    }

    @Test
    void piecesGoBackOnSaleOnce() {
        String id = paidOrder();
        assertTrue(accounts.markRestocked(id, AT));
        assertFalse(accounts.markRestocked(id, AT.plusSeconds(5)));
        assertEquals(AT, accounts.find(id).orElseThrow().restockedAt());
    }

    @Test
    void aDisputeClosedBeforeItsCreationEventEndsClosedWithItsFirstTimes() {
        String id = paidOrder();
        Instant due = Instant.parse("2026-12-20T23:59:59Z");
        Instant opened = Instant.parse("2026-12-01T09:00:00Z");
        Dispute open = Dispute.of("du_1", "fraudulent", "needs_response", 18500, "usd", due, opened, AT);
        Dispute lost = Dispute.of("du_1", "fraudulent", "lost", 18500, "usd", null, opened, AT.plusSeconds(60));

        accounts.recordDispute(id, lost, AT.plusSeconds(60));
        accounts.recordDispute(id, open, AT.plusSeconds(120));
        accounts.recordDispute(id, lost, AT.plusSeconds(180));

        OrderAccount account = accounts.find(id).orElseThrow();
        assertEquals("lost", account.dispute().outcome());
        assertEquals(AT.plusSeconds(60), account.dispute().closedAt());
        assertEquals(opened, account.dispute().openedAt());
        assertFalse(account.needsAttention());

        String other = paidOrder();
        accounts.recordDispute(other, open, AT);
        assertTrue(accounts.find(other).orElseThrow().needsAttention());
        assertNull(accounts.find(other).orElseThrow().dispute().outcome());
        assertEquals(due, accounts.find(other).orElseThrow().dispute().evidenceDueBy());
    }

    @Test
    void queuedMailsAreNoted() {
        String id = paidOrder();
        accounts.markMailQueued(id, "re_a");
        accounts.markMailQueued(id, "re_a");
        assertTrue(accounts.find(id).orElseThrow().mailQueued("re_a"));
        assertFalse(accounts.find(id).orElseThrow().mailQueued("re_b"));
    }

    private static String paidOrder() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(orders.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), far()));
        return id;
    }

    private static long far() {
        return RetentionSchedule.ORDER_PAID.expiresAt(Instant.now());
    }

    private static Refund refund(String id, long amount) {
        return new Refund(id, amount, "usd", "requested_by_customer", "Scratched clasp", AT, "owner", false, "key-" + id);
    }
}
