package shop.commerce.orders;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An order with what happened to its money after the payment: refunds (by Stripe refund id),
 * a dispute, whether its pieces went back on sale, and which of those the notification queue
 * has been told about; {@code expiresAt} is the order's own TTL (epoch seconds), which the audit
 * trail's lines about it share.
 *
 * <p>Pieces go back on sale line by line (a customer sends one piece of three back): {@code restockedPieces}
 * counts, per SKU, how many of the order's pieces went back, summed over every restock, never more
 * than the order holds; {@code restockedAt} is when the last of them went back (everything is back).
 * An order whose pieces went back before the counts were kept has {@code restockedAt} and no counts:
 * everything is back.
 */
public record OrderAccount(Order order, List<Refund> refunds, Dispute dispute, boolean needsAttention,
                           Instant restockedAt, Set<String> mailsQueued, long expiresAt,
                           Map<String, Integer> restockedPieces) {
    public OrderAccount {
        refunds = List.copyOf(refunds);
        mailsQueued = Set.copyOf(mailsQueued);
        restockedPieces = restockedPieces == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(restockedPieces));
    }

    /** The order's pieces by SKU (lines of one SKU summed); lines not from our catalog (no SKU) are not counted. */
    public Map<String, Integer> ordered() {
        Map<String, Integer> pieces = new TreeMap<>();
        for (OrderItem item : order.items()) {
            if (item.sku() != null) {
                pieces.merge(item.sku(), item.quantity(), Integer::sum);
            }
        }
        return pieces;
    }

    /** How many pieces of {@code sku} went back on sale: all of them once everything is back. */
    public int restockedOf(String sku) {
        if (restockedAt != null && restockedPieces.isEmpty()) {
            return ordered().getOrDefault(sku, 0);
        }
        return restockedPieces.getOrDefault(sku, 0);
    }

    /** Per SKU of the order, how many pieces went back on sale (0 for none). */
    public Map<String, Integer> restockedCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        ordered().keySet().forEach(sku -> counts.put(sku, restockedOf(sku)));
        return counts;
    }

    /** Per SKU, the pieces not back on sale yet (SKUs with none left are left out). */
    public Map<String, Integer> notRestocked() {
        Map<String, Integer> left = new TreeMap<>();
        ordered().forEach((sku, quantity) -> {
            int rest = quantity - restockedOf(sku);
            if (rest > 0) {
                left.put(sku, rest);
            }
        });
        return left;
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
        return new OrderAccount(order, List.of(), null, false, null, Set.of(), 0, Map.of());
    }

    /** The same account with the order as it stands now (moved on by the caller's own write). */
    public OrderAccount withOrder(Order now) {
        return new OrderAccount(now, refunds, dispute, needsAttention, restockedAt, mailsQueued, expiresAt, restockedPieces);
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
                restockedAt, mailsQueued, expiresAt, restockedPieces);
    }

    /**
     * The account once {@code failed} (a refund Stripe failed or canceled) is recorded on it, with
     * {@code needsAttention}: its entry replaced by it and its amount taken out of {@code amountRefunded};
     * an order that was REFUNDED and no longer is in full goes back to {@code unrefunded} (what it was
     * before: SHIPPED, PAID or NEEDS_ATTENTION, which the caller knows from the stored item). A refund
     * with no entry (its failure came before {@code charge.refunded}) is added as failed, amounts as they are.
     */
    public OrderAccount withRefundFailed(Refund failed, OrderStatus unrefunded) {
        Order o = order;
        List<Refund> all = new java.util.ArrayList<>(refunds);
        long refunded = o.amountRefunded();
        Optional<Refund> entry = refund(failed.stripeRefundId());
        if (entry.isPresent()) {
            all.set(all.indexOf(entry.get()), failed);
            refunded = Math.max(0, refunded - entry.get().amount());
        } else {
            all.add(failed);
        }
        OrderStatus status = o.status() == OrderStatus.REFUNDED && refunded < o.totals().total().amount()
                ? unrefunded : o.status();
        return new OrderAccount(new Order(o.id(), o.number(), status, o.reservationId(), o.customerName(),
                o.customerEmail(), o.shipping(), o.billing(), o.items(), o.totals(), refunded, o.paymentIntentId(),
                o.livemode(), o.createdAt(), o.paidAt(), o.done(), o.attentionReason()), all, dispute, true,
                restockedAt, mailsQueued, expiresAt, restockedPieces);
    }

    /** The same account with its refunds replaced by {@code now} (an entry claimed, amounts unchanged). */
    public OrderAccount withRefunds(List<Refund> now) {
        return new OrderAccount(order, now, dispute, needsAttention, restockedAt, mailsQueued, expiresAt, restockedPieces);
    }

    /**
     * The same account once {@code pieces} (SKU to count) are noted as back on sale at {@code at}: the
     * counts grow by them, and {@code restockedAt} is {@code at} when that puts the last piece back.
     */
    public OrderAccount withRestocked(Map<String, Integer> pieces, Instant at) {
        Map<String, Integer> counts = restockedCounts();
        pieces.forEach((sku, quantity) -> counts.merge(sku, quantity, Integer::sum));
        OrderAccount counted = new OrderAccount(order, refunds, dispute, needsAttention, restockedAt, mailsQueued,
                expiresAt, counts);
        Instant everythingBack = restockedAt != null ? restockedAt : counted.notRestocked().isEmpty() ? at : null;
        return new OrderAccount(order, refunds, dispute, needsAttention, everythingBack, mailsQueued, expiresAt, counts);
    }

    /** The same account once the mail about {@code ref} is noted as queued. */
    public OrderAccount withMailQueued(String ref) {
        Set<String> queued = new java.util.HashSet<>(mailsQueued);
        queued.add(ref);
        return new OrderAccount(order, refunds, dispute, needsAttention, restockedAt, queued, expiresAt, restockedPieces);
    }
}
