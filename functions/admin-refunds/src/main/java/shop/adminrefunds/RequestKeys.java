package shop.adminrefunds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import shop.core.errors.InvalidInputException;

/**
 * The idempotency key sent to Stripe, derived from the order and the admin page's
 * {@code Idempotency-Key} (a UUID per refund form): one form is one refund, however often it is
 * sent, and the same UUID on another order is another refund.
 */
final class RequestKeys {
    private RequestKeys() {
    }

    static String derive(String orderId, String idempotencyKey) {
        if (idempotencyKey == null || !idempotencyKey.matches("[A-Za-z0-9_-]{8,128}")) {
            throw new InvalidInputException("Idempotency-Key", "Send an Idempotency-Key header (a UUID per refund form),"
                    + " so that a repeated request does not refund twice.");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((orderId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "refund-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
