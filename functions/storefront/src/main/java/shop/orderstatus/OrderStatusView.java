package shop.orderstatus;

import java.util.List;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderStatus;

/**
 * What the storefront's thank-you page shows. Anyone holding the Checkout Session id (a long
 * random capability that Stripe puts in the success URL) can read it, so it holds nothing
 * personal: no name, no address, no email.
 */
public record OrderStatusView(String orderNumber, String status, String statusText, List<Line> items, String total,
                              String currency, String createdAt) {
    public record Line(String sku, String name, int quantity, String total) {
    }

    static OrderStatusView of(Order order) {
        return new OrderStatusView(order.number(), order.status().name(), text(order.status()),
                order.items().stream()
                        .map(item -> new Line(item.sku(), item.name(), item.quantity(), item.total().format()))
                        .toList(),
                order.totals().total().format(), order.totals().currency(), order.createdAt().toString());
    }

    private static String text(OrderStatus status) {
        return switch (status) {
            case PENDING_PAYMENT -> "received; we are waiting for your bank to confirm the payment";
            case PAID -> "paid, thank you; we will mail you when it ships";
            case SHIPPED -> "shipped; the tracking link is in the mail we sent you";
            case FAILED -> "the payment did not go through, so the order was cancelled";
            case REFUNDED -> "refunded";
            case NEEDS_ATTENTION -> "received; the shop will check it and write to you";
        };
    }
}
