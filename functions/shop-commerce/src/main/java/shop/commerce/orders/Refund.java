package shop.commerce.orders;

import java.time.Instant;

/**
 * One refund of an order, as the order records it: keyed by Stripe's refund id, so a refund made
 * through the back office and echoed by Stripe's {@code charge.refunded} is one refund.
 *
 * @param stripeRefundId Stripe's {@code re_...}
 * @param amount         minor units
 * @param reason         Stripe's reason ({@code duplicate}, {@code fraudulent}, {@code requested_by_customer}) or null
 * @param note           the owner's free text, kept here only (never sent to Stripe); null from the Dashboard
 * @param by             the back-office user, {@link #BY_BACK_OFFICE} when only Stripe told us it came from
 *                       the back office, or {@link #BY_DASHBOARD}
 * @param restocked      whether this refund put pieces of the order back on sale (some or all of them)
 * @param requestKey     the idempotency key the back office sent Stripe (null from the Dashboard)
 */
public record Refund(String stripeRefundId, long amount, String currency, String reason, String note, Instant at,
                     String by, boolean restocked, String requestKey) {
    /** Made in the Stripe Dashboard (or anywhere but the back office): we learnt it from {@code charge.refunded}. */
    public static final String BY_DASHBOARD = "stripe-dashboard";
    /** Made by the back office, recorded from Stripe's echo before the back office recorded it itself. */
    public static final String BY_BACK_OFFICE = "back-office";

    public Refund {
        if (stripeRefundId == null || !stripeRefundId.startsWith("re_") && !stripeRefundId.startsWith("pyr_")) {
            throw new IllegalArgumentException("A refund is keyed by Stripe's refund id (re_...)");
        }
        if (amount <= 0 || currency == null || at == null || by == null) {
            throw new IllegalArgumentException("A refund has a positive amount, a currency, a time and an author");
        }
    }
}
