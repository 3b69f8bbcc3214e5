package shop.commerce.orders;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An order with what happened to its money after the payment: refunds (by Stripe refund id),
 * a dispute, whether its pieces went back on sale, and which of those the notification queue
 * has been told about; {@code expiresAt} is the order's own TTL (epoch seconds), which the audit
 * trail's lines about it share.
 */
public record OrderAccount(Order order, List<Refund> refunds, Dispute dispute, boolean needsAttention,
                           Instant restockedAt, Set<String> mailsQueued, long expiresAt) {
    public OrderAccount {
        refunds = List.copyOf(refunds);
        mailsQueued = Set.copyOf(mailsQueued);
    }

    public Optional<Refund> refund(String stripeRefundId) {
        return refunds.stream().filter(r -> r.stripeRefundId().equals(stripeRefundId)).findFirst();
    }

    public Optional<Refund> refundByRequestKey(String requestKey) {
        return refunds.stream().filter(r -> requestKey.equals(r.requestKey())).findFirst();
    }

    /** What may still be refunded, in minor units. */
    public long refundable() {
        return Math.max(0, order.totals().total().amount() - order.amountRefunded());
    }

    public boolean mailQueued(String ref) {
        return mailsQueued.contains(ref);
    }

    /** An order just recorded: nothing has happened to its money yet. */
    public static OrderAccount of(Order order) {
        return new OrderAccount(order, List.of(), null, false, null, Set.of(), 0);
    }

    /** The same account with the order as it stands now (moved on by the caller's own write). */
    public OrderAccount withOrder(Order now) {
        return new OrderAccount(now, refunds, dispute, needsAttention, restockedAt, mailsQueued, expiresAt);
    }

    /** The same account once the mail about {@code ref} is noted as queued. */
    public OrderAccount withMailQueued(String ref) {
        Set<String> queued = new java.util.HashSet<>(mailsQueued);
        queued.add(ref);
        return new OrderAccount(order, refunds, dispute, needsAttention, restockedAt, queued, expiresAt);
    }
}
