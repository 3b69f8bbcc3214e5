package shop.commerce.orders;

import java.time.Instant;
import java.util.Optional;

/**
 * The after-payment side of an order (refunds, dispute, restock), on the same item as
 * {@link OrderStore}'s order. Every write is conditional, so a refund made through the back
 * office and echoed by Stripe, a webhook delivered twice, or two clicks at once record each
 * refund once, give the pieces back once, and never move a closed dispute back to open.
 */
public interface OrderAccounts {
    Optional<OrderAccount> find(String orderId);

    /**
     * Records the refund unless its Stripe id is recorded already: {@code amountRefunded} grows by
     * its amount, and the order becomes REFUNDED when that reaches its total. Only for an order
     * that is PAID, SHIPPED or REFUNDED. False, and nothing written, when it was recorded before or
     * the order is in no state to be refunded.
     */
    boolean addRefund(String orderId, Refund refund);

    /**
     * The back office's own record of a refund that Stripe's echo recorded first (as
     * {@link Refund#BY_BACK_OFFICE}, without the owner's name or note): replaces that entry, amount
     * unchanged. False when there is no such entry (recorded by the back office itself, or another).
     */
    boolean claimEchoedRefund(String orderId, Refund refund);

    /**
     * Notes that the order's pieces went back on sale; true only for the one call that noted it
     * (the caller then gives the stock back), false when they went back before.
     */
    boolean markRestocked(String orderId, Instant at);

    /**
     * Records the dispute as Stripe holds it now: open → {@code needsAttention}; closed → the
     * outcome and {@code closedAt}, attention cleared. A closed dispute is never made open again,
     * and {@code openedAt}/{@code closedAt} keep their first value.
     */
    void recordDispute(String orderId, Dispute dispute, Instant at);

    /** Notes that the mail about {@code ref} (a refund or dispute id) was queued, so a retry does not queue it again. */
    void markMailQueued(String orderId, String ref);
}
