package shop.adminrefunds;

/** The payment provider's refunds (Stripe). */
public interface PaymentRefunds {
    /**
     * A refund of {@code paymentIntentId}: {@code amount} minor units (null: what is left), once per
     * {@code idempotencyKey} (a repeat answers the refund the first call made).
     *
     * @throws shop.core.errors.ConflictException the provider refuses (more than is left, already refunded)
     * @throws shop.core.errors.UpstreamException the provider did not answer
     */
    MadeRefund create(String paymentIntentId, Long amount, String reason, String orderId, String idempotencyKey);

    /** What the provider made: its id, amount and currency. */
    record MadeRefund(String id, long amount, String currency, String status) {
    }
}
