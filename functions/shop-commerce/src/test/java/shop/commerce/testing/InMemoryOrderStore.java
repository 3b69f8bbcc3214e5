package shop.commerce.testing;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderStep;
import shop.commerce.orders.OrderStore;

/** The orders in memory, with the same conditional rules as the DynamoDB store. */
public final class InMemoryOrderStore implements OrderStore {
    public final Map<String, Order> orders = new ConcurrentHashMap<>();
    public final Map<String, Long> expiresAt = new ConcurrentHashMap<>();
    public final Map<String, Long> refunded = new ConcurrentHashMap<>();

    @Override
    public Optional<Order> find(String id) {
        return Optional.ofNullable(orders.get(id));
    }

    @Override
    public synchronized boolean create(Order order, long ttl) {
        if (orders.putIfAbsent(order.id(), order) != null) {
            return false;
        }
        expiresAt.put(order.id(), ttl);
        return true;
    }

    @Override
    public synchronized boolean transition(String id, Set<OrderStatus> from, OrderStatus to, Instant at, long ttl) {
        Order order = orders.get(id);
        if (order == null || !from.contains(order.status())) {
            return false;
        }
        Instant paidAt = to == OrderStatus.PAID && order.paidAt() == null ? at : order.paidAt();
        orders.put(id, new Order(order.id(), order.number(), to, order.reservationId(), order.customerName(),
                order.customerEmail(), order.shipping(), order.billing(), order.items(), order.totals(),
                order.amountRefunded(), order.paymentIntentId(), order.livemode(), order.createdAt(), paidAt, order.done(),
                order.attentionReason()));
        expiresAt.put(id, ttl);
        return true;
    }

    @Override
    public synchronized void markDone(String id, OrderStep step) {
        Order o = orders.get(id);
        Set<OrderStep> done = o.done().isEmpty() ? EnumSet.noneOf(OrderStep.class) : EnumSet.copyOf(o.done());
        done.add(step);
        orders.put(id, new Order(o.id(), o.number(), o.status(), o.reservationId(), o.customerName(), o.customerEmail(),
                o.shipping(), o.billing(), o.items(), o.totals(), o.amountRefunded(), o.paymentIntentId(), o.livemode(),
                o.createdAt(), o.paidAt(), done, o.attentionReason()));
    }
}
