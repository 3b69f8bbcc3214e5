package shop.webhook;

import java.time.Instant;

/**
 * The parts of a verified Stripe event we act on: which event, what kind, and the id of the
 * object it is about. The rest of the payload is not trusted for state (it may be stale or
 * arrive out of order) and is never stored or logged.
 */
public record StripeEvent(String id, String type, String objectId, Instant created, boolean livemode) {
    public StripeEvent {
        if (id == null || !id.startsWith("evt_") || type == null || type.isBlank()) {
            throw new IllegalArgumentException("A Stripe event has an id evt_... and a type");
        }
    }
}
