package shop.commerce.orders;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.commerce.reservations.DynamoReservationStore;
import shop.commerce.reservations.Reservation;
import shop.commerce.stats.DynamoOrderCounter;
import shop.core.dynamo.DynamoTransactions;
import shop.core.logging.Log;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link PaidOrders} as one {@code TransactWriteItems} over the orders, checkouts, products and
 * statistics tables (each item touched once): the order, the reservation's sale with the
 * {@code held} count its pieces leave on each product ({@link DynamoReservationStore#sale}), and
 * the day's count. The order's own write is conditional (absent, or still pending), so a repeat of
 * the whole step is refused as a whole; the sale and the count keep their own conditions and, when
 * only those fail, the order is written without them: without its sale, as NEEDS_ATTENTION with
 * its reason in the same item ({@link Order#stockNotHeld}); a product deleted since the hold
 * refuses its {@code held} write, which is left out.
 */
public final class DynamoPaidOrders implements PaidOrders {
    private final DynamoDbClient dynamo;
    private final DynamoOrderStore orders;
    private final DynamoReservationStore reservations;
    private final DynamoOrderCounter counter;

    public DynamoPaidOrders(DynamoDbClient dynamo, DynamoOrderStore orders, DynamoReservationStore reservations,
                            DynamoOrderCounter counter) {
        this.dynamo = dynamo;
        this.orders = orders;
        this.reservations = reservations;
        this.counter = counter;
    }

    @Override
    public Outcome record(Order paid, boolean fromPending, long expiresAt, Optional<Reservation> reservation) {
        boolean sell = paid.reservationId() != null;
        if (reservation.isPresent() && !reservation.get().id().equals(paid.reservationId())) {
            throw new IllegalArgumentException("Order " + paid.id() + " does not name reservation " + reservation.get().id());
        }
        boolean count = true;
        boolean stockHeld = true;
        DynamoReservationStore.DynamoSale sale = !sell ? null
                : reservation.map(reservations::sale).orElseGet(() -> reservations.sale(paid.reservationId()));
        while (true) {
            Order written = stockHeld ? paid : paid.stockNotHeld();
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(fromPending ? orders.paidTransition(written, expiresAt) : orders.paidPut(written, expiresAt));
            int saleAt = sell ? writes.size() : -1;
            if (sell) {
                writes.addAll(sale.writes());
            }
            int countAt = count ? writes.size() : -1;
            if (count) {
                // The order's own creation time, stored once, decides the day: every retry counts on the same day.
                writes.add(counter.countItem(paid.createdAt().atZone(ZoneOffset.UTC).toLocalDate(), paid.id()));
            }
            var failed = DynamoTransactions.writeOrRefusals(dynamo, "paid " + paid.id(), writes);
            if (failed.isEmpty()) {
                return stockHeld ? Outcome.RECORDED : Outcome.STOCK_NOT_HELD;
            }
            if (failed.containsKey(0)) {
                return Outcome.NOT_RECORDED;
            }
            if (failed.containsKey(saleAt)) {
                sell = false;
                stockHeld = false;
                // Paid after its stock went back (an expiry or failure raced the payment) or after the
                // record expired: the piece may be sold to someone else, so the owner must check it.
                Log.error("paid_reservation_not_open", Map.of("reservationId", paid.reservationId(), "orderId", paid.id()));
            } else if (sell) {
                for (String sku : sale.leaveOut(failed, saleAt)) {
                    // No held count to take the piece from (deleted since the hold, or its count lost); sold all the same.
                    Log.warn("sold_piece_of_deleted_product", Map.of("reservationId", paid.reservationId(), "sku", sku));
                }
            }
            if (failed.containsKey(countAt)) {
                count = false;
                Log.warn("paid_order_already_counted", Map.of("orderId", paid.id()));
            }
        }
    }
}
