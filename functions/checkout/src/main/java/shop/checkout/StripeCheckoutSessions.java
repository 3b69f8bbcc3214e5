package shop.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.FormEncoder;
import com.stripe.net.RawRequestOptions;
import com.stripe.param.checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import shop.commerce.Money;
import shop.core.errors.UpstreamException;
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * {@link CheckoutSessions} through Stripe Checkout, with an injected {@link StripeClient}: its
 * form encoding and HTTP layer (key, pinned API version, idempotency, retries, Stripe's
 * errors). The answer is read with our own JSON parser: stripe-java would read it into its typed
 * Session through Gson's reflection, which on a cold start loads and links some 180 model
 * classes for the two fields used here.
 */
final class StripeCheckoutSessions implements CheckoutSessions {
    static final String RESERVATION_METADATA = "reservation_id";

    private final Supplier<StripeClient> stripe;
    private final List<AllowedCountry> shippingCountries;

    /**
     * {@code stripe} is built on first use (its key is read then); {@code shippingCountries} are
     * ISO 3166-1 alpha-2 codes, and an unknown one fails here, at start-up.
     */
    StripeCheckoutSessions(Supplier<StripeClient> stripe, List<String> shippingCountries) {
        this.stripe = stripe;
        if (shippingCountries.isEmpty()) {
            throw new IllegalArgumentException("At least one shipping country is needed");
        }
        this.shippingCountries = shippingCountries.stream()
                .map(code -> AllowedCountry.valueOf(code.strip().toUpperCase(Locale.ROOT)))
                .toList();
    }

    @Override
    public CreatedSession create(NewCheckoutSession session) {
        String answer;
        try {
            // What sessions().create(params, options) sends: the same form encoding of the same parameters.
            answer = stripe.get().rawRequest(ApiResource.RequestMethod.POST, "/v1/checkout/sessions",
                    FormEncoder.createQueryString(params(session)),
                    RawRequestOptions.builder().setIdempotencyKey(session.idempotencyKey()).build()).body();
        } catch (StripeException e) {
            Log.warn("stripe_create_session_failed", Map.of("reservationId", session.reservationId(),
                    "stripeError", e.getClass().getSimpleName(), "status", String.valueOf(e.getStatusCode()),
                    "requestId", String.valueOf(e.getRequestId())));
            throw new UpstreamException("The payment provider could not start a checkout; nothing was reserved."
                    + " Please try again in a moment.", e);
        }
        return created(answer);
    }

    private static CreatedSession created(String answer) {
        try {
            JsonNode created = Json.mapper().readTree(answer);
            return new CreatedSession(created.path("id").asText(null), created.path("url").asText(null));
        } catch (IOException | IllegalArgumentException e) {
            throw new UpstreamException("The payment provider's answer was not a checkout session.", e);
        }
    }

    /**
     * SnapStart priming, offline: no key is read and nothing is sent. It builds and form-encodes
     * the parameters of a session and reads a session as Stripe answers one.
     */
    void prime() {
        var line = new NewCheckoutSession.Line("PRIMING", "Priming", "", List.of(), Money.of(100, "USD"), 1);
        var sample = new NewCheckoutSession("res_priming", "priming", List.of(line), Optional.of("priming@example.invalid"),
                Instant.now().plusSeconds(1800), "https://priming.invalid/ok", "https://priming.invalid/cart", "Shipping",
                Money.of(0, "USD"), List.of());
        FormEncoder.createQueryString(params(sample));
        created("{\"id\":\"cs_priming\",\"object\":\"checkout.session\",\"url\":\"https://priming.invalid\"}");
    }

    /**
     * The session's parameters under the names of Stripe's API, for stripe-java's FormEncoder.
     * stripe-java's typed {@code SessionCreateParams} would make the same form
     * ({@code StripeCheckoutSessionsTest} proves it), but on a cold start its builders and the
     * Gson reflection that turns them into this map load some 400 classes, a tenth of the function.
     */
    Map<String, Object> params(NewCheckoutSession session) {
        String currency = session.currency().toLowerCase(Locale.ROOT);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(RESERVATION_METADATA, session.reservationId());
        if (!session.optOutSignals().isEmpty()) {
            // Kept with the payment at Stripe, where the order's customer data lives longest.
            metadata.put("marketing_opt_out", "true");
            metadata.put("privacy_signals", String.join(",", session.optOutSignals()));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("mode", "payment");
        params.put("client_reference_id", session.reservationId());
        params.put("metadata", metadata);
        params.put("expires_at", session.expiresAt().getEpochSecond());
        params.put("success_url", session.successUrl());
        params.put("cancel_url", session.cancelUrl());
        // The policy names the billing address among what an order keeps.
        params.put("billing_address_collection", "required");
        params.put("shipping_address_collection", Map.of("allowed_countries",
                shippingCountries.stream().map(AllowedCountry::getValue).toList()));
        params.put("shipping_options", List.of(Map.of("shipping_rate_data", Map.of(
                "type", "fixed_amount",
                "display_name", session.shippingName(),
                "fixed_amount", Map.of("amount", session.shipping().amount(), "currency", currency)))));
        session.customerEmail().ifPresent(email -> params.put("customer_email", email));
        params.put("line_items", session.lines().stream().map(line -> lineItem(line, currency)).toList());
        if (session.automaticTax()) {
            params.put("automatic_tax", Map.of("enabled", true));
        }
        if (session.allowPromotionCodes()) {
            params.put("allow_promotion_codes", true);
        }
        return params;
    }

    private static Map<String, Object> lineItem(NewCheckoutSession.Line line, String currency) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("name", line.name());
        product.put("metadata", Map.of("sku", line.sku()));
        if (!line.description().isBlank()) {
            product.put("description", line.description());
        }
        if (!line.images().isEmpty()) {
            product.put("images", line.images());
        }
        if (line.taxCode() != null) {
            product.put("tax_code", line.taxCode());
        }
        return Map.of("quantity", (long) line.quantity(), "price_data", Map.of(
                "currency", currency,
                "unit_amount", line.unitPrice().amount(),
                "product_data", product));
    }
}
