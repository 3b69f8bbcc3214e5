package shop.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;

/**
 * Verifies {@code Stripe-Signature} with stripe-java's own code (HMAC-SHA256 over
 * "timestamp.payload", compared in constant time, timestamps older than 5 minutes refused), on
 * the raw body exactly as it arrived, then reads the few fields we need with our own JSON
 * parser: stripe-java's typed event only deserialises events of its own API version.
 */
final class StripeSignatureVerifier implements WebhookVerifier {
    static final long TOLERANCE_SECONDS = 300;

    private final Supplier<String> secret;
    private final Clock clock;

    /** {@code secret} is read on first use (from SSM on AWS). */
    StripeSignatureVerifier(Supplier<String> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    @Override
    public StripeEvent verify(String payload, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new InvalidSignatureException("The Stripe-Signature header is missing.");
        }
        try {
            Webhook.Signature.verifyHeader(payload, signatureHeader, secret.get(), TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException | NumberFormatException | IndexOutOfBoundsException e) {
            // Whether the signature, the secret or the time is wrong is not the sender's business.
            // stripe-java parses "t=" with Long.parseLong and reads the value after "=" unchecked, so
            // a header such as "t=abc" or a bare "t" throws these rather than its own exception.
            throw new InvalidSignatureException("The Stripe-Signature does not match this payload, secret and time.");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(payload);
        } catch (IOException e) {
            throw new InvalidInputException(null, "The signed payload is not a JSON event.");
        }
        if (root == null || !root.path("id").isTextual() || !root.path("type").isTextual()) {
            throw new InvalidInputException(null, "The signed payload is not a Stripe event.");
        }
        try {
            return new StripeEvent(root.get("id").textValue(), root.get("type").textValue(),
                    root.path("data").path("object").path("id").asText(null),
                    Instant.ofEpochSecond(root.path("created").asLong(0)),
                    root.path("livemode").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, "The signed payload is not a Stripe event.");
        }
    }
}
