package shop.checkout;

/**
 * The payment provider's hosted payment page. Implementations throw
 * {@link shop.core.errors.UpstreamException} when the provider fails or cannot be reached.
 */
public interface CheckoutSessions {
    CreatedSession create(NewCheckoutSession session);

    /**
     * Ends the payment page {@code sessionId} so that it can no longer be paid, sent with
     * {@code idempotencyKey}. {@link Ending#ENDED} once the provider says it can no longer be
     * paid (ended now, or already expired); {@link Ending#COMPLETE} when it was completed first
     * (paid, or a delayed payment under way): its stock is being sold and must not go back.
     */
    Ending expire(String sessionId, String idempotencyKey);

    /** What {@link #expire} found. */
    enum Ending {
        /** The page can never be paid: the stock it held may go back. */
        ENDED,
        /** The customer completed the page before it could be ended: it is being paid for. */
        COMPLETE
    }
}
