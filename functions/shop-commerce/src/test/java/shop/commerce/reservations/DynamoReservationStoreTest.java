package shop.commerce.reservations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.catalog.Product;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.DynamoPaidOrders;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.PaidOrders;
import shop.commerce.stats.DynamoOrderCounter;
import shop.commerce.testing.Samples;
import shop.core.dynamo.DynamoItems;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The pieces open checkouts hold, on the product item ({@code held}) of the local stand-in's
 * products table: a hold moves them from {@code stock} to {@code held}, and its end moves them
 * once, whichever way it ends (released on expiry, failure, supersede or abandonment: all one
 * {@link DynamoReservationStore#release}; sold by the paid order's transaction). A one-of-a-kind
 * piece never ends with {@code stock + held} above 1, and a hold written before {@code held} was
 * kept (an item without it, a reservation without the mark) ends without breaking either.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoReservationStoreTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static LocalAws aws;
    private static DynamoProductStore products;
    private static DynamoReservationStore store;
    private static StockReservations reservations;
    private static DynamoPaidOrders paidOrders;

    @BeforeAll
    static void stores(LocalAws localAws) {
        aws = localAws;
        products = new DynamoProductStore(aws.dynamo(), aws.physicalName("ProductsTable"), CLOCK);
        store = new DynamoReservationStore(aws.dynamo(), aws.physicalName("CheckoutsTable"),
                aws.physicalName("ProductsTable"), CLOCK);
        reservations = new StockReservations(store, CLOCK);
        paidOrders = new DynamoPaidOrders(aws.dynamo(),
                new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), CLOCK, Samples.HASHER), store,
                new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable")));
    }

    @Test
    void aHoldMovesPiecesFromStockToHeldAndEachEndMovesThemOnce() {
        String sku = unique("MOVE");
        products.save(Samples.product(sku, 7500, 5), true);
        assertFalse(item(sku).containsKey("held"), "no checkout has touched it yet");

        Reservation released = reservations.reserve(List.of(new ReservedLine(sku, 2)));
        Reservation sold = reservations.reserve(List.of(new ReservedLine(sku, 1)));
        assertEquals(List.of(2, 3), stockAndHeld(sku), "taken from stock, counted as held");

        reservations.release(released.id());
        reservations.release(released.id());
        assertEquals(List.of(4, 1), stockAndHeld(sku), "given back once");

        String id = session();
        assertEquals(PaidOrders.Outcome.RECORDED, paidOrders.record(paid(id, sold.id()), false, expiresAt(), Optional.empty()));
        assertEquals(PaidOrders.Outcome.NOT_RECORDED, paidOrders.record(paid(id, sold.id()), false, expiresAt(), Optional.empty()));
        reservations.release(sold.id());
        assertEquals(List.of(4, 0), stockAndHeld(sku), "sold: no longer held, never back in stock");
        assertEquals(Reservation.Status.SOLD, store.find(sold.id()).orElseThrow().status());
    }

    /**
     * The race of the bug: a checkout holds the one-of-a-kind piece and a second piece is put on
     * sale meanwhile (a "+" made before {@code held} was kept, or any write that missed it). The
     * checkout then expires: its piece is not given back on top (never two for sale), its
     * {@code held} still goes; the other line of its cart goes back as usual.
     */
    @Test
    void anExpiredHoldOfAOneOfAKindPieceOnSaleAgainIsNotGivenBackTwice() {
        String unique = unique("UNIQ");
        String several = unique("SEV");
        products.save(new Product(unique, "Aria", "", Money.of(18500, "USD"), 1, List.of(), true, null, true), true);
        products.save(Samples.product(several, 7500, 3), true);
        Reservation hold = reservations.reserve(List.of(new ReservedLine(unique, 1), new ReservedLine(several, 2)));
        assertEquals(List.of(0, 1), stockAndHeld(unique));
        setStock(unique, 1);

        reservations.release(hold.id());

        assertEquals(List.of(1, 0), stockAndHeld(unique), "one piece, not two, and nothing held");
        assertEquals(List.of(3, 0), stockAndHeld(several), "the rest of the cart given back");
        assertEquals(Reservation.Status.RELEASED, store.find(hold.id()).orElseThrow().status());
    }

    /**
     * A hold open when this change was deployed: its reservation has no {@code heldOnProduct}, its
     * product no {@code held}. Its release gives the piece back and leaves {@code held} alone; the
     * owner's "+" made while it was open (nothing held to count then) is not doubled by it.
     */
    @Test
    void anOldHoldWithoutHeldEndsWithoutBreakingAConditionOrMakingASecondPiece() {
        String plussed = unique("OLDPLUS");
        String untouched = unique("OLD");
        products.save(new Product(plussed, "Aria", "", Money.of(18500, "USD"), 0, List.of(), true, null, true), true);
        products.save(new Product(untouched, "Luna", "", Money.of(18500, "USD"), 0, List.of(), true, null, true), true);
        String withPlus = oldHold(List.of(new ReservedLine(plussed, 1)));
        String without = oldHold(List.of(new ReservedLine(untouched, 1)));
        setStock(plussed, 1); // the owner's "+": 0 for sale and no held, so it was allowed

        reservations.release(withPlus);
        reservations.release(without);

        assertEquals(1, stock(plussed), "the old hold's piece is not put on sale a second time");
        assertEquals(1, stock(untouched), "given back");
        assertFalse(item(plussed).containsKey("held") || item(untouched).containsKey("held"),
                "held left alone: it never counted these: " + item(plussed) + " " + item(untouched));
        assertEquals(Reservation.Status.RELEASED, store.find(withPlus).orElseThrow().status());
        assertEquals(Reservation.Status.RELEASED, store.find(without).orElseThrow().status());
    }

    /** Old and new holds of one product side by side: each end moves only what its own hold counted. */
    @Test
    void oldAndNewHoldsOfOneProductEachMoveOnlyWhatTheyCounted() {
        String sku = unique("MIXED");
        products.save(Samples.product(sku, 7500, 3), true);
        setStock(sku, 2);
        String old = oldHold(List.of(new ReservedLine(sku, 1)));
        Reservation current = reservations.reserve(List.of(new ReservedLine(sku, 1)));
        assertEquals(List.of(1, 1), stockAndHeld(sku));

        assertEquals(PaidOrders.Outcome.RECORDED, paidOrders.record(paid(session(), old), false, expiresAt(), Optional.empty()));
        assertEquals(List.of(1, 1), stockAndHeld(sku), "the old hold's sale leaves the new hold counted");
        reservations.release(current.id());
        assertEquals(List.of(2, 0), stockAndHeld(sku));
    }

    /**
     * Counted holds whose product item lost its {@code held} meanwhile (written anew by hand, say):
     * a release still gives the pieces back to {@code stock}, a sale still sells, and neither
     * makes {@code held} negative.
     */
    @Test
    void aHoldWhoseProductLostItsHeldCountStillGivesItsPiecesBack() {
        String sku = unique("LOST");
        products.save(Samples.product(sku, 7500, 4), true);
        Reservation hold = reservations.reserve(List.of(new ReservedLine(sku, 2)));
        Reservation sold = reservations.reserve(List.of(new ReservedLine(sku, 1)));
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku))
                .updateExpression("REMOVE held"));

        reservations.release(hold.id());
        assertEquals(PaidOrders.Outcome.RECORDED, paidOrders.record(paid(session(), sold.id()), false, expiresAt(), Optional.empty()));

        assertEquals(3, stock(sku), "the released pieces back, the sold one not");
        assertFalse(item(sku).containsKey("held"), "not made negative: " + item(sku));
        assertEquals(Reservation.Status.RELEASED, store.find(hold.id()).orElseThrow().status());
        assertEquals(Reservation.Status.SOLD, store.find(sold.id()).orElseThrow().status());
    }

    /** A product deleted while a checkout holds it: the sale and the release still go through for the rest. */
    @Test
    void aProductDeletedWhileHeldIsLeftOutOfTheSaleAndTheReleaseWithTheRestWritten() {
        String gone = unique("GONE");
        String kept = unique("KEPT");
        products.save(Samples.product(gone, 7500, 2), true);
        products.save(Samples.product(kept, 7500, 3), true);
        Reservation sold = reservations.reserve(List.of(new ReservedLine(gone, 1), new ReservedLine(kept, 1)));
        Reservation released = reservations.reserve(List.of(new ReservedLine(gone, 1), new ReservedLine(kept, 2)));
        assertEquals(List.of(0, 3), stockAndHeld(kept));
        delete(gone);
        List<String> calls = new CopyOnWriteArrayList<>();
        var recording = new DynamoPaidOrders(aws.dynamo(calls::add), new DynamoOrderStore(aws.dynamo(),
                aws.physicalName("OrdersTable"), CLOCK, Samples.HASHER), new DynamoReservationStore(aws.dynamo(calls::add),
                aws.physicalName("CheckoutsTable"), aws.physicalName("ProductsTable"), CLOCK),
                new DynamoOrderCounter(aws.dynamo(), aws.physicalName("StatsTable")));

        assertEquals(PaidOrders.Outcome.RECORDED, recording.record(paid(session(), sold.id()), false, expiresAt(), Optional.empty()));
        assertEquals(List.of("GetItem", "TransactWriteItems", "TransactWriteItems"), calls,
                "the reservation read once; refused for the deleted product, written again without it");
        assertEquals(List.of(0, 2), stockAndHeld(kept));
        assertEquals(Reservation.Status.SOLD, store.find(sold.id()).orElseThrow().status());
        reservations.release(released.id());
        assertEquals(List.of(2, 0), stockAndHeld(kept));
        assertEquals(Reservation.Status.RELEASED, store.find(released.id()).orElseThrow().status());
        assertTrue(item(gone) == null || item(gone).isEmpty(), "not written back into existence");
    }

    /** A reservation as the store wrote one before {@code held} was kept, its stock taken as it was then. */
    private static String oldHold(List<ReservedLine> lines) {
        String id = "res_" + UUID.randomUUID().toString().replace("-", "");
        List<AttributeValue> written = new ArrayList<>();
        for (ReservedLine line : lines) {
            written.add(AttributeValue.fromM(Map.of("sku", DynamoItems.s(line.sku()), "quantity", DynamoItems.n(line.quantity()))));
        }
        aws.dynamo().putItem(b -> b.tableName(aws.physicalName("CheckoutsTable")).item(Map.of(
                "pk", DynamoItems.s("RESERVATION#" + id), "lines", AttributeValue.fromL(written),
                "status", DynamoItems.s("OPEN"), "createdAt", DynamoItems.s(Instant.now().toString()),
                RetentionSchedule.TTL_ATTRIBUTE, DynamoItems.n(RetentionSchedule.CHECKOUT_RESERVATION.expiresAt(Instant.now())))));
        return id;
    }

    private static Map<String, AttributeValue> item(String sku) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku))
                .consistentRead(true)).item();
    }

    private static List<Integer> stockAndHeld(String sku) {
        var item = item(sku);
        return List.of(Integer.parseInt(item.get("stock").n()), DynamoProductStore.held(item));
    }

    private static int stock(String sku) {
        return stockAndHeld(sku).get(0);
    }

    private static void setStock(String sku, int stock) {
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku))
                .updateExpression("SET stock = :stock").expressionAttributeValues(Map.of(":stock", DynamoItems.n(stock))));
    }

    private static void delete(String sku) {
        aws.dynamo().deleteItem(b -> b.tableName(aws.physicalName("ProductsTable")).key(DynamoProductStore.key(sku)));
    }

    private static Order paid(String id, String reservationId) {
        Order o = Samples.order(id, OrderStatus.PAID, "ada@example.com", "Ada");
        return new Order(o.id(), o.number(), o.status(), reservationId, o.customerName(), o.customerEmail(), o.shipping(),
                o.billing(), o.items(), o.totals(), o.amountRefunded(), o.paymentIntentId(), o.livemode(), o.createdAt(),
                o.paidAt(), o.done(), o.attentionReason());
    }

    private static String session() {
        return "cs_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static long expiresAt() {
        return RetentionSchedule.ORDER_PAID.expiresAt(Instant.now());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
