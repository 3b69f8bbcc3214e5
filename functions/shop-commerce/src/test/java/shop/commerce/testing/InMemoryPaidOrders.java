package shop.commerce.testing;

import java.time.ZoneOffset;
import java.util.Set;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.PaidOrders;

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
    public boolean record(Order paid, boolean fromPending, long expiresAt) {
        synchronized (orders) {
            var existing = orders.find(paid.id());
            boolean expected = fromPending
                    ? existing.isPresent() && existing.get().status() == OrderStatus.PENDING_PAYMENT
                    : existing.isEmpty();
            if (!expected) {
                return false;
            }
            if (fromPending) {
                orders.transition(paid.id(), Set.of(OrderStatus.PENDING_PAYMENT), OrderStatus.PAID, paid.paidAt(), expiresAt);
            } else {
                orders.create(paid, expiresAt);
            }
            if (paid.reservationId() != null) {
                reservations.sell(paid.reservationId());
            }
            counter.count(paid.createdAt().atZone(ZoneOffset.UTC).toLocalDate(), paid.id());
            return true;
        }
    }
}
