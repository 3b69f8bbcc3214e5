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
 * @param failure        null while the refund returns money; Stripe's {@code failed} or {@code canceled} once
 *                       {@code charge.refund.updated} said so (Stripe never moves a refund back from either)
 * @param failureReason  Stripe's {@code failure_reason} ({@code expired_or_canceled_card}, {@code lost_or_stolen_card},
 *                       {@code unknown}) or null
 * @param failedAt       when the webhook recorded the failure; null while {@code failure} is
 */
public record Refund(String stripeRefundId, long amount, String currency, String reason, String note, Instant at,
                     String by, boolean restocked, String requestKey, String failure, String failureReason,
                     Instant failedAt) {
    /** Made in the Stripe Dashboard (or anywhere but the back office): we learnt it from {@code charge.refunded}. */
    public static final String BY_DASHBOARD = "stripe-dashboard";
    /** Made by the back office, recorded from Stripe's echo before the back office recorded it itself. */
    public static final String BY_BACK_OFFICE = "back-office";

    /** The two ends of a refund that returned no money. */
    public static final java.util.Set<String> FAILURES = java.util.Set.of("failed", "canceled");

    public Refund {
        if (stripeRefundId == null || !stripeRefundId.startsWith("re_") && !stripeRefundId.startsWith("pyr_")) {
            throw new IllegalArgumentException("A refund is keyed by Stripe's refund id (re_...)");
        }
        if (amount <= 0 || currency == null || at == null || by == null) {
            throw new IllegalArgumentException("A refund has a positive amount, a currency, a time and an author");
        }
        if (failure != null && (!FAILURES.contains(failure) || failedAt == null)) {
            throw new IllegalArgumentException("A refund that failed says failed or canceled, and when");
        }
    }

    /** A refund that returns money (not failed). */
    public Refund(String stripeRefundId, long amount, String currency, String reason, String note, Instant at,
                  String by, boolean restocked, String requestKey) {
        this(stripeRefundId, amount, currency, reason, note, at, by, restocked, requestKey, null, null, null);
    }

    /** Whether Stripe failed or canceled it: it returned no money and is not counted in {@code amountRefunded}. */
    public boolean failed() {
        return failure != null;
    }

    /** This refund as Stripe ended it: {@code failure} ({@code failed} or {@code canceled}), its reason, noted at {@code when}. */
    public Refund failedAs(String failure, String failureReason, Instant when) {
        return new Refund(stripeRefundId, amount, currency, reason, note, at, by, restocked, requestKey, failure,
                failureReason, when);
    }
}
