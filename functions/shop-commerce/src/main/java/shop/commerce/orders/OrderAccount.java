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

    /**
     * The account once {@code refund} is recorded on it: counted in {@code amountRefunded}, and
     * the order REFUNDED when that reaches its total (what DynamoOrderAccounts writes).
     */
    public OrderAccount withRefund(Refund refund) {
        Order o = order;
        long refunded = o.amountRefunded() + refund.amount();
        OrderStatus status = refunded >= o.totals().total().amount() ? OrderStatus.REFUNDED : o.status();
        List<Refund> all = new java.util.ArrayList<>(refunds);
        all.add(refund);
        return new OrderAccount(new Order(o.id(), o.number(), status, o.reservationId(), o.customerName(),
                o.customerEmail(), o.shipping(), o.billing(), o.items(), o.totals(), refunded, o.paymentIntentId(),
                o.livemode(), o.createdAt(), o.paidAt(), o.done(), o.attentionReason()), all, dispute, needsAttention,
                restockedAt, mailsQueued, expiresAt);
    }

    /** The same account with its refunds replaced by {@code now} (an entry claimed, amounts unchanged). */
    public OrderAccount withRefunds(List<Refund> now) {
        return new OrderAccount(order, now, dispute, needsAttention, restockedAt, mailsQueued, expiresAt);
    }

    /** The same account once its pieces are noted as back on sale at {@code at}. */
    public OrderAccount withRestockedAt(Instant at) {
        return new OrderAccount(order, refunds, dispute, needsAttention, at, mailsQueued, expiresAt);
    }

    /** The same account once the mail about {@code ref} is noted as queued. */
    public OrderAccount withMailQueued(String ref) {
        Set<String> queued = new java.util.HashSet<>(mailsQueued);
        queued.add(ref);
        return new OrderAccount(order, refunds, dispute, needsAttention, restockedAt, queued, expiresAt);
    }
}
