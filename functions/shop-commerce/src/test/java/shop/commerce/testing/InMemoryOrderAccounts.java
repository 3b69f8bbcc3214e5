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

/** The after-payment side of the orders of an {@link InMemoryOrderStore}, with the DynamoDB store's rules. */
public final class InMemoryOrderAccounts implements OrderAccounts {
    private final InMemoryOrderStore orders;
    public final Map<String, List<Refund>> refunds = new ConcurrentHashMap<>();
    public final Map<String, Dispute> disputes = new ConcurrentHashMap<>();
    public final Map<String, Boolean> attention = new ConcurrentHashMap<>();
    public final Map<String, Instant> restocked = new ConcurrentHashMap<>();
    public final Map<String, Set<String>> mailsQueued = new ConcurrentHashMap<>();

    public InMemoryOrderAccounts(InMemoryOrderStore orders) {
        this.orders = orders;
    }

    @Override
    public synchronized Optional<OrderAccount> find(String orderId) {
        return orders.find(orderId).map(order -> new OrderAccount(order, refunds.getOrDefault(orderId, List.of()),
                disputes.get(orderId), attention.getOrDefault(orderId, false), restocked.get(orderId),
                mailsQueued.getOrDefault(orderId, Set.of()), orders.expiresAt.getOrDefault(orderId, 0L)));
    }

    @Override
    public synchronized boolean addRefund(String orderId, Refund refund) {
        Order o = orders.orders.get(orderId);
        if (o == null || !Set.of(OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.REFUNDED, OrderStatus.NEEDS_ATTENTION).contains(o.status())) {
            return false;
        }
        List<Refund> list = new ArrayList<>(refunds.getOrDefault(orderId, List.of()));
        if (list.stream().anyMatch(r -> r.stripeRefundId().equals(refund.stripeRefundId()))) {
            return false;
        }
        list.add(refund);
        refunds.put(orderId, List.copyOf(list));
        long after = o.amountRefunded() + refund.amount();
        boolean full = after >= o.totals().total().amount();
        orders.orders.put(orderId, new Order(o.id(), o.number(), full ? OrderStatus.REFUNDED : o.status(),
                o.reservationId(), o.customerName(), o.customerEmail(), o.shipping(), o.billing(), o.items(),
                o.totals(), after, o.paymentIntentId(), o.livemode(), o.createdAt(), o.paidAt(), o.done()));
        return true;
    }

    @Override
    public synchronized boolean claimEchoedRefund(String orderId, Refund refund) {
        List<Refund> list = new ArrayList<>(refunds.getOrDefault(orderId, List.of()));
        for (int i = 0; i < list.size(); i++) {
            Refund stored = list.get(i);
            if (stored.stripeRefundId().equals(refund.stripeRefundId())) {
                if (!Refund.BY_BACK_OFFICE.equals(stored.by()) || stored.amount() != refund.amount()) {
                    return false;
                }
                list.set(i, refund);
                refunds.put(orderId, List.copyOf(list));
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized boolean markRestocked(String orderId, Instant at) {
        return orders.orders.containsKey(orderId) && restocked.putIfAbsent(orderId, at) == null;
    }

    @Override
    public synchronized void recordDispute(String orderId, Dispute dispute, Instant at) {
        if (!orders.orders.containsKey(orderId)) {
            return;
        }
        Dispute stored = disputes.get(orderId);
        if (stored != null && stored.closed() && !dispute.closed()) {
            return;
        }
        Dispute merged = stored == null || !stored.id().equals(dispute.id()) ? dispute : new Dispute(dispute.id(),
                dispute.reason(), dispute.status(), dispute.amount(), dispute.currency(), dispute.evidenceDueBy(),
                dispute.outcome(), stored.openedAt() != null ? stored.openedAt() : dispute.openedAt(),
                stored.closedAt() != null ? stored.closedAt() : dispute.closedAt());
        disputes.put(orderId, merged);
        attention.put(orderId, !merged.closed());
    }

    @Override
    public synchronized void markMailQueued(String orderId, String ref) {
        Set<String> refs = new HashSet<>(mailsQueued.getOrDefault(orderId, Set.of()));
        refs.add(ref);
        mailsQueued.put(orderId, Set.copyOf(refs));
    }
}
