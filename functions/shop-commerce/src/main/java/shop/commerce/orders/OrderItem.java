package shop.commerce.orders;

import shop.commerce.Money;

/** One line of an order as Stripe charged it; {@code sku} is absent for lines not from our catalog. */
public record OrderItem(String sku, String name, int quantity, Money unitPrice, Money total) {
    public OrderItem {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An order line needs a name");
        }
        if (quantity < 1) {
            throw new IllegalArgumentException("An order line has at least one piece");
        }
        if (!unitPrice.currency().equals(total.currency())) {
            throw new IllegalArgumentException("An order line has one currency");
        }
    }
}
