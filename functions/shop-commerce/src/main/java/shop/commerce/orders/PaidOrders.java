package shop.commerce.orders;

import java.util.Optional;
import shop.commerce.reservations.Reservation;

/**
 * A paid order and what the payment changes, written together: the order, the sale of its held
 * stock, and its count among the day's orders. One DynamoDB transaction, so a stop leaves either
 * a paid order that is sold and counted (or, its stock no longer held, one that needs the owner
 * and is counted), or nothing of it.
 */
public interface PaidOrders {
    /** What {@link #record} wrote. */
    enum Outcome {
        /** The order as given (PAID, or NEEDS_ATTENTION when the caller said so), its reservation SOLD, counted. */
        RECORDED,
        /**
         * The order as NEEDS_ATTENTION, its {@code attentionReason} {@code stock_not_held} written
         * with that status, and naming no reservation ({@link Order#stockNotHeld}),
         * counted, and nothing sold: its reservation no longer held its stock (released, or its
         * record gone), so the piece may have been sold to someone else meanwhile. The owner must
         * check it before it ships.
         */
        STOCK_NOT_HELD,
        /** Nothing written: the order was not as expected (already recorded, or no longer pending), another delivery got there first. */
        NOT_RECORDED
    }

    /**
     * Writes {@code paid} (its own status, PAID or NEEDS_ATTENTION) as a new order, or over the
     * order's PENDING_PAYMENT record as PAID when {@code fromPending}, with TTL {@code expiresAt}
     * epoch seconds; its reservation SOLD; one count on the UTC day the order was created. A
     * reservation that is no longer open is left as it is, and the order is written
     * NEEDS_ATTENTION instead, in the same transaction ({@link Outcome#STOCK_NOT_HELD}).
     * {@code reservation}: the one {@code paid} names as the caller read it in this invocation,
     * sold as read rather than read again; empty: read it.
     */
    Outcome record(Order paid, boolean fromPending, long expiresAt, Optional<Reservation> reservation);
}
