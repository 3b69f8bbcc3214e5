package shop.webhook;

import java.util.Optional;

/**
 * Reads the payment provider's current records, as Stripe's fulfilment guide says to, instead of
 * trusting an event's copy. Implementations throw {@link shop.core.errors.UpstreamException}
 * when the provider fails, so the webhook answers 5xx and Stripe retries.
 */
public interface PaymentRecords {
    /** The session with its line items. */
    CheckoutSnapshot session(String sessionId);

    /** The Checkout Session a payment belongs to, if it came through Checkout. */
    Optional<String> sessionForPaymentIntent(String paymentIntentId);

    ChargeSnapshot charge(String chargeId);

    /** The refunds of a charge, newest first, as Stripe lists them. */
    java.util.List<RefundSnapshot> refunds(String chargeId);

    /** One refund, with the charge and payment it refunds and, once it failed, why. */
    RefundSnapshot refund(String refundId);

    DisputeSnapshot dispute(String disputeId);
}
