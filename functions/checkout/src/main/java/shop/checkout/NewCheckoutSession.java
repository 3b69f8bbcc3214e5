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
 */
public record NewCheckoutSession(String reservationId, String idempotencyKey, List<Line> lines,
                                 Optional<String> customerEmail, Instant expiresAt, String successUrl,
                                 String cancelUrl, String shippingName, Money shipping, List<String> optOutSignals) {
    public record Line(String sku, String name, String description, List<String> images, Money unitPrice,
                       int quantity) {
        public Line {
            images = List.copyOf(images);
        }
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
