package shop.webhook;

import java.util.List;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;

/**
 * A Checkout Session as the payment provider holds it now (fetched, not taken from the event),
 * with its line items. Shipping, billing and customer fields are null until the customer paid.
 */
public record CheckoutSnapshot(String id, String status, String paymentStatus, String reservationId,
                               String customerName, String customerEmail, PostalAddress shipping,
                               PostalAddress billing, List<OrderItem> items, OrderTotals totals,
                               String paymentIntentId, boolean livemode) {
    public CheckoutSnapshot {
        if (id == null || !id.startsWith("cs_")) {
            throw new IllegalArgumentException("A Checkout Session id starts with cs_");
        }
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean complete() {
        return "complete".equals(status);
    }

    public boolean expired() {
        return "expired".equals(status);
    }

    /** Paid, or nothing to pay (a 100 % discount): either way the order stands. */
    public boolean paid() {
        return "paid".equals(paymentStatus) || "no_payment_required".equals(paymentStatus);
    }
}
