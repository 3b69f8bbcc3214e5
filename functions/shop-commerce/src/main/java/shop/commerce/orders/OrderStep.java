package shop.commerce.orders;

/**
 * Follow-up work an order's status change needs, noted on the order once all of it is done, so
 * that a retried webhook finishes what a crashed one started and a duplicate skips it.
 */
public enum OrderStep {
    /** Stock sold, the day's order counted, OrderPaid queued. */
    PAID_EFFECTS,
    /** Stock released, PaymentFailed queued. */
    FAILURE_EFFECTS
}
