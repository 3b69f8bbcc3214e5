package shop.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import com.stripe.net.FormEncoder;
import com.stripe.net.RawRequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry;
import com.stripe.param.checkout.SessionCreateParams.ShippingOption.ShippingRateData;
import java.io.IOException;
import java.time.Instant;
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
 * typed parameters and HTTP layer (key, pinned API version, idempotency, retries, Stripe's
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
                    FormEncoder.createQueryString(params(session).toMap()),
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
     * the parameters of a session (stripe-java turns them into a map with Gson) and reads a
     * session as Stripe answers one.
     */
    void prime() {
        var line = new NewCheckoutSession.Line("PRIMING", "Priming", "", List.of(), Money.of(100, "USD"), 1);
        var sample = new NewCheckoutSession("res_priming", "priming", List.of(line), Optional.of("priming@example.invalid"),
                Instant.now().plusSeconds(1800), "https://priming.invalid/ok", "https://priming.invalid/cart", "Shipping",
                Money.of(0, "USD"), List.of());
        FormEncoder.createQueryString(params(sample).toMap());
        created("{\"id\":\"cs_priming\",\"object\":\"checkout.session\",\"url\":\"https://priming.invalid\"}");
    }

    private SessionCreateParams params(NewCheckoutSession session) {
        String currency = session.currency().toLowerCase(Locale.ROOT);
        var params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(session.reservationId())
                .putMetadata(RESERVATION_METADATA, session.reservationId())
                .setExpiresAt(session.expiresAt().getEpochSecond())
                .setSuccessUrl(session.successUrl())
                .setCancelUrl(session.cancelUrl())
                // The policy names the billing address among what an order keeps.
                .setBillingAddressCollection(SessionCreateParams.BillingAddressCollection.REQUIRED)
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllAllowedCountry(shippingCountries).build())
                .addShippingOption(SessionCreateParams.ShippingOption.builder()
                        .setShippingRateData(ShippingRateData.builder()
                                .setType(ShippingRateData.Type.FIXED_AMOUNT)
                                .setDisplayName(session.shippingName())
                                .setFixedAmount(ShippingRateData.FixedAmount.builder()
                                        .setAmount(session.shipping().amount()).setCurrency(currency).build())
                                .build())
                        .build());
        session.customerEmail().ifPresent(params::setCustomerEmail);
        if (!session.optOutSignals().isEmpty()) {
            // Kept with the payment at Stripe, where the order's customer data lives longest.
            params.putMetadata("marketing_opt_out", "true")
                    .putMetadata("privacy_signals", String.join(",", session.optOutSignals()));
        }
        for (NewCheckoutSession.Line line : session.lines()) {
            var product = PriceData.ProductData.builder().setName(line.name()).putMetadata("sku", line.sku());
            if (!line.description().isBlank()) {
                product.setDescription(line.description());
            }
            if (!line.images().isEmpty()) {
                product.addAllImage(line.images());
            }
            params.addLineItem(LineItem.builder()
                    .setQuantity((long) line.quantity())
                    .setPriceData(PriceData.builder()
                            .setCurrency(currency)
                            .setUnitAmount(line.unitPrice().amount())
                            .setProductData(product.build())
                            .build())
                    .build());
        }
        return params.build();
    }
}
