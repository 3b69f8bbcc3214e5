package shop.commerce.orders;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An order, keyed by its Stripe Checkout Session id. It keeps what the privacy policy says an
 * order needs (name, email, shipping and billing address, items, amounts) and nothing about the
 * card: Stripe holds that, and never sends it to us.
 *
 * <p>{@code attentionReason}: why the order needs (or, once the owner accepted it, needed) the
 * owner, a short code such as {@code no_reservation} or {@link #STOCK_NOT_HELD}, written with the
 * NEEDS_ATTENTION status itself so the back office can say why whatever became of the owner's mail;
 * every NEEDS_ATTENTION order has one, and an order that never needed the owner has none.
 */
public record Order(String id, String number, OrderStatus status, String reservationId, String customerName,
                    String customerEmail, PostalAddress shipping, PostalAddress billing, List<OrderItem> items,
                    OrderTotals totals, long amountRefunded, String paymentIntentId, boolean livemode,
                    Instant createdAt, Instant paidAt, Set<OrderStep> done, String attentionReason) {
    /**
     * Who changed an order's email ({@code emailChangedBy}) when the customer moved their account to a new address:
     * the back office's own corrections name the staff member.
     */
    public static final String EMAIL_CHANGED_BY_CUSTOMER = "customer";

    /** The reason of an order paid after its reservation stopped holding its stock ({@link #stockNotHeld}). */
    public static final String STOCK_NOT_HELD = "stock_not_held";

    /** A code, never free text: nothing personal can travel in it. */
    private static final Pattern REASON = Pattern.compile("[a-z][a-z_]{0,39}");

    public Order {
        if (id == null || !id.startsWith("cs_")) {
            throw new IllegalArgumentException("An order is keyed by a Checkout Session id (cs_...)");
        }
        if (number == null || number.isBlank() || status == null || createdAt == null || totals == null) {
            throw new IllegalArgumentException("An order needs a number, a status, totals and a creation time");
        }
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("An order has at least one line");
        }
        if (items.stream().anyMatch(item -> !item.total().currency().equals(totals.currency()))) {
            throw new IllegalArgumentException("An order has one currency");
        }
        if (customerEmail != null && (customerEmail.isBlank() || customerEmail.chars().anyMatch(c -> c < 0x20))) {
            throw new IllegalArgumentException("A customer email is one line");
        }
        if (amountRefunded < 0) {
            throw new IllegalArgumentException("A refund is not negative");
        }
        done = done.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(done));
        if (status == OrderStatus.NEEDS_ATTENTION && attentionReason == null) {
            throw new IllegalArgumentException("An order that needs the owner says why");
        }
        if (attentionReason != null && !REASON.matcher(attentionReason).matches()) {
            throw new IllegalArgumentException("An attention reason is a short code");
        }
    }

    /** The country the order ships to (ISO 3166-1 alpha-2), or the billing country without a shipping address. */
    public String country() {
        return shipping != null ? shipping.country() : billing != null ? billing.country() : null;
    }

    /**
     * This order as recorded when its payment came after its reservation stopped holding the
     * stock: NEEDS_ATTENTION because of that ({@link #STOCK_NOT_HELD}, whatever else it needed the
     * owner for: that the piece may be gone is what the owner must check first), and naming no
     * reservation, as every order that took no stock (so a refund never puts back pieces it never took).
     */
    public Order stockNotHeld() {
        return new Order(id, number, OrderStatus.NEEDS_ATTENTION, null, customerName, customerEmail, shipping, billing,
                items, totals, amountRefunded, paymentIntentId, livemode, createdAt, paidAt, done, STOCK_NOT_HELD);
    }

    public boolean isDone(OrderStep step) {
        return done.contains(step);
    }
}
