package shop.commerce.orders;

/**
 * A paid order and what the payment changes, written together: the order, the sale of its held
 * stock, and its count among the day's orders. One DynamoDB transaction, so a stop leaves either
 * a paid order that is sold and counted, or nothing of it.
 */
public interface PaidOrders {
    /**
     * Writes {@code paid} (status PAID) as a new order, or over the order's PENDING_PAYMENT record
     * when {@code fromPending}, with TTL {@code expiresAt} epoch seconds; its reservation SOLD;
     * one count on the UTC day the order was created. A reservation that is no longer open (its
     * stock went back when an expiry raced the payment) is left as it is, and logged for the owner.
     *
     * @return false, with nothing written, when the order was not as expected (already recorded,
     *         or no longer pending): another delivery got there first
     */
    boolean record(Order paid, boolean fromPending, long expiresAt);
}
