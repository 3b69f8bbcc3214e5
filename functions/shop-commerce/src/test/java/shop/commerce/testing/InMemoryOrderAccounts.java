package shop.commerce.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.orders.Dispute;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.OrderAccounts;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.Refund;
import shop.core.admin.AdminAction;
import shop.core.admin.AuditTrail;

/** The after-payment side of the orders of an {@link InMemoryOrderStore}, with the DynamoDB store's rules. */
public final class InMemoryOrderAccounts implements OrderAccounts {
    private final InMemoryOrderStore orders;
    public final Map<String, List<Refund>> refunds = new ConcurrentHashMap<>();
    public final Map<String, Dispute> disputes = new ConcurrentHashMap<>();
    public final Map<String, Boolean> attention = new ConcurrentHashMap<>();
    public final Map<String, Instant> restocked = new ConcurrentHashMap<>();
    /** Per order, SKU to how many pieces went back on sale. */
    public final Map<String, Map<String, Integer>> restockedCounts = new ConcurrentHashMap<>();
    public final Map<String, Set<String>> mailsQueued = new ConcurrentHashMap<>();

    private final InMemoryProductStore products;
    private final AuditTrail trail;

    public InMemoryOrderAccounts(InMemoryOrderStore orders) {
        this(orders, null, null);
    }

    /** As the back office changes them: each change's line goes to {@code trail} exactly when it is made. */
    public InMemoryOrderAccounts(InMemoryOrderStore orders, InMemoryProductStore products, AuditTrail trail) {
        this.orders = orders;
        this.products = products;
        this.trail = trail;
    }

    @Override
    public synchronized Optional<OrderAccount> find(String orderId) {
        return orders.find(orderId).map(order -> new OrderAccount(order, refunds.getOrDefault(orderId, List.of()),
                disputes.get(orderId), attention.getOrDefault(orderId, false), restocked.get(orderId),
                mailsQueued.getOrDefault(orderId, Set.of()), orders.expiresAt.getOrDefault(orderId, 0L),
                restockedCounts.getOrDefault(orderId, Map.of())));
    }

    /** A refund recorded on the order as it is now (for a test's setup): true when it was recorded. */
    public synchronized boolean addRefund(String orderId, Refund refund) {
        return find(orderId).map(read -> addRefund(read, refund).made()).orElse(false);
    }

    @Override
    public synchronized Change addRefund(OrderAccount read, Refund refund, Line line) {
        Optional<OrderAccount> before = find(read.order().id());
        Change change = addRefund(read, refund);
        return change.made() ? recorded(change, line.of(before.orElseThrow(), change.account().orElseThrow())) : change;
    }

    /** Judged on {@code read} first, then, as DynamoDB's condition does, on the order as it is now. */
    @Override
    public synchronized Change addRefund(OrderAccount read, Refund refund) {
        if (!refundable(read, refund)) {
            return new Change(false, Optional.of(read));
        }
        String orderId = read.order().id();
        Optional<OrderAccount> now = find(orderId);
        if (now.isEmpty() || !refundable(now.get(), refund)) {
            return new Change(false, now);
        }
        Order o = now.get().order();
        List<Refund> list = new ArrayList<>(refunds.getOrDefault(orderId, List.of()));
        list.add(refund);
        refunds.put(orderId, List.copyOf(list));
        long after = o.amountRefunded() + refund.amount();
        boolean full = after >= o.totals().total().amount();
        orders.orders.put(orderId, new Order(o.id(), o.number(), full ? OrderStatus.REFUNDED : o.status(),
                o.reservationId(), o.customerName(), o.customerEmail(), o.shipping(), o.billing(), o.items(),
                o.totals(), after, o.paymentIntentId(), o.livemode(), o.createdAt(), o.paidAt(), o.done(),
                o.attentionReason()));
        return new Change(true, find(orderId));
    }

    /** Orders a test marked as handed to the carrier: a REFUNDED one goes back to SHIPPED when a refund fails. */
    public final Set<String> shipped = ConcurrentHashMap.newKeySet();

    /** As DynamoOrderAccounts: made once per refund id; a REFUNDED order goes back to SHIPPED, NEEDS_ATTENTION or PAID. */
    @Override
    public synchronized Change recordRefundFailure(OrderAccount read, Refund failed) {
        String orderId = read.order().id();
        Optional<OrderAccount> now = find(orderId);
        if (now.isEmpty()) {
            return new Change(false, now);
        }
        OrderAccount current = now.get();
        Optional<Refund> entry = current.refund(failed.stripeRefundId());
        if (entry.isPresent() && entry.get().failed()) {
            return new Change(false, now);
        }
        Refund marked = entry.map(e -> e.failedAs(failed.failure(), failed.failureReason(), failed.failedAt()))
                .orElse(failed);
        Order o = current.order();
        OrderStatus unrefunded = shipped.contains(orderId) ? OrderStatus.SHIPPED
                : o.attentionReason() != null ? OrderStatus.NEEDS_ATTENTION : OrderStatus.PAID;
        OrderAccount after = current.withRefundFailed(marked, unrefunded);
        refunds.put(orderId, after.refunds());
        attention.put(orderId, true);
        orders.orders.put(orderId, after.order());
        return new Change(true, find(orderId));
    }

