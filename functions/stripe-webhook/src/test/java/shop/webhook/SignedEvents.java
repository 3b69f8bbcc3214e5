package shop.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.stripe.net.Webhook;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import shop.commerce.testing.SampleEvents;
import shop.local.stack.StripeStandIn;

/** Stripe events as they arrive: a payload and a Stripe-Signature made for real with a secret. */
final class SignedEvents {
    static final String SECRET = "whsec_test_secret_for_unit_tests_0123456789";
    /** The Checkout Session the samples of {@code events/stripe-webhook/} name. */
    static final String SAMPLE_SESSION = "cs_test_b1SampleSessionFromTheEventsFolder0001";

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

    /**
     * The sample delivery {@code sample} with a fresh event id, its session replaced by
     * {@code session} (when not null) and its other objects' ids by ones the stand-in knows
     * ({@code ids}), signed now with the local stack's webhook secret.
     */
    static APIGatewayV2HTTPEvent fromSample(String sample, String session, Map<String, String> ids) {
        APIGatewayV2HTTPEvent event = SampleEvents.api("stripe-webhook/" + sample);
        String payload = event.getBody().replaceAll("evt_[0-9][A-Za-z0-9]*Sample[A-Za-z0-9]*",
                "evt_" + UUID.randomUUID().toString().replace("-", ""));
        if (session != null) {
            payload = payload.replace(SAMPLE_SESSION, session);
        }
        for (var id : ids.entrySet()) {
            payload = payload.replace(id.getKey(), id.getValue());
        }
        event.setBody(payload);
        event.getHeaders().put("stripe-signature", StripeStandIn.signature(payload, StripeStandIn.WEBHOOK_SECRET,
                Instant.now().getEpochSecond()));
        return event;
    }
}
