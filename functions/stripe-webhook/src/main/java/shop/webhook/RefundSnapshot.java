package shop.webhook;

/**
 * One refund of a charge as Stripe holds it now. {@code requestKey} is the metadata the back
 * office puts on the refunds it makes (null for one made in the Dashboard).
 */
public record RefundSnapshot(String id, long amount, String currency, String reason, String status, long created,
                             String requestKey) {
    /** Stripe's refunds that did not (or will not) return money. */
    public boolean returnsMoney() {
        return !"failed".equals(status) && !"canceled".equals(status);
    }
}
