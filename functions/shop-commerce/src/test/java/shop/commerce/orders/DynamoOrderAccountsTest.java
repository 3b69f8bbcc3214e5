package shop.commerce.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.commerce.testing.Samples;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Refunds, restock and disputes on the orders table of the local stand-in. Repeats run one after
 * another: moto's server does not yet make a conditional write atomic under concurrency (the
 * DynamoStoresTest races fail on it too).
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoOrderAccountsTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static LocalAws aws;
    private static DynamoOrderStore orders;
    private static DynamoOrderAccounts accounts;
    private static DynamoAuditTrail trail;
    private static DynamoProductStore products;

    @BeforeAll
    static void stores(LocalAws localAws) {
        aws = localAws;
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), Clock.systemUTC());
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), Clock.systemUTC());
        accounts = new DynamoOrderAccounts(aws.dynamo(), aws.physicalName("OrdersTable"),
                aws.physicalName("ProductsTable"), trail, Clock.systemUTC());
    }

    /** The back office's line of a change: what the store says the order was and became. */
    private static OrderAccounts.Line line(String action) {
        return (before, after) -> new AdminAction("ORDER#" + before.order().id(), AT, "sub-owner", "olga", action,
                "{\"amountRefunded\":" + before.order().amountRefunded() + "}",
                "{\"amountRefunded\":" + after.order().amountRefunded() + ",\"restocked\":"
                        + (after.restockedAt() != null) + "}", far());
    }

    @Test
    void eachRefundIsRecordedOnceAndTheFullAmountMakesTheOrderRefunded() {
        String id = paidOrder(); // total 18500
        Refund half = refund("re_half_" + id.substring(3), 9250);
        OrderAccount read = read(id);

        // The same refund three times from the same read: the later two are refused by the write's condition.
        List<OrderAccounts.Change> changes = List.of(accounts.addRefund(read, half), accounts.addRefund(read, half),
                accounts.addRefund(read, half));

        assertEquals(List.of(true, false, false), changes.stream().map(OrderAccounts.Change::made).toList());
        OrderAccount account = read(id);
        assertEquals(List.of(half), account.refunds());
        assertEquals(9250, account.order().amountRefunded());
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(9250, account.refundable());
        for (OrderAccounts.Change change : changes) {
            assertEquals(Optional.of(account), change.account(), "each answers the order as it stands");
        }

        OrderAccounts.Change rest = accounts.addRefund(account, refund("re_rest_" + id.substring(3), 9250));
        assertTrue(rest.made());
        account = read(id);
        assertEquals(Optional.of(account), rest.account());
        assertEquals(18500, account.order().amountRefunded());
        assertEquals(OrderStatus.REFUNDED, account.order().status());
        assertEquals(2, account.refunds().size());
    }

    @Test
    void aRefundWrittenFromAReadThatAnotherRefundOvertookCountsBothWithoutReadingAgain() {
        String id = paidOrder();
        OrderAccount stale = read(id);
        Refund first = refund("re_first_" + id.substring(3), 5000);
        Refund second = refund("re_second_" + id.substring(3), 3000);
        assertTrue(accounts.addRefund(read(id), first).made());

        var reads = new java.util.ArrayList<String>();
        var counting = new DynamoOrderAccounts(aws.dynamo(op -> {
            if (op.startsWith("Get") || op.equals("Query")) {
                reads.add(op);
            }
        }), aws.physicalName("OrdersTable"), Clock.systemUTC());
        OrderAccounts.Change change = counting.addRefund(stale, second);

        assertTrue(change.made());
        assertEquals(List.of(), reads, "the refused write answered the order as it stood");
        OrderAccount account = read(id);
        assertEquals(8000, account.order().amountRefunded());
        assertEquals(List.of(first, second), account.refunds());
        assertEquals(Optional.of(account), change.account());
    }

    @Test
    void aRefundAfterTheFullAmountStillCountsButCannotBeRecordedTwice() {
        String id = paidOrder();
        assertTrue(accounts.addRefund(read(id), refund("re_all_" + id.substring(3), 18500)).made());
        assertFalse(accounts.addRefund(read(id), refund("re_all_" + id.substring(3), 18500)).made());
        assertEquals(OrderStatus.REFUNDED, read(id).order().status());
        assertEquals(18500, read(id).order().amountRefunded());
    }

    @Test
    void aFullRefundFinishesAnErasureThatWaitedForTheOrderToBeDone() {
        String id = paidOrder();
        keptToShipByAnErasure(id);

        OrderAccounts.Change part = accounts.addRefund(read(id), refund("re_part_" + id.substring(3), 5000));
        assertEquals("Ada", part.account().orElseThrow().order().customerName(), "partly refunded: still to ship");
        assertTrue(item(id).containsKey(DynamoDeferredErasure.MARKER));

        OrderAccounts.Change rest = accounts.addRefund(read(id), refund("re_rest_" + id.substring(3), 13500));

        assertTrue(rest.made());
        assertErasedWhole(id);
        assertEquals(Optional.of(read(id)), rest.account(), "the change answers the order as it is now");
        assertNull(rest.account().orElseThrow().order().customerName());
    }

    @Test
    void aRepeatOfTheFullRefundFinishesAnErasureACallStoppedBeforeFinishing() {
        String id = paidOrder();
        Refund all = refund("re_all_" + id.substring(3), 18500);
        assertTrue(accounts.addRefund(read(id), all).made());
        // As if the erasure had been written after the refund's write and before its finishing step.
        keptToShipByAnErasure(id);

        assertFalse(accounts.addRefund(read(id), all).made());

        assertErasedWhole(id);
    }

    @Test
    void anOrderWithoutAShippingAddressLosesTheNameItKeptToo() {
        String id = paidOrder();
        keptToShipByAnErasure(id);
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(DynamoItems.key("ORDER#" + id))
                .updateExpression("REMOVE shipping"));

        assertTrue(accounts.addRefund(read(id), refund("re_all_" + id.substring(3), 18500)).made());

        var item = item(id);
        assertFalse(item.containsKey("customerName"));
        assertFalse(item.containsKey(DynamoDeferredErasure.MARKER));
        assertFalse(item.containsKey("shipping"));
    }

    /** What the privacy function writes on an order still to ship: the email gone, name and address kept, the marker. */
    private static void keptToShipByAnErasure(String id) {
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("OrdersTable")).key(DynamoItems.key("ORDER#" + id))
                .updateExpression("SET erasedAt = :at, #marker = :at, billing = :country REMOVE customerEmail, emailHash")
                .expressionAttributeNames(Map.of("#marker", DynamoDeferredErasure.MARKER))
                .expressionAttributeValues(Map.of(":at", DynamoItems.s(AT.toString()),
                        ":country", AttributeValue.fromM(Map.of("country", DynamoItems.s("US"))))));
    }

    private static void assertErasedWhole(String id) {
        var item = item(id);
        assertFalse(item.containsKey("customerName"));
        assertFalse(item.containsKey(DynamoDeferredErasure.MARKER));
        assertEquals(Map.of("country", DynamoItems.s("US")), item.get("shipping").m());
        assertEquals(AT.toString(), item.get("erasedAt").s());
        String text = item.toString();
        assertFalse(text.contains("Ada") || text.contains("Harbor"), text);
    }

    private static Map<String, AttributeValue> item(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(DynamoItems.key("ORDER#" + id)).consistentRead(true)).item();
    }

    @Test
    void aFullRefundThatFailedIsCountedBackOnceAndTheOrderIsPaidAgainAndFlagged() {
        String id = paidOrder(); // total 18500, not shipped
        Refund all = refund("re_all_" + id.substring(3), 18500);
        assertTrue(accounts.addRefund(read(id), all).made());
        OrderAccount refunded = read(id);
        assertEquals(OrderStatus.REFUNDED, refunded.order().status());
        Refund failed = failure(all);

        // Twice from the same read, then again from the order as it is now: one write.
        List<OrderAccounts.Change> changes = List.of(accounts.recordRefundFailure(refunded, failed),
                accounts.recordRefundFailure(refunded, failed), accounts.recordRefundFailure(read(id), failed));

        assertEquals(List.of(true, false, false), changes.stream().map(OrderAccounts.Change::made).toList());
        OrderAccount account = read(id);
        assertEquals(OrderStatus.PAID, account.order().status(), "back to what it was: paid and to ship");
        assertEquals(0, account.order().amountRefunded());
        assertEquals(18500, account.refundable());
        assertTrue(account.needsAttention());
        Refund stored = account.refund(all.stripeRefundId()).orElseThrow();
        assertEquals("failed", stored.failure());
        assertEquals("expired_or_canceled_card", stored.failureReason());
        assertEquals(AT.plusSeconds(60), stored.failedAt());
        assertEquals("Scratched clasp", stored.note(), "the owner's entry is kept, marked failed");
        assertEquals("owner", stored.by());
        for (OrderAccounts.Change change : changes) {
            assertEquals(Optional.of(account), change.account(), "each answers the order as it stands");
        }
        assertFalse(accounts.addRefund(account, all).made(), "Stripe's echo of it does not count it again");
        assertEquals(0, read(id).order().amountRefunded());
        assertEquals("PAID", item(id).get("status").s());
    }

    @Test
    void aFailedRefundOfAShippedOrderLeavesItShippedWithTheOtherRefundCounted() {
        String id = paidOrder();
        assertTrue(orders.transition(id, java.util.Set.of(OrderStatus.PAID), OrderStatus.SHIPPED, AT, far()));
        Refund part = refund("re_part_" + id.substring(3), 5000);
        Refund rest = refund("re_rest_" + id.substring(3), 13500);
        assertTrue(accounts.addRefund(read(id), part).made());
        assertTrue(accounts.addRefund(read(id), rest).made());
        assertEquals(OrderStatus.REFUNDED, read(id).order().status());

        assertTrue(accounts.recordRefundFailure(read(id), failure(rest)).made());

        OrderAccount account = read(id);
        assertEquals(OrderStatus.SHIPPED, account.order().status());
        assertEquals(5000, account.order().amountRefunded());
        assertFalse(account.refund(part.stripeRefundId()).orElseThrow().failed());
        assertTrue(account.refund(rest.stripeRefundId()).orElseThrow().failed());
    }

    @Test
    void aFailureThatCameBeforeItsRefundIsRecordedAsAFailedEntryThatIsNeverCounted() {
        String id = paidOrder();
        Refund early = refund("re_early_" + id.substring(3), 5000);

        assertTrue(accounts.recordRefundFailure(read(id), failure(early)).made());
        assertFalse(accounts.recordRefundFailure(read(id), failure(early)).made());
        assertFalse(accounts.addRefund(read(id), early).made(), "charge.refunded's stale copy is not money returned");

        OrderAccount account = read(id);
        assertEquals(OrderStatus.PAID, account.order().status());
        assertEquals(0, account.order().amountRefunded());
        assertEquals(List.of(failure(early)), account.refunds());
        assertTrue(account.needsAttention());
        assertTrue(accounts.addRefund(account, refund("re_later_" + id.substring(3), 18500)).made());
        assertEquals(OrderStatus.REFUNDED, read(id).order().status());
        assertEquals(18500, read(id).order().amountRefunded());
    }

    private static Refund failure(Refund refund) {
        return refund.failedAs("failed", "expired_or_canceled_card", AT.plusSeconds(60));
    }

    @Test
    void theBackOfficeClaimsARefundItsEchoRecordedFirstAndOnlyThat() {
        String id = paidOrder();
        String refundId = "re_echo_" + id.substring(3);
        OrderAccount beforeTheEcho = read(id);
        assertTrue(accounts.addRefund(read(id), new Refund(refundId, 5000, "usd", "duplicate", null, AT,
                Refund.BY_BACK_OFFICE, false, "key")).made());
        Refund owners = new Refund(refundId, 5000, "usd", "duplicate", "Charged twice", AT, "olga", true, "key");

        // As the back office meets it: its own write, from the read before the echo, is refused and answers the echo.
        OrderAccounts.Change added = accounts.addRefund(beforeTheEcho, owners);
        assertFalse(added.made());
        OrderAccounts.Change claimed = accounts.claimEchoedRefund(added.account().orElseThrow(), owners,
                line("order.refunded"));
        assertTrue(claimed.made());
        assertFalse(accounts.claimEchoedRefund(added.account().orElseThrow(), owners, line("order.refunded")).made(),
                "claimed once");
        assertEquals(List.of(owners), read(id).refunds());
        assertEquals(5000, read(id).order().amountRefunded());
        assertEquals(Optional.of(read(id)), claimed.account(), "the answer, worked out without a read, is what is stored");
        assertEquals(List.of("order.refunded"), actions(id), "one line, with the claim that made it");
    }

    @Test
    void theBackOfficesRefundIsWrittenWithItsLineAndARefusedOneWithout() {
        String id = paidOrder();
        Refund half = refund("re_half_" + id.substring(3), 9250);
        OrderAccount read = read(id);

        OrderAccounts.Change made = accounts.addRefund(read, half, line("order.refunded"));
        OrderAccounts.Change again = accounts.addRefund(read, half, line("order.refunded"));

        assertTrue(made.made());
        assertFalse(again.made());
        assertEquals(Optional.of(read(id)), made.account(), "the answer, worked out without a read, is what is stored");
        assertEquals(Optional.of(read(id)), again.account(), "the refusal answers the order as it stands");
        var lines = trail.of("ORDER#" + id);
        assertEquals(List.of("order.refunded"), lines.stream().map(AdminAction::action).toList());
        assertEquals("{\"amountRefunded\":0}", lines.get(0).before());
        assertTrue(lines.get(0).after().startsWith("{\"amountRefunded\":9250"), lines.get(0).after());

        Refund rest = refund("re_rest_" + id.substring(3), 9250);
        OrderAccounts.Change full = accounts.addRefund(read(id), rest, line("order.refunded"));
        assertEquals(OrderStatus.REFUNDED, full.account().orElseThrow().order().status());
        assertEquals(Optional.of(read(id)), full.account());
        assertEquals(2, trail.of("ORDER#" + id).size());
    }

    @Test
    void anUnpaidOrderTakesNoRefund() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(id, OrderStatus.PENDING_PAYMENT, "ada@example.com", "Ada"), far());
        assertFalse(accounts.addRefund(read(id), refund("re_x_" + id.substring(3), 100)).made());
        assertEquals(0, read(id).order().amountRefunded());
    }

    @Test
    void piecesGoBackOnSaleOnceWithTheirLineAndAProductDeletedSinceIsSkipped() {
        String sku = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String gone = "GONE-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(Samples.product(sku, 18500, 1), true);
        Map<String, Integer> pieces = new LinkedHashMap<>();
        pieces.put(gone, 1);
        pieces.put(sku, 2);
        String id = paidOrder(pieces);
        OrderAccount read = read(id);

        // A double press: both from the same read; the second is refused by the counts the first changed.
        OrderAccounts.Change first = accounts.restock(read, pieces, AT, line("order.restocked"));
        OrderAccounts.Change second = accounts.restock(read, pieces, AT.plusSeconds(5), line("order.restocked"));

        assertTrue(first.made());
        assertFalse(second.made());
        assertEquals(AT, read(id).restockedAt());
        assertEquals(Map.of(gone, 1, sku, 2), read(id).restockedPieces(), "the deleted product's piece counted as back");
        assertEquals(Optional.of(read(id)), first.account());
        assertEquals(AT, second.account().orElseThrow().restockedAt(), "the refusal answers the first mark");
        assertEquals(3, products.find(sku).orElseThrow().stock(), "given back once");
        assertTrue(products.find(gone).isEmpty(), "a deleted product is not made again by its returned piece");
        assertEquals(List.of("order.restocked"), actions(id));
        String never = "cs_test_never_" + id.substring(8);
        OrderAccount neverWritten = OrderAccount.of(Samples.order(never, OrderStatus.PAID, Map.of(sku, 1)));
        assertFalse(accounts.restock(neverWritten, Map.of(sku, 1), AT, line("order.restocked")).made());
        assertEquals(List.of(), actions(never));
        assertEquals(3, products.find(sku).orElseThrow().stock());
    }

    /**
     * The customer kept one piece and sent the others back, one parcel at a time: each restock puts
     * back only its pieces, counted per SKU on the order; {@code restockedAt} comes with the last.
     */
    @Test
    void piecesGoBackLineByLineAndEverythingIsBackWithTheLast() {
        String ring = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String earrings = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(Samples.product(ring, 4000, 0), true);
        products.save(Samples.product(earrings, 4000, 0), true);
        String id = paidOrder(Map.of(ring, 2, earrings, 1));
        OrderAccount untouched = read(id);

        OrderAccounts.Change one = accounts.restock(untouched, Map.of(ring, 1), AT, line("order.restocked"));

        assertTrue(one.made());
        assertEquals(Map.of(ring, 1, earrings, 0), read(id).restockedPieces());
        assertNull(read(id).restockedAt(), "not everything is back");
        assertEquals(Optional.of(read(id)), one.account());
        assertEquals(List.of(1, 0), List.of(stock(ring), stock(earrings)));

        // Another page's restock of the earrings, read before the ring went back: refused, nothing written.
        OrderAccounts.Change stale = accounts.restock(untouched, Map.of(earrings, 1), AT, line("order.restocked"));
        assertFalse(stale.made());
        assertEquals(Optional.of(read(id)), stale.account(), "the refusal answers the order as it stands");
        assertEquals(List.of(1, 0), List.of(stock(ring), stock(earrings)));

        OrderAccounts.Change second = accounts.restock(read(id), Map.of(ring, 1), AT.plusSeconds(60),
                line("order.restocked"));
        assertTrue(second.made());
        assertEquals(Map.of(ring, 2, earrings, 0), read(id).restockedPieces());
        assertNull(read(id).restockedAt());

        OrderAccounts.Change last = accounts.restock(read(id), Map.of(earrings, 1), AT.plusSeconds(120),
                line("order.restocked"));
        assertTrue(last.made());
        assertEquals(AT.plusSeconds(120), read(id).restockedAt(), "everything is back");
        assertEquals(Map.of(ring, 2, earrings, 1), read(id).restockedPieces());
        assertEquals(List.of(2, 1), List.of(stock(ring), stock(earrings)));
        assertEquals(List.of("order.restocked", "order.restocked", "order.restocked"), actions(id));
        assertThrows(IllegalArgumentException.class,
                () -> accounts.restock(read(id), Map.of(ring, 1), AT, line("order.restocked")), "nothing is left");
    }

    private static int stock(String sku) {
        return products.find(sku).orElseThrow().stock();
    }

    /**
     * A unique piece came back and the owner put it on sale by hand (+) before refunding with its
     * restock: it is not given back a second time (two for sale of a one-of-a-kind piece), while the
     * other pieces go back.
     */
    @Test
    void aOneOfAKindPieceOnSaleAgainAlreadyIsNotGivenBackTwice() {
        String onSale = "UNIQ-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String sold = "UNIQ-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String several = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(new Product(onSale, "Back on sale", "", Money.of(18500, "USD"), 1, List.of(), true, null, true), true);
        products.save(new Product(sold, "Still sold", "", Money.of(18500, "USD"), 0, List.of(), true, null, true), true);
        products.save(Samples.product(several, 4000, 1), true);
        Map<String, Integer> pieces = new LinkedHashMap<>();
        pieces.put(onSale, 1);
        pieces.put(sold, 1);
        pieces.put(several, 2);
        String id = paidOrder(pieces);

        OrderAccounts.Change restocked = accounts.restock(read(id), pieces, AT, line("order.restocked"));

        assertTrue(restocked.made());
        assertEquals(1, products.find(onSale).orElseThrow().stock(), "one of a kind: never two for sale");
        assertEquals(1, products.find(sold).orElseThrow().stock(), "given back");
        assertEquals(3, products.find(several).orElseThrow().stock(), "given back");
        assertEquals(List.of("order.restocked"), actions(id));
    }

    /**
     * The piece came back (the owner pressed + when it came back, say) and a customer's open
     * checkout holds it now: 0 for sale, 1 held. Restocking the refunded order must not put a
     * second piece on sale while the first may be paid for: skipped, the rest given back.
     */
    @Test
    void aOneOfAKindPieceHeldByAnOpenCheckoutIsNotGivenBackOnTop() {
        String held = "UNIQ-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String several = "RET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        products.save(new Product(held, "In a checkout", "", Money.of(18500, "USD"), 1, List.of(), true, null, true), true);
        products.save(Samples.product(several, 4000, 1), true);
        new shop.commerce.reservations.StockReservations(new shop.commerce.reservations.DynamoReservationStore(
                aws.dynamo(), aws.physicalName("CheckoutsTable"), aws.physicalName("ProductsTable"), Clock.systemUTC()),
                Clock.systemUTC()).reserve(List.of(new shop.commerce.reservations.ReservedLine(held, 1)));
        Map<String, Integer> pieces = new LinkedHashMap<>();
        pieces.put(held, 1);
        pieces.put(several, 2);
        String id = paidOrder(pieces);

        assertTrue(accounts.restock(read(id), pieces, AT, line("order.restocked")).made());

        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable"))
                .key(DynamoProductStore.key(held)).consistentRead(true)).item();
        assertEquals(List.of(0, 1), List.of(Integer.parseInt(item.get("stock").n()), DynamoProductStore.held(item)),
                "still only the held piece");
        assertEquals(3, products.find(several).orElseThrow().stock(), "given back");
        assertEquals(List.of("order.restocked"), actions(id));
    }

    private static List<String> actions(String id) {
        return trail.of("ORDER#" + id).stream().map(AdminAction::action).toList();
    }

    @Test
    void aDisputeClosedBeforeItsCreationEventEndsClosedWithItsFirstTimes() {
        String id = paidOrder();
        Instant due = Instant.parse("2026-12-20T23:59:59Z");
        Instant opened = Instant.parse("2026-12-01T09:00:00Z");
        Dispute open = Dispute.of("du_1", "fraudulent", "needs_response", 18500, "usd", due, opened, AT);
        Dispute lost = Dispute.of("du_1", "fraudulent", "lost", 18500, "usd", null, opened, AT.plusSeconds(60));
        OrderAccount beforeAny = read(id);

        assertTrue(accounts.recordDispute(read(id), lost, AT.plusSeconds(60)).made());
        assertFalse(accounts.recordDispute(read(id), open, AT.plusSeconds(120)).made());
        // From a read before the first: the write is refused and the merge done again on what it answered.
        OrderAccounts.Change late = accounts.recordDispute(beforeAny, lost, AT.plusSeconds(180));

        OrderAccount account = read(id);
        assertEquals(Optional.of(account), late.account());
        assertEquals("lost", account.dispute().outcome());
        assertEquals(AT.plusSeconds(60), account.dispute().closedAt());
        assertEquals(opened, account.dispute().openedAt());
        assertFalse(account.needsAttention());

        String other = paidOrder();
        OrderAccounts.Change recorded = accounts.recordDispute(read(other), open, AT);
        assertTrue(recorded.made());
        assertEquals(Optional.of(read(other)), recorded.account());
        assertTrue(read(other).needsAttention());
        assertNull(read(other).dispute().outcome());
        assertEquals(due, read(other).dispute().evidenceDueBy());
    }

    /**
     * A second dispute of the same payment after the first closed (a chargeback after an inquiry closed) needs the
     * owner as the first did: it was taken for a late "created" of the closed one and dropped, so the order never
     * said it, nor listed its deadline. A late event of the earlier dispute does not hide the later one.
     */
    @Test
    void aSecondDisputeOfThePaymentAfterTheFirstClosedIsOpenWithItsDeadline() {
        String id = paidOrder();
        Instant inquired = Instant.parse("2026-12-01T09:00:00Z");
        Instant charged = Instant.parse("2026-12-10T09:00:00Z");
        Instant due = Instant.parse("2026-12-28T23:59:59Z");
        Dispute inquiry = Dispute.of("du_inquiry", "general", "warning_closed", 18500, "usd", null, inquired, AT);
        Dispute chargeback = Dispute.of("du_chargeback", "fraudulent", "needs_response", 18500, "usd", due, charged,
                AT.plusSeconds(60));
        assertTrue(accounts.recordDispute(read(id), inquiry, AT).made());

        assertTrue(accounts.recordDispute(read(id), chargeback, AT.plusSeconds(60)).made());
        assertFalse(accounts.recordDispute(read(id), inquiry, AT.plusSeconds(120)).made(), "a late event of the first");

        OrderAccount account = read(id);
        assertEquals("du_chargeback", account.dispute().id());
        assertNull(account.dispute().outcome());
        assertEquals(due, account.dispute().evidenceDueBy());
        assertTrue(account.needsAttention());
        assertTrue(openDisputes().contains(id));
    }

    /**
     * The open-disputes index follows the dispute in the write that records it: an open dispute is
     * in it by its evidence deadline, a deadline Stripe moves moves it, its closing takes it out.
     */
    @Test
    void anOpenDisputeIsListedByItsDeadlineUntilItsClosingTakesItOut() {
        String id = paidOrder();
        Instant due = Instant.parse("2026-12-20T23:59:59Z");
        Instant later = Instant.parse("2026-12-27T23:59:59Z");
        Instant opened = Instant.parse("2026-12-01T09:00:00Z");

        assertTrue(accounts.recordDispute(read(id), Dispute.of("du_2", "fraudulent", "needs_response", 18500, "usd", due,
                opened, AT), AT).made());
        assertEquals(Optional.of("2026-12-20T23:59:59.000000000Z#" + id), indexKey(id));
        assertTrue(openDisputes().contains(id));

        assertTrue(accounts.recordDispute(read(id), Dispute.of("du_2", "fraudulent", "under_review", 18500, "usd", later,
                opened, AT.plusSeconds(60)), AT.plusSeconds(60)).made());
        assertEquals(Optional.of("2026-12-27T23:59:59.000000000Z#" + id), indexKey(id), "the new deadline");

        assertTrue(accounts.recordDispute(read(id), Dispute.of("du_2", "fraudulent", "won", 18500, "usd", null,
                opened, AT.plusSeconds(120)), AT.plusSeconds(120)).made());
        Map<String, AttributeValue> item = item(id);
        assertFalse(item.containsKey("disputeOpen"), item.toString());
        assertFalse(item.containsKey("disputeDueBy"), item.toString());
        assertFalse(openDisputes().contains(id));
        assertEquals("won", read(id).dispute().outcome());
    }

    /** Every status Stripe closes a dispute with takes the order out of the list, whatever came before. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"won", "lost", "warning_closed", "prevented"})
    void everyClosingStatusTakesTheOrderOutOfTheOpenDisputes(String status) {
        String id = paidOrder();
        Instant opened = Instant.parse("2026-12-01T09:00:00Z");
        accounts.recordDispute(read(id), Dispute.of("du_3", "general", "warning_needs_response", 18500, "usd", null,
                opened, AT), AT);
        assertEquals(Optional.of("NONE#" + id), indexKey(id), "open without a deadline: listed last");

        assertTrue(accounts.recordDispute(read(id), Dispute.of("du_3", "general", status, 18500, "usd", null,
                opened, AT.plusSeconds(60)), AT.plusSeconds(60)).made());

        assertEquals(Optional.empty(), indexKey(id));
        assertFalse(item(id).containsKey("disputeOpen"));
        assertFalse(openDisputes().contains(id));
    }

    /**
     * Stripe's events arrive in any order: a closing recorded first is never followed into the list
     * by the late "created", whether it is read after the closing or was read before it.
     */
    @Test
    void aClosingBeforeTheCreationNeverPutsTheOrderInTheOpenDisputes() {
        String id = paidOrder();
        Instant due = Instant.parse("2026-12-20T23:59:59Z");
        Instant opened = Instant.parse("2026-12-01T09:00:00Z");
        Dispute open = Dispute.of("du_4", "fraudulent", "needs_response", 18500, "usd", due, opened, AT);
        Dispute lost = Dispute.of("du_4", "fraudulent", "lost", 18500, "usd", null, opened, AT.plusSeconds(60));
        OrderAccount beforeAny = read(id);

        assertTrue(accounts.recordDispute(read(id), lost, AT.plusSeconds(60)).made());
        assertFalse(accounts.recordDispute(read(id), open, AT.plusSeconds(120)).made());
        assertFalse(accounts.recordDispute(beforeAny, open, AT.plusSeconds(180)).made(), "from a read before the closing");

        Map<String, AttributeValue> item = item(id);
        assertFalse(item.containsKey("disputeOpen"), item.toString());
        assertFalse(item.containsKey("disputeDueBy"), item.toString());
        assertFalse(openDisputes().contains(id));
        assertEquals("lost", read(id).dispute().outcome());
    }

    @Test
    void queuedMailsAreNoted() {
        String id = paidOrder();
        accounts.markMailQueued(id, "re_a");
        accounts.markMailQueued(id, "re_a");
        assertTrue(accounts.find(id).orElseThrow().mailQueued("re_a"));
        assertFalse(accounts.find(id).orElseThrow().mailQueued("re_b"));
    }

    private static Optional<String> indexKey(String id) {
        Map<String, AttributeValue> item = item(id);
        if (!item.containsKey("disputeOpen")) {
            return Optional.empty();
        }
        assertEquals("OPEN", item.get("disputeOpen").s());
        return Optional.of(item.get("disputeDueBy").s());
    }

    /** The ids the open-disputes index lists now, every page of it. */
    private static List<String> openDisputes() {
        List<String> ids = new java.util.ArrayList<>();
        aws.dynamo().queryPaginator(b -> b.tableName(aws.physicalName("OrdersTable")).indexName(OrderIndexes.BY_OPEN_DISPUTE)
                        .keyConditionExpression("disputeOpen = :open")
                        .expressionAttributeValues(Map.of(":open", AttributeValue.fromS(OrderIndexes.OPEN))))
                .items().forEach(i -> ids.add(i.get("pk").s().substring("ORDER#".length())));
        return ids;
    }

    private static OrderAccount read(String id) {
        return accounts.find(id).orElseThrow();
    }

    private static String paidOrder() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(orders.create(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), far()));
        return id;
    }

    private static String paidOrder(Map<String, Integer> pieces) {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(orders.create(Samples.order(id, OrderStatus.PAID, pieces), far()));
        return id;
    }

    private static long far() {
        return RetentionSchedule.ORDER_PAID.expiresAt(Instant.now());
    }

    private static Refund refund(String id, long amount) {
        return new Refund(id, amount, "usd", "requested_by_customer", "Scratched clasp", AT, "owner", false, "key-" + id);
    }
}
