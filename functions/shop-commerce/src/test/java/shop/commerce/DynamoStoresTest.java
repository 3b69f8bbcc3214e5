package shop.commerce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.DynamoPaidOrders;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.PaidOrders;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.HoldLimit;
import shop.commerce.reservations.TooManyHoldsException;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.SoldOutException;
import shop.commerce.reservations.StockReservations;
import shop.commerce.stats.DynamoOrderCounter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import shop.commerce.testing.Samples;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * The DynamoDB adapters against the local stand-in, on the tables template.yaml declares: the
 * conditional writes that the services rely on must hold under concurrency, not only in fakes.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoStoresTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static LocalAws aws;
    private static ExecutorService pool;
    private static DynamoProductStore products;
    private static DynamoReservationStore reservations;
    private static DynamoOrderStore orders;
    private static DynamoOrderCounter counter;
    private static DynamoPaidOrders paidOrders;

    @BeforeAll
    static void stores(LocalAws localAws) {
        aws = localAws;
        pool = Executors.newFixedThreadPool(16);
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), CLOCK);
        reservations = new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), CLOCK);
        orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), CLOCK, Samples.HASHER);
        counter = new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable"));
        paidOrders = new DynamoPaidOrders(aws.dynamo(), orders, reservations, counter);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void fiftyConcurrentHoldsOfTheLastPieceSucceedOnce() throws Exception {
        String sku = unique("LAST");
        products.save(Samples.product(sku, 18500, 1), true);
        var stock = new StockReservations(reservations, CLOCK);

        List<Boolean> results = all(50, () -> {
            try {
                stock.reserve(List.of(new ReservedLine(sku, 1)));
                return true;
            } catch (SoldOutException soldOut) {
                return false;
            }
        });

        assertEquals(1, results.stream().filter(taken -> taken).count());
        assertEquals(0, products.find(sku).orElseThrow().stock());
    }

    @Test
    void oneClientRacingTwentyHoldsGetsAtMostItsLimitAndEachEndingHoldGivesItsCountBack() throws Exception {
        String sku = unique("HOARD");
        products.save(Samples.product(sku, 18500, 20), true);
        var stock = new StockReservations(reservations, CLOCK);
        var limit = newClient("ip");

        List<String> results = all(20, () -> {
            try {
                return stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(limit)).id();
            } catch (TooManyHoldsException | software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException refused) {
                return null; // over the limit, or (on AWS) a transaction conflicting with another: nothing held either way
            }
        });

        List<String> ids = new ArrayList<>(results.stream().filter(java.util.Objects::nonNull).toList());
        long held = ids.size();
        assertTrue(held >= 1 && held <= 2, held + " holds");
        assertEquals(20 - held, products.find(sku).orElseThrow().stock());
        while (ids.size() < 2) {
            ids.add(stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(limit)).id());
        }
        assertThrows(TooManyHoldsException.class, () -> stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(limit)));
        assertThrows(TooManyHoldsException.class, () -> stock.reserve(List.of(new ReservedLine(sku, 11)), List.of(limit)));
        assertEquals(18, products.find(sku).orElseThrow().stock());

        String open = ids.get(0);
        assertTrue(reservations.release(open));
        assertFalse(reservations.release(open), "a second release gives back nothing, not even a count");
        stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(limit));
        assertThrows(TooManyHoldsException.class, () -> stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(limit)));
    }

    /**
     * Past an address's limit the checkout may end the address's oldest checkouts to make way:
     * the refusal names the full limit and the reservations still open on its list (the ended
     * ones left out), and names none for a cart that is past the limit by itself.
     */
    @Test
    void aRefusalNamesTheFullLimitAndTheOpenCheckoutsOnItsList() {
        String sku = unique("FULL");
        products.save(Samples.product(sku, 18500, 20), true);
        var stock = new StockReservations(reservations, CLOCK);
        var ip = newClient("ip");
        var email = new HoldLimit(newClient("email").key(), 2, 10, true);
        String first = stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(ip, email)).id();
        String released = stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(email)).id();
        assertTrue(reservations.release(released));
        String second = stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(email)).id();

        var full = assertThrows(TooManyHoldsException.class,
                () -> stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(newClient("ip"), email)));
        assertEquals(Optional.of(email), full.full());
        assertEquals(java.util.Set.of(first, second), java.util.Set.copyOf(full.openReservations()));

        var ipFirst = assertThrows(TooManyHoldsException.class,
                () -> stock.reserve(List.of(new ReservedLine(sku, 9)), List.of(ip, email)));
        assertEquals(Optional.of(email), ipFirst.full(), "the IP's list has room for 9 more, the address's has not");
        var tooBig = assertThrows(TooManyHoldsException.class,
                () -> stock.reserve(List.of(new ReservedLine(sku, 11)), List.of(newClient("ip"))));
        assertEquals(Optional.empty(), tooBig.full());
        assertEquals(20 - 2, products.find(sku).orElseThrow().stock(), "nothing held by a refusal");
    }

    @Test
    void aSoldCheckoutNoLongerCountsForItsClientsAndThePaidTransactionWritesNoCountOfThem() throws Exception {
        String sku = unique("SOLD");
        products.save(Samples.product(sku, 18500, 5), true);
        var stock = new StockReservations(reservations, CLOCK);
        var ip = newClient("ip");
        var email = newClient("email");
        Reservation sold = stock.reserve(List.of(new ReservedLine(sku, 2)), List.of(ip, email));
        stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(ip, email));
        assertThrows(TooManyHoldsException.class, () -> stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(ip, email)));

        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        List<String> calls = new ArrayList<>();
        var recordingClient = aws.dynamo(calls::add);
        var recording = new DynamoPaidOrders(recordingClient, orders, new DynamoReservationStore(recordingClient,
                aws.physicalName("CheckoutsTable"), aws.physicalName("ProductsTable"), CLOCK), counter);
        var before = holds(ip);
        assertEquals(PaidOrders.Outcome.RECORDED, recording.record(withReservation(Samples.order(id, OrderStatus.PAID,
                "ada@example.com", "Ada"), sold.id()), false, expiresAt(), Optional.empty()));

        assertEquals(List.of("GetItem", "TransactWriteItems"), calls,
                "the sale reads its reservation's lines (for the held count), then writes it all in one transaction");
        assertEquals(before, holds(ip), "the paid order's transaction leaves the client's list alone");
        assertEquals(Reservation.Status.SOLD, reservations.find(sold.id()).orElseThrow().status());
        Reservation third = stock.reserve(List.of(new ReservedLine(sku, 1)), List.of(ip, email));
        assertEquals(1, products.find(sku).orElseThrow().stock());
        var listed = holds(ip).get("open").m();
        assertEquals(2, listed.size(), "the sold checkout left the list at the next hold: " + listed);
        assertTrue(listed.containsKey(third.id()));
        assertFalse(listed.containsKey(sold.id()));
        // The same hold again, as a retry whose answer was lost: listed already, nothing more taken.
        reservations.hold(third, expiresAt(), List.of(ip, email));
        assertEquals(1, products.find(sku).orElseThrow().stock());
    }

    @Test
    void aHoldIsOneTransaction_aSoldOutLineWritesNeitherStockNorReservationAndARepeatTakesNothingMore() {
        String first = unique("FIRST");
        String last = unique("LASTLINE");
        products.save(Samples.product(first, 7500, 3), true);
        products.save(Samples.product(last, 7500, 1), true);
        var refused = new Reservation("res_" + unique("tx"), List.of(new ReservedLine(first, 2), new ReservedLine(last, 2)),
                Reservation.Status.OPEN, Optional.empty(), Instant.now());

        var soldOut = assertThrows(SoldOutException.class, () -> reservations.hold(refused, expiresAt(), List.of()));

        assertEquals(last, soldOut.sku());
        assertEquals(3, products.find(first).orElseThrow().stock());
        assertTrue(reservations.find(refused.id()).isEmpty());

        var held = new Reservation("res_" + unique("tx"), List.of(new ReservedLine(first, 2), new ReservedLine(last, 1)),
                Reservation.Status.OPEN, Optional.empty(), Instant.now());
        reservations.hold(held, expiresAt(), List.of());
        // The same hold again, as a retry whose first answer was lost: already written, nothing more taken.
        reservations.hold(held, expiresAt(), List.of());
        assertEquals(1, products.find(first).orElseThrow().stock());
        assertEquals(0, products.find(last).orElseThrow().stock());
        assertEquals(Reservation.Status.OPEN, reservations.find(held.id()).orElseThrow().status());
    }

    @Test
    void aPaidOrderIsWrittenWithItsSaleAndItsCountOnce() throws Exception {
        String sku = unique("PAID");
        products.save(Samples.product(sku, 18500, 1), true);
        var stock = new StockReservations(reservations, CLOCK);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var order = withReservation(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), reservation.id());
        LocalDate day = order.createdAt().atZone(ZoneOffset.UTC).toLocalDate();
        long before = counter.orders(day);

        List<PaidOrders.Outcome> recorded = all(10, () -> paidOrders.record(order, false, expiresAt(), Optional.empty()));
        stock.release(reservation.id());

        assertEquals(1, recorded.stream().filter(r -> r == PaidOrders.Outcome.RECORDED).count());
        assertEquals(9, recorded.stream().filter(r -> r == PaidOrders.Outcome.NOT_RECORDED).count());
        assertEquals(OrderStatus.PAID, orders.find(id).orElseThrow().status());
        assertEquals(Reservation.Status.SOLD, reservations.find(reservation.id()).orElseThrow().status());
        assertEquals(0, products.find(sku).orElseThrow().stock(), "a sold piece never goes back");
        assertEquals(before + 1, counter.orders(day));
    }

    /**
     * DynamoDB bills a write by the item's size in started kilobytes, and a transaction's item
     * twice, and a paid order is about one kilobyte: what the privacy policy says an order keeps
     * (name, email, two addresses, lines, amounts) is most of it, so it carries nothing that only
     * repeats another attribute. Each byte over 1,024 costs its transaction 2 more write units.
     */
    @Test
    void aNewOrderCarriesNoUpdatedAtUntilSomethingUpdatesIt() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertEquals(PaidOrders.Outcome.RECORDED, paidOrders.record(withReservation(Samples.order(id, OrderStatus.PAID,
                "ada@example.com", "Ada"), null), false, expiresAt(), Optional.empty()));
        orders.markDone(id, OrderStep.PAID_EFFECTS);

        assertFalse(order(id).containsKey("updatedAt"), "createdAt says when it was written: " + order(id));
        assertEquals(order(id).get("createdAt"), order(id).get("paidAt"), "paid when recorded");

        assertTrue(orders.transition(id, Set.of(OrderStatus.PAID), OrderStatus.REFUNDED, Instant.now(), expiresAt()));
        assertTrue(order(id).containsKey("updatedAt"), "the first update notes when");
    }

    private static Map<String, AttributeValue> order(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("OrdersTable"))
                .key(Map.of("pk", AttributeValue.fromS("ORDER#" + id))).consistentRead(true)).item();
    }

    /**
     * A checkout paid after its reservation gave its stock back (released here; an expired record
     * fails the same condition): the piece may have been sold to someone else since, so the order
     * is written NEEDS_ATTENTION in the same transaction, naming no reservation (it took no stock,
     * so no refund puts one back), and counted; nothing is sold. Concurrent deliveries write it once.
     */
    @Test
    void aPaymentAfterItsStockWentBackIsRecordedNeedingAttentionCountedOnceAndSellsNothing() throws Exception {
        String sku = unique("GONE");
        products.save(Samples.product(sku, 18500, 1), true);
        var stock = new StockReservations(reservations, CLOCK);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
        stock.release(reservation.id());
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var paid = withReservation(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), reservation.id());
        LocalDate day = paid.createdAt().atZone(ZoneOffset.UTC).toLocalDate();
        long before = counter.orders(day);

        List<PaidOrders.Outcome> recorded = all(10, () -> paidOrders.record(paid, false, expiresAt(), Optional.empty()));

        assertEquals(1, recorded.stream().filter(r -> r == PaidOrders.Outcome.STOCK_NOT_HELD).count(), recorded.toString());
        assertEquals(9, recorded.stream().filter(r -> r == PaidOrders.Outcome.NOT_RECORDED).count(), recorded.toString());
        assertEquals(PaidOrders.Outcome.NOT_RECORDED, paidOrders.record(paid, false, expiresAt(), Optional.empty()),
                "a repeat changes nothing");
        var stored = order(id);
        assertEquals("NEEDS_ATTENTION", stored.get("status").s());
        assertEquals("stock_not_held", stored.get("attentionReason").s(), "why, with the status: " + stored);
        assertFalse(stored.containsKey("reservationId"), "took no stock: " + stored);
        assertEquals(paid.paidAt().toString(), stored.get("paidAt").s(), "the money did arrive");
        assertEquals(Reservation.Status.RELEASED, reservations.find(reservation.id()).orElseThrow().status());
        assertEquals(1, products.find(sku).orElseThrow().stock(), "the piece stays as the release left it");
        assertEquals(before + 1, counter.orders(day));
    }

    @Test
    void aPendingPaymentSucceedingAfterItsStockWentBackNeedsAttentionAndSellsNothing() {
        String sku = unique("LATE");
        products.save(Samples.product(sku, 18500, 1), true);
        var stock = new StockReservations(reservations, CLOCK);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
        stock.release(reservation.id());
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var pending = withReservation(Samples.order(id, OrderStatus.PENDING_PAYMENT, "ada@example.com", "Ada"),
                reservation.id());
        orders.create(pending, expiresAt());
        LocalDate day = pending.createdAt().atZone(ZoneOffset.UTC).toLocalDate();
        long before = counter.orders(day);

        var paid = withReservation(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), reservation.id());

        assertEquals(PaidOrders.Outcome.STOCK_NOT_HELD, paidOrders.record(paid, true, expiresAt(), Optional.empty()));
        assertEquals(PaidOrders.Outcome.NOT_RECORDED, paidOrders.record(paid, true, expiresAt(), Optional.empty()),
                "no longer pending: refused as a whole");

        var stored = orders.find(id).orElseThrow();
        assertEquals(OrderStatus.NEEDS_ATTENTION, stored.status());
        assertEquals(Order.STOCK_NOT_HELD, stored.attentionReason());
        assertEquals(null, stored.reservationId(), "took no stock");
        assertEquals(paid.paidAt(), stored.paidAt());
        assertEquals(Reservation.Status.RELEASED, reservations.find(reservation.id()).orElseThrow().status());
        assertEquals(1, products.find(sku).orElseThrow().stock());
        assertEquals(before + 1, counter.orders(day));
    }

    /**
     * Why an order needs the owner is part of the very write that makes it NEEDS_ATTENTION, never
     * a write of its own: a payment after its stock went back (new, or from its pending record) is
     * the one transaction that is refused with the sale and then the one written without it, and
     * the item that transaction wrote names the reason; a stop before that write leaves neither.
     */
    @ParameterizedTest(name = "from its pending record: {0}")
    @ValueSource(booleans = {false, true})
    void aPaymentAfterItsStockWentBackWritesWhyInTheSameTransactionAsItsStatus(boolean fromPending) {
        String sku = unique("WHY");
        products.save(Samples.product(sku, 18500, 1), true);
        var stock = new StockReservations(reservations, CLOCK);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 1)));
        stock.release(reservation.id());
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        if (fromPending) {
            assertTrue(orders.create(withReservation(Samples.order(id, OrderStatus.PENDING_PAYMENT, "ada@example.com",
                    "Ada"), reservation.id()), expiresAt()));
        }
        var paid = withReservation(Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada"), reservation.id());
        List<String> calls = new CopyOnWriteArrayList<>();
        int[] stopBefore = {2};
        DynamoDbClient recording = aws.dynamo(operation -> {
            calls.add(operation);
            if (calls.size() == stopBefore[0]) {
                throw new IllegalStateException("stopped before " + operation);
            }
        });
        var watched = new DynamoPaidOrders(recording,
                new DynamoOrderStore(recording, aws.physicalName("OrdersTable"), CLOCK, Samples.HASHER),
                new DynamoReservationStore(recording, aws.physicalName("CheckoutsTable"),
                        aws.physicalName("ProductsTable"), CLOCK),
                new DynamoOrderCounter(recording, aws.physicalName("StatsTable")));

        assertThrows(IllegalStateException.class, () -> watched.record(paid, fromPending, expiresAt(), Optional.empty()));
        var stopped = order(id);
        assertEquals(fromPending ? "PENDING_PAYMENT" : null, stopped.containsKey("status") ? stopped.get("status").s() : null);
        assertFalse(stopped.containsKey("attentionReason"), "nothing of it before its write: " + stopped);

        calls.clear();
        stopBefore[0] = 0;
        assertEquals(PaidOrders.Outcome.STOCK_NOT_HELD, watched.record(paid, fromPending, expiresAt(), Optional.empty()));

        assertEquals(List.of("GetItem", "TransactWriteItems", "TransactWriteItems"), calls,
                "the reservation's lines read, refused with its sale, then written without it: no write of the reason's own");
        var stored = order(id);
        assertEquals("NEEDS_ATTENTION", stored.get("status").s());
        assertEquals("stock_not_held", stored.get("attentionReason").s(), stored.toString());
        assertEquals(Order.STOCK_NOT_HELD, orders.find(id).orElseThrow().attentionReason());
    }

    /** An order that took no stock is created NEEDS_ATTENTION with its reason in its one PutItem; no order is moved there without one. */
    @Test
    void anOrderThatNeedsTheOwnerIsCreatedWithWhyAndNothingMovesOneThere() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        List<String> calls = new CopyOnWriteArrayList<>();
        var watched = new DynamoOrderStore(aws.dynamo(calls::add), aws.physicalName("OrdersTable"), CLOCK, Samples.HASHER);
        Order attention = withReservation(Samples.order(id, OrderStatus.NEEDS_ATTENTION, "ada@example.com", "Ada"), null);

        assertTrue(watched.create(attention, expiresAt()));

        assertEquals(List.of("PutItem"), calls);
        assertEquals("no_reservation", order(id).get("attentionReason").s());
        assertEquals("no_reservation", orders.find(id).orElseThrow().attentionReason());
        String pending = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        assertTrue(orders.create(Samples.order(pending, OrderStatus.PENDING_PAYMENT, "ada@example.com", "Ada"), expiresAt()));
        assertThrows(IllegalArgumentException.class, () -> orders.transition(pending, Set.of(OrderStatus.PENDING_PAYMENT),
                OrderStatus.NEEDS_ATTENTION, Instant.now(), expiresAt()));
        assertEquals(OrderStatus.PENDING_PAYMENT, orders.find(pending).orElseThrow().status());
        assertFalse(order(pending).containsKey("attentionReason"));
    }

    @Test
    void productsRoundTripAndImportKeepsStockUnlessOverwritten() {
        String sku = unique("RT");
        products.save(Samples.product(sku, 18500, 2), false);
        new StockReservations(reservations, CLOCK).reserve(List.of(new ReservedLine(sku, 2)));
        products.save(Samples.product(sku, 19900, 5), false);

        var stored = products.find(sku).orElseThrow();
        assertEquals(0, stored.stock());
        assertEquals(19900, stored.price().amount());
        assertEquals(List.of("https://shop.example.com/images/" + sku + ".jpg"), stored.images());
        assertTrue(products.all().stream().anyMatch(p -> p.sku().equals(sku)));
    }

    @Test
    void aTaxCodeAndTheOneOfAKindMarkRoundTripAndEverySaveCountsAVersion() {
        String sku = unique("TAX");
        products.save(new shop.commerce.catalog.Product(sku, "Taxed", "", shop.commerce.Money.of(100, "USD"), 1,
                List.of(), true, "txcd_99999999", true), false);
        var stored = products.find(sku).orElseThrow();
        assertEquals("txcd_99999999", stored.taxCode());
        assertTrue(stored.oneOfAKind());
        products.save(Samples.product(sku, 100, 1), false);
        var item = aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable"))
                .key(DynamoProductStore.key(sku))).item();
        assertEquals(2, DynamoProductStore.version(item));
        assertEquals(null, DynamoProductStore.fromItem(item).taxCode(), "a save without a code removes it");
    }

    @Test
    void concurrentReleasesOfOneReservationGiveTheStockBackOnce() throws Exception {
        String sku = unique("REL");
        products.save(Samples.product(sku, 7500, 3), true);
        var stock = new StockReservations(reservations, CLOCK);
        Reservation reservation = stock.reserve(List.of(new ReservedLine(sku, 2)));
        assertEquals(1, products.find(sku).orElseThrow().stock());

        all(10, () -> {
            stock.release(reservation.id());
            return true;
        });

        assertEquals(3, products.find(sku).orElseThrow().stock());
        var released = reservations.find(reservation.id()).orElseThrow();
        assertEquals(Reservation.Status.RELEASED, released.status());
    }

    @Test
    void concurrentCreatesMakeOneOrderAndStatusesOnlyMoveForward() throws Exception {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        var pending = Samples.order(id, OrderStatus.PENDING_PAYMENT, "ada@example.com", "Ada Lovelace");

        List<Boolean> created = all(20, () -> orders.create(pending, RetentionSchedule.ORDER_UNPAID.expiresAt(Instant.now())));
        assertEquals(1, created.stream().filter(c -> c).count());

        Instant now = Instant.now();
        assertTrue(orders.transition(id, Set.of(OrderStatus.PENDING_PAYMENT), OrderStatus.PAID, now,
                RetentionSchedule.ORDER_PAID.expiresAt(now)));
        assertFalse(orders.transition(id, Set.of(OrderStatus.PENDING_PAYMENT), OrderStatus.FAILED, now, 0));
        orders.markDone(id, OrderStep.PAID_EFFECTS);

        var paid = orders.find(id).orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
        assertEquals(now, paid.paidAt());
        assertEquals(EnumSet.of(OrderStep.PAID_EFFECTS), paid.done());
        assertEquals(pending.shipping(), paid.shipping());
        assertEquals(pending.items(), paid.items());
        assertEquals(pending.totals(), paid.totals());

    }

    @Test
    void anOrderPastItsRetentionIsGoneForReaders() {
        String id = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(id, OrderStatus.FAILED, "ada@example.com", "Ada"), Instant.now().minusSeconds(1).getEpochSecond());
        assertTrue(orders.find(id).isEmpty());
    }

    @Test
    void theDailyCounterCountsEachOrderOnceUnderConcurrency() throws Exception {
        LocalDate day = LocalDate.of(2031, 1, 1 + (int) (Math.random() * 27));
        long before = counter.orders(day);

        List<Boolean> counted = all(30, () -> counter.count(day, "cs_test_same_order"));
        counter.count(day, "cs_test_other_order");

        assertEquals(1, counted.stream().filter(c -> c).count());
        assertEquals(before + 2, counter.orders(day));
    }

    private static Map<String, AttributeValue> holds(HoldLimit client) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("CheckoutsTable"))
                .key(Map.of("pk", AttributeValue.fromS("HOLDS#" + client.key()))).consistentRead(true)).item();
    }

    private static <T> List<T> all(int times, Callable<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            futures.add(pool.submit(task));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private static long expiresAt() {
        return RetentionSchedule.ORDER_PAID.expiresAt(Instant.now());
    }

    private static Order withReservation(Order o, String reservationId) {
        return new Order(o.id(), o.number(), o.status(), reservationId, o.customerName(), o.customerEmail(), o.shipping(),
                o.billing(), o.items(), o.totals(), o.amountRefunded(), o.paymentIntentId(), o.livemode(), o.createdAt(),
                o.paidAt(), o.done(), o.attentionReason());
    }

    /** A client never seen before, with checkout's limits: 2 open checkouts, 10 pieces. */
    private static HoldLimit newClient(String kind) {
        return new HoldLimit(kind + ":" + UUID.randomUUID().toString().replace("-", ""), 2, 10);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
