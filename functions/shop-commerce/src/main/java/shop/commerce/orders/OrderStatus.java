package shop.commerce.orders;

/**
 * Where an order stands. Transitions only move forward (PENDING_PAYMENT → PAID or FAILED,
 * PAID → SHIPPED, PAID or SHIPPED → REFUNDED), so an event that arrives late or twice cannot
 * move an order back.
 */
public enum OrderStatus {
    /** Checkout completed with a delayed payment method; the money has not arrived yet. */
    PENDING_PAYMENT,
    PAID,
    /** On its way to the customer. */
    SHIPPED,
    /** The delayed payment failed; the stock went back. */
    FAILED,
    /** The whole charge was refunded. */
    REFUNDED
}
