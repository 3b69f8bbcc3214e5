package shop.webhook;

/**
 * One refund of a charge as Stripe holds it now. {@code requestKey} is the metadata the back
 * office puts on the refunds it makes (null for one made in the Dashboard); {@code chargeId} and
 * {@code paymentIntentId} what it refunds, {@code failureReason} Stripe's {@code failure_reason}
 * once it failed (null otherwise, and in a charge's list, where it is not read).
 */
public record RefundSnapshot(String id, long amount, String currency, String reason, String status, long created,
                             String requestKey, String chargeId, String paymentIntentId, String failureReason) {
    public RefundSnapshot(String id, long amount, String currency, String reason, String status, long created,
                          String requestKey) {
        this(id, amount, currency, reason, status, created, requestKey, null, null, null);
    }

    /** Stripe's refunds that did not (or will not) return money. */
    public boolean returnsMoney() {
        return !"failed".equals(status) && !"canceled".equals(status);
    }
}
