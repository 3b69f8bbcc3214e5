package shop.checkout;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionExpireParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.ShippingAddressCollection;
import com.stripe.param.checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry;
import com.stripe.param.checkout.SessionCreateParams.ShippingOption;
import com.stripe.param.checkout.SessionCreateParams.ShippingOption.ShippingRateData;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import shop.commerce.Money;
import shop.core.errors.UpstreamException;
import shop.core.logging.Log;
import shop.stripe.StripeClients;

/**
 * {@link CheckoutSessions} through Stripe Checkout: stripe-java's typed
 * {@link SessionCreateParams}, sent by an injected {@link StripeClient} with the reservation's
 * idempotency key, and the answer read into its {@link Session}; an earlier checkout's session
 * ended through Stripe's expire call. Its classes are loaded and initialised before the
 * SnapStart snapshot by {@link #prime()}.
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
        Session created;
        try {
            created = stripe.get().v1().checkout().sessions().create(params(session),
                    RequestOptions.builder().setIdempotencyKey(session.idempotencyKey()).build());
        } catch (StripeException e) {
            Log.warn("stripe_create_session_failed", Map.of("reservationId", session.reservationId(),
                    "stripeError", e.getClass().getSimpleName(), "status", String.valueOf(e.getStatusCode()),
                    "requestId", String.valueOf(e.getRequestId())));
            throw new UpstreamException("The payment provider could not start a checkout; nothing was reserved."
                    + " Please try again in a moment.", e);
        }
        try {
            return new CreatedSession(created.getId(), created.getUrl());
        } catch (IllegalArgumentException e) {
            throw new UpstreamException("The payment provider's answer was not a checkout session.", e);
        }
    }

    /**
     * Stripe's expire call ({@code POST /v1/checkout/sessions/{id}/expire}). Stripe expires only an
     * open session and answers any other with a 400 {@code invalid_request_error}: the session is
     * then read again, and its status says whether it was completed first (being paid: not to be
     * released) or had expired already (its stock may go back). Anything else is the provider failing.
     */
    @Override
    public Ending expire(String sessionId, String idempotencyKey) {
        var checkoutSessions = stripe.get().v1().checkout().sessions();
        String status;
        try {
            status = checkoutSessions.expire(sessionId, SessionExpireParams.builder().build(),
                    RequestOptions.builder().setIdempotencyKey(idempotencyKey).build()).getStatus();
        } catch (InvalidRequestException notOpen) {
            try {
                status = checkoutSessions.retrieve(sessionId).getStatus();
            } catch (StripeException e) {
                throw expireFailed(sessionId, e);
            }
        } catch (StripeException e) {
            throw expireFailed(sessionId, e);
        }
        if ("expired".equals(status)) {
            return Ending.ENDED;
        }
        if ("complete".equals(status)) {
            return Ending.COMPLETE;
        }
        Log.warn("stripe_expire_session_left_it", Map.of("sessionId", sessionId, "status", String.valueOf(status)));
        throw new UpstreamException("The payment provider could not end an earlier checkout of this address;"
                + " nothing was reserved. Please try again in a moment.", null);
    }

    private static UpstreamException expireFailed(String sessionId, StripeException e) {
        Log.warn("stripe_expire_session_failed", Map.of("sessionId", sessionId,
                "stripeError", e.getClass().getSimpleName(), "status", String.valueOf(e.getStatusCode()),
                "requestId", String.valueOf(e.getRequestId())));
        return new UpstreamException("The payment provider could not end an earlier checkout of this address;"
                + " nothing was reserved. Please try again in a moment.", e);
    }

    /**
     * SnapStart priming, offline (no key is read and nothing is sent): a representative session
     * goes through {@link #create}, and its session through {@link #expire}, on a client that
     * answers from memory, so the typed parameters, their form encoding, the request and the
     * reading of the answer are loaded and initialised in the snapshot.
     */
    void prime() {
        var line = new NewCheckoutSession.Line("PRIMING", "Priming", "Priming", List.of("https://priming.invalid/p.jpg"),
                Money.of(100, "USD"), 1);
        var sample = new NewCheckoutSession("res_priming", "priming", List.of(line), Optional.of("priming@example.invalid"),
                Instant.now().plusSeconds(1800), "https://priming.invalid/ok", "https://priming.invalid/cart", "Shipping",
                Money.of(0, "USD"), List.of("Sec-GPC"));
        StripeClient offline = StripeClients.offline(request -> "{\"id\":\"cs_priming\",\"object\":\"checkout.session\","
                + "\"status\":\"" + (request.endsWith("/expire") ? "expired" : "open")
                + "\",\"url\":\"https://priming.invalid/pay\"}");
        var primed = new StripeCheckoutSessions(() -> offline, List.of("US"));
        primed.expire(primed.create(sample).id(), "priming");
    }

    SessionCreateParams params(NewCheckoutSession session) {
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
                .setShippingAddressCollection(ShippingAddressCollection.builder()
                        .addAllAllowedCountry(shippingCountries).build())
                .addShippingOption(ShippingOption.builder()
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
            if (line.taxCode() != null) {
                product.setTaxCode(line.taxCode());
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
        if (session.automaticTax()) {
            params.setAutomaticTax(SessionCreateParams.AutomaticTax.builder().setEnabled(true).build());
        }
        if (session.allowPromotionCodes()) {
            params.setAllowPromotionCodes(true);
        }
        return params.build();
    }
}
