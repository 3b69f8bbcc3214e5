package shop.checkout;

/**
 * The payment provider's hosted payment page. Implementations throw
 * {@link shop.core.errors.UpstreamException} when the provider fails or cannot be reached.
 */
public interface CheckoutSessions {
    CreatedSession create(NewCheckoutSession session);
}