    private static boolean refundable(OrderAccount account, Refund refund) {
        return Set.of(OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.REFUNDED, OrderStatus.NEEDS_ATTENTION)
                .contains(account.order().status()) && account.refund(refund.stripeRefundId()).isEmpty();
    }

    @Override
    public synchronized Change claimEchoedRefund(OrderAccount read, Refund refund, Line line) {
        String orderId = read.order().id();
        Optional<Refund> echoed = read.refund(refund.stripeRefundId());
        if (echoed.isEmpty() || !Refund.BY_BACK_OFFICE.equals(echoed.get().by()) || echoed.get().amount() != refund.amount()) {
            return new Change(false, Optional.of(read));
        }
        List<Refund> list = new ArrayList<>(refunds.getOrDefault(orderId, List.of()));
        for (int i = 0; i < list.size(); i++) {
            Refund stored = list.get(i);
            if (stored.stripeRefundId().equals(refund.stripeRefundId()) && Refund.BY_BACK_OFFICE.equals(stored.by())) {
                list.set(i, refund);
                refunds.put(orderId, List.copyOf(list));
                Change claimed = new Change(true, find(orderId));
                return recorded(claimed, line.of(read, claimed.account().orElseThrow()));
            }
        }
        return new Change(false, find(orderId));
    }

    /** As DynamoOrderAccounts: made only while every SKU's count is as {@code read} holds it and not everything is back. */
    @Override
    public synchronized Change restock(OrderAccount read, Map<String, Integer> pieces, Instant at, Line line) {
        String orderId = read.order().id();
        Optional<OrderAccount> now = find(orderId);
        if (now.isEmpty() || now.get().restockedAt() != null || !now.get().restockedPieces().equals(read.restockedPieces())
                || read.restockedAt() != null) {
            return new Change(false, now);
        }
        OrderAccount after = read.withRestocked(pieces, at);
        restockedCounts.put(orderId, after.restockedCounts());
        if (after.restockedAt() != null) {
            restocked.put(orderId, after.restockedAt());
        }
        // As DynamoOrderAccounts: a one-of-a-kind piece on sale again already is not given back a second time.
        pieces.forEach((sku, quantity) -> {
            boolean full = products.find(sku).map(p -> p.oneOfAKind() && p.stock() + quantity > 1).orElse(false);
            if (!full) {
                products.giveBack(sku, quantity);
            }
        });
        Change marked = new Change(true, find(orderId));
        return recorded(marked, line.of(read, marked.account().orElseThrow()));
    }

    private Change recorded(Change change, AdminAction line) {
        trail.record(line);
        return change;
    }

    /** The dispute recorded on the order as it is now (for a test's setup). */
    public synchronized void recordDispute(String orderId, Dispute dispute, Instant at) {
        find(orderId).ifPresent(read -> recordDispute(read, dispute, at));
    }

    @Override
    public synchronized Change recordDispute(OrderAccount read, Dispute dispute, Instant at) {
        String orderId = read.order().id();
        if (!orders.orders.containsKey(orderId)) {
            return new Change(false, Optional.empty());
        }
        Dispute stored = disputes.get(orderId);
        if (stored != null && !stored.id().equals(dispute.id())) {
            if (!Dispute.openedAfter(dispute, stored)) {
                return new Change(false, find(orderId));
            }
        } else if (stored != null && stored.closed() && !dispute.closed()) {
            return new Change(false, find(orderId));
        }
        Dispute merged = stored == null || !stored.id().equals(dispute.id()) ? dispute : new Dispute(dispute.id(),
                dispute.reason(), dispute.status(), dispute.amount(), dispute.currency(), dispute.evidenceDueBy(),
                dispute.outcome(), stored.openedAt() != null ? stored.openedAt() : dispute.openedAt(),
                stored.closedAt() != null ? stored.closedAt() : dispute.closedAt());
        if (merged.equals(stored)) {
            return new Change(false, find(orderId));
        }
        disputes.put(orderId, merged);
        attention.put(orderId, !merged.closed());
        return new Change(true, find(orderId));
    }

    @Override
    public synchronized void markMailQueued(String orderId, String ref) {
        Set<String> refs = new HashSet<>(mailsQueued.getOrDefault(orderId, Set.of()));
        refs.add(ref);
        mailsQueued.put(orderId, Set.copyOf(refs));
    }
}
