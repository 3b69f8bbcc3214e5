package shop.commerce.testing;

import java.time.ZoneOffset;
import java.util.Optional;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.PaidOrders;
import shop.commerce.reservations.Reservation;

/** {@link PaidOrders} over the in-memory stores, all or nothing under one lock, with the same conditions. */
public final class InMemoryPaidOrders implements PaidOrders {
    private final InMemoryOrderStore orders;
    private final InMemoryReservationStore reservations;
    private final InMemoryOrderCounter counter;

    public InMemoryPaidOrders(InMemoryOrderStore orders, InMemoryReservationStore reservations,
                              InMemoryOrderCounter counter) {
        this.orders = orders;
        this.reservations = reservations;
        this.counter = counter;
    }

    @Override
    public Outcome record(Order paid, boolean fromPending, long expiresAt, Optional<Reservation> reservation) {
        // Sold under the lock by its id: what the caller read changes nothing here.
        synchronized (orders) {
            var existing = orders.find(paid.id());
            boolean expected = fromPending
                    ? existing.isPresent() && existing.get().status() == OrderStatus.PENDING_PAYMENT
                    : existing.isEmpty();
            if (!expected) {
                return Outcome.NOT_RECORDED;
            }
            boolean held = paid.reservationId() == null || reservations.sell(paid.reservationId());
            Order written = held ? paid : paid.stockNotHeld();
            if (fromPending) {
                Order pending = existing.get();
                // The store's own lock, held here already: the order moves as the DynamoDB update moves it.
                orders.orders.put(paid.id(), new Order(pending.id(), pending.number(), written.status(), written.reservationId(),
                        pending.customerName(), pending.customerEmail(), pending.shipping(), pending.billing(),
                        pending.items(), pending.totals(), pending.amountRefunded(), pending.paymentIntentId(),
                        pending.livemode(), pending.createdAt(),
                        pending.paidAt() != null ? pending.paidAt() : paid.paidAt(), pending.done(),
                        written.attentionReason()));
                orders.expiresAt.put(paid.id(), expiresAt);
            } else {
                orders.create(written, expiresAt);
            }
            counter.count(paid.createdAt().atZone(ZoneOffset.UTC).toLocalDate(), paid.id());
            return held ? Outcome.RECORDED : Outcome.STOCK_NOT_HELD;
        }
    }
}
