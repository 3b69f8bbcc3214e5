package shop.commerce.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;
import shop.core.security.AddressHasher;
import shop.local.stack.LocalParameters;

/** Test data shaped like the real thing. */
public final class Samples {
    /** The address hash key the local stack gives every function, so orders written here are found by them. */
    public static final AddressHasher HASHER = new AddressHasher(LocalParameters.ADDRESS_HASH_KEY);

    private Samples() {
    }

    public static Product product(String sku, long amount, int stock) {
        return new Product(sku, "Piece " + sku, "A hand-made piece.", Money.of(amount, "USD"), stock,
                List.of("https://shop.example.com/images/" + sku + ".jpg"), true);
    }

    public static PostalAddress address(String name) {
        return new PostalAddress(name, "12 Harbor Road", null, "04101", "Portland", "ME", "US");
    }

    /** A NEEDS_ATTENTION one says why as a Payment Link's would: {@code no_reservation}. */
    public static Order order(String sessionId, OrderStatus status, String email, String name) {
        Money price = Money.of(18500, "USD");
        return new Order(sessionId, OrderNumber.of(sessionId), status, "res_1", name, email, address(name), address(name),
                List.of(new OrderItem("RING-ARIA", "Aria ring", 1, price, price)),
                new OrderTotals(price, Money.of(0, "USD"), Money.of(0, "USD"), Money.of(0, "USD"), price),
                0, "pi_123", false, Instant.parse("2026-11-25T10:00:00Z"),
                status == OrderStatus.PAID ? Instant.parse("2026-11-25T10:00:00Z") : null, Set.of(),
                status == OrderStatus.NEEDS_ATTENTION ? "no_reservation" : null);
    }

    /** As {@link #order}, with one line per SKU of {@code pieces} (SKU to quantity), each piece at 40.00. */
    public static Order order(String sessionId, OrderStatus status, Map<String, Integer> pieces) {
        Order sample = order(sessionId, status, "ada@example.com", "Ada");
        List<OrderItem> items = new java.util.ArrayList<>();
        long total = 0;
        for (var line : pieces.entrySet()) {
            items.add(new OrderItem(line.getKey(), "Piece " + line.getKey(), line.getValue(), Money.of(4000, "USD"),
                    Money.of(4000L * line.getValue(), "USD")));
            total += 4000L * line.getValue();
        }
        Money sum = Money.of(total, "USD");
        return new Order(sessionId, sample.number(), status, sample.reservationId(), sample.customerName(),
                sample.customerEmail(), sample.shipping(), sample.billing(), items,
                new OrderTotals(sum, Money.of(0, "USD"), Money.of(0, "USD"), Money.of(0, "USD"), sum), 0,
                sample.paymentIntentId(), false, sample.createdAt(), sample.paidAt(), Set.of(), sample.attentionReason());
    }
}
