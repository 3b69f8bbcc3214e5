package shop.webhook;

import com.stripe.net.Webhook;
import java.time.Instant;
import java.util.UUID;

/** Stripe events as they arrive: a payload and a Stripe-Signature made for real with a secret. */
final class SignedEvents {
    static final String SECRET = "whsec_test_secret_for_unit_tests_0123456789";

    private SignedEvents() {
    }

    static String payload(String type, String objectId, String objectType) {
        return """
                {
                  "id": "evt_%s",
                  "object": "event",
                  "api_version": "2026-07-29.dahlia",
                  "created": %d,
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {"id": null, "idempotency_key": null},
                  "type": "%s",
                  "data": {"object": {"id": "%s", "object": "%s"}}
                }""".formatted(UUID.randomUUID().toString().replace("-", ""), Instant.now().getEpochSecond(), type,
                objectId, objectType);
    }

    static String sessionEvent(String type, String sessionId) {
        return payload(type, sessionId, "checkout.session");
    }

    static String signature(String payload, String secret, Instant at) {
        try {
            return Webhook.Signature.generateSignatureHeader(payload, secret, at.getEpochSecond());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signature(String payload) {
        return signature(payload, SECRET, Instant.now());
    }
}
