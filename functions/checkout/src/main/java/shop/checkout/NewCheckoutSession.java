package shop.checkout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import shop.commerce.Money;

/**
 * Everything the payment page needs, priced from the catalog. {@code idempotencyKey} is derived
 * from the reservation, so a retried create cannot make a second session for the same stock.
 * {@code optOutSignals} names the browser's opt-out signals (Sec-GPC, DNT), recorded with the
 * payment as the customer's opt-out of marketing use of what they give there.
 * {@code automaticTax} and {@code allowPromotionCodes} are the owner's deploy options
 * ({@link CheckoutSettings}); a line's {@code taxCode} is sent only with automatic tax.
 */
public record NewCheckoutSession(String reservationId, String idempotencyKey, List<Line> lines,
                                 Optional<String> customerEmail, Instant expiresAt, String successUrl,
                                 String cancelUrl, String shippingName, Money shipping, List<String> optOutSignals,
                                 boolean automaticTax, boolean allowPromotionCodes) {
    /** {@code taxCode}: the product's Stripe tax code, or null for the account's default. */
    public record Line(String sku, String name, String description, List<String> images, Money unitPrice,
                       int quantity, String taxCode) {
        public Line {
            images = List.copyOf(images);
        }

        public Line(String sku, String name, String description, List<String> images, Money unitPrice, int quantity) {
            this(sku, name, description, images, unitPrice, quantity, null);
        }
    }

    /** Without automatic tax or promotion codes. */
    public NewCheckoutSession(String reservationId, String idempotencyKey, List<Line> lines,
                              Optional<String> customerEmail, Instant expiresAt, String successUrl, String cancelUrl,
                              String shippingName, Money shipping, List<String> optOutSignals) {
        this(reservationId, idempotencyKey, lines, customerEmail, expiresAt, successUrl, cancelUrl, shippingName,
                shipping, optOutSignals, false, false);
    }

    public NewCheckoutSession {
        optOutSignals = List.copyOf(optOutSignals);
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("A session has at least one line");
        }
        String currency = shipping.currency();
        if (lines.stream().anyMatch(line -> !line.unitPrice().currency().equals(currency))) {
            throw new IllegalArgumentException("A session is in one currency");
        }
    }

    public String currency() {
        return shipping.currency();
    }
}
