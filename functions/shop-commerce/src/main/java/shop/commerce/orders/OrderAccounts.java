package shop.commerce.orders;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import shop.core.admin.AdminAction;

/**
 * The after-payment side of an order (refunds, dispute, restock), on the same item as
 * {@link OrderStore}'s order. Every write is conditional, so a refund made through the back
 * office and echoed by Stripe, a webhook delivered twice, or two clicks at once record each
 * refund once, give the pieces back once, and never move a closed dispute back to open.
 *
 * <p>The writes start from the order as the caller read it ({@code read}) and expect it still to
 * be so; each answers the order as it stands after it ({@link Change}), so that one read serves a
 * whole request. An order changed meanwhile is not read again: the refused write itself answers
 * it as it now stands, and the change is judged again on that.
 */
public interface OrderAccounts {
    Optional<OrderAccount> find(String orderId);

    /**
     * What a write came to: whether this call made the change, and the order as it stands after
     * it, as the write answered it (empty only when the order is not there any more).
     */
    record Change(boolean made, Optional<OrderAccount> account) {
    }

    /**
     * Records the refund unless its Stripe id is recorded already: {@code amountRefunded} grows by
     * its amount, and the order becomes REFUNDED when that reaches its total. Only for an order
     * that is PAID, SHIPPED, REFUNDED or NEEDS_ATTENTION. Not made, and nothing written, when it was
     * recorded before or the order is in no state to be refunded. An order refunded in full whose
     * erasure waited for it (it was still to ship) loses its name and shipping address then, also
     * on a repeat of the refund ({@link DynamoDeferredErasure}).
     */
    Change addRefund(OrderAccount read, Refund refund);

    /**
     * Records that Stripe failed or canceled a refund ({@code failed}: the refund with its
     * {@link Refund#failure}), in one conditional write: the order's entry of it replaced by
     * {@code failed}, its amount out of {@code amountRefunded}, an order REFUNDED by it back to what it
     * was before (SHIPPED when it was shipped, NEEDS_ATTENTION when it needed the owner and was never
     * accepted, else PAID), and {@code needsAttention} set ({@link OrderAccount#withRefundFailed}). A
     * refund the order holds no entry of (the failure came first) is added as failed, amounts
     * unchanged, so a later {@code charge.refunded} does not record it as money returned. Not made,
     * and nothing written, when the entry is failed already: a repeat, or any later update of the
     * same refund (Stripe does not move a refund back from failed), changes nothing.
     */
    Change recordRefundFailure(OrderAccount read, Refund failed);

    /**
     * As {@link #addRefund(OrderAccount, Refund)}, for the back office: the refund and its line of
     * the audit trail ({@code line}, from the order as judged and as the write leaves it) are
     * written together or not at all; no line when nothing is written.
     */
    Change addRefund(OrderAccount read, Refund refund, Line line);

    /**
     * The back office's own record of a refund that Stripe's echo recorded first (as
     * {@link Refund#BY_BACK_OFFICE}, without the owner's name or note): replaces that entry, amount
     * unchanged, with its line of the audit trail, together or not at all. Not made when
     * {@code read} holds no such entry (recorded by the back office itself, or another), or
     * another call claimed it first.
     */
    Change claimEchoedRefund(OrderAccount read, Refund refund, Line line);

    /**
     * Notes that {@code pieces} (SKU to how many, each more than none and at most what is not back yet)
     * went back on sale and gives them back, with the line of the audit trail, all together or
     * nothing: the order's per-SKU counts grow by them ({@link OrderAccount#withRestocked}), and
     * {@code restockedAt} is set when that puts the last piece back. A product deleted since is
     * skipped (its pieces counted as back: there is nothing to put them back into), and so is a
     * one-of-a-kind piece that is on sale again already, so a unique piece is never for sale twice.
     * Made only when the order's counts are still those {@code read} holds, so a piece never goes
     * back twice; not made when they changed meanwhile (or the order is gone): the change answers
     * the order as it now stands.
     */
    Change restock(OrderAccount read, Map<String, Integer> pieces, Instant at, Line line);

    /** A change's line of the audit trail, from the order as judged before it and as the change leaves it. */
    @FunctionalInterface
    interface Line {
        AdminAction of(OrderAccount before, OrderAccount after);
    }

    /**
     * Records the dispute as Stripe holds it now: open → {@code needsAttention} and in the list of
     * open disputes by its evidence deadline; closed → the outcome and {@code closedAt}, attention
     * cleared, out of that list. A closed dispute is never made open again,
     * and {@code openedAt}/{@code closedAt} keep their first value.
     */
    Change recordDispute(OrderAccount read, Dispute dispute, Instant at);

    /** Notes that the mail about {@code ref} (a refund or dispute id) was queued, so a retry does not queue it again. */
    void markMailQueued(String orderId, String ref);
}
