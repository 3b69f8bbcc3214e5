package shop.commerce.orders;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The orders (template.yaml's OrdersTable, items {@code ORDER#<session id>}). Writes are
 * single-item and conditional, so concurrent deliveries of one Stripe event make one order and
 * a late event cannot move an order backwards. Reads never return an expired order.
 */
public interface OrderStore {
    Optional<Order> find(String id);

    /**
     * Writes a new order with its TTL (epoch seconds), its {@code attentionReason} with it; false,
     * and nothing written, when it exists.
     */
    boolean create(Order order, long expiresAt);

    /**
     * Moves the order to {@code to} if its status is one of {@code from}, stamping the time and
     * the new TTL; false when it was not (already there, or somewhere it cannot leave). Not to
     * NEEDS_ATTENTION, which is written with its reason ({@link #create}, {@link PaidOrders}).
     */
    boolean transition(String id, Set<OrderStatus> from, OrderStatus to, Instant at, long expiresAt);

    /** Notes that a step's follow-up work is all done. */
    void markDone(String id, OrderStep step);
}
