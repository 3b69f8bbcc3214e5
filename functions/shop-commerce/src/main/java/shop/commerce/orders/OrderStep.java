package shop.commerce.orders;

/**
 * Follow-up work an order's status change needs outside DynamoDB's transaction (a queued
 * message), noted on the order once done, so that a retried webhook finishes what a stopped one
 * started and a duplicate skips it.
 */
public enum OrderStep {
    /** OrderPaid queued (the stock sold and the day's count are written with the PAID status itself). */
    PAID_EFFECTS,
    /** Stock released, PaymentFailed queued. */
    FAILURE_EFFECTS,
    /** OrderNeedsAttention queued (the owner's mail). */
    ATTENTION_MAIL,
    /**
     * Not a follow-up but a fact the same set carries: a NEEDS_ATTENTION order that took no stock
     * when it was paid (it names no reservation) had its pieces taken from stock when the owner
     * accepted it, in that acceptance's transaction; so a refund's restock gives them back.
     */
    STOCK_TAKEN
}
