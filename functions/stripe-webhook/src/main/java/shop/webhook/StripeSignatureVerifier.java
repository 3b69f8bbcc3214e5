package shop.webhook;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.ApiResource;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.function.Supplier;
import shop.core.errors.InvalidInputException;

/**
 * Verifies {@code Stripe-Signature} with stripe-java's own code (HMAC-SHA256 over
 * "timestamp.payload", compared in constant time, timestamps older than 5 minutes refused), on
 * the raw body exactly as it arrived, then reads it into stripe-java's {@link Event}.
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
        return read(payload);
    }

    /**
     * The verified payload read into stripe-java's {@link Event}. Of the object it is about only
     * the id is taken, from the raw JSON: {@code getDataObjectDeserializer().getObject()} is
     * empty unless the event's api_version (the webhook endpoint's, set in Stripe's Dashboard)
     * equals the library's, and the object's current state is fetched again anyway (see
     * {@link PaymentRecords}), at the library's own version.
     */
    static StripeEvent read(String payload) {
        Event event;
        try {
            // Verified just before, on these bytes. Not Webhook.constructEventWithoutVerification:
            // it also unwraps EventBridge and Event Grid envelopes, which this endpoint never gets.
            event = ApiResource.GSON.fromJson(payload, Event.class);
        } catch (JsonParseException e) {
            throw new InvalidInputException(null, "The signed payload is not a JSON event.");
        }
        if (event == null || !"event".equals(event.getObject()) || event.getType() == null) {
            throw new InvalidInputException(null, "The signed payload is not a Stripe event.");
        }
        try {
            return new StripeEvent(event.getId(), event.getType(), objectId(event),
                    Instant.ofEpochSecond(event.getCreated() == null ? 0 : event.getCreated()),
                    Boolean.TRUE.equals(event.getLivemode()));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidInputException(null, "The signed payload is not a Stripe event.");
        }
    }

    /** The id of the object the event is about, from its raw JSON, whatever the event's API version. */
    private static String objectId(Event event) {
        if (event.getData() == null) {
            return null;
        }
        String raw;
        try {
            raw = event.getDataObjectDeserializer().getRawJson();
        } catch (NullPointerException noObject) {
            return null; // "data" without "object": stripe-java's deserializer does not check for it
        }
        JsonElement id = JsonParser.parseString(raw).getAsJsonObject().get("id");
        return id != null && id.isJsonPrimitive() ? id.getAsString() : null;
    }

    /** SnapStart priming: reads an event as Stripe sends one, with no secret and no signature. */
    static void prime() {
        read("{\"id\":\"evt_priming\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\",\"created\":0,"
                + "\"livemode\":false,\"type\":\"checkout.session.completed\","
                + "\"data\":{\"object\":{\"id\":\"cs_priming\",\"object\":\"checkout.session\"}}}");
    }
}
