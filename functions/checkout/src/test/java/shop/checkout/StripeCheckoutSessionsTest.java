package shop.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.net.FormEncoder;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionCreateParams.LineItem;
import com.stripe.param.checkout.SessionCreateParams.LineItem.PriceData;
import com.stripe.param.checkout.SessionCreateParams.ShippingAddressCollection.AllowedCountry;
import com.stripe.param.checkout.SessionCreateParams.ShippingOption.ShippingRateData;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.commerce.Money;

/**
 * The session's parameters are built as a plain map (cheaper on a cold start); stripe-java's
 * typed builder, kept here as the reference, must make exactly the same form.
 */
class StripeCheckoutSessionsTest {
    private static final List<String> COUNTRIES = List.of("US", "gb", " CA ");
    private final StripeCheckoutSessions sessions = new StripeCheckoutSessions(() -> {
        throw new AssertionError("no call is made");
    }, COUNTRIES);

    @Test
    void everyFieldIsEncodedAsStripeJavasTypedParametersEncodeIt() {
        var ring = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "Gold & pearl, \"one of a kind\"",
                List.of("https://shop.example.com/img/aria-1.jpg", "https://shop.example.com/img/aria-2.jpg"),
                Money.of(18500, "USD"), 1);
        var earrings = new NewCheckoutSession.Line("EAR-COMET", "Comet earrings", "", List.of(), Money.of(7500, "USD"), 2);
        var full = new NewCheckoutSession("res_1", "checkout-res_1", List.of(ring, earrings), Optional.of("ada+shop@example.com"),
                Instant.parse("2026-11-30T12:31:00Z"), "https://shop.example.com/ok?session_id={CHECKOUT_SESSION_ID}",
                "https://shop.example.com/cart.html", "Insured shipping", Money.of(1200, "USD"), List.of("Sec-GPC", "DNT"));
        var plain = new NewCheckoutSession("res_2", "checkout-res_2", List.of(earrings), Optional.empty(),
                Instant.parse("2026-11-30T12:31:00Z"), "https://shop.example.com/ok", "https://shop.example.com/cart.html",
                "Shipping", Money.of(0, "USD"), List.of());

        var taxedRing = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1,
                "txcd_99999999");
        var taxed = new NewCheckoutSession("res_3", "checkout-res_3", List.of(taxedRing, earrings), Optional.empty(),
                Instant.parse("2026-11-30T12:31:00Z"), "https://shop.example.com/ok", "https://shop.example.com/cart.html",
                "Shipping", Money.of(0, "USD"), List.of(), true, true);

        for (NewCheckoutSession session : List.of(full, plain, taxed)) {
            assertEquals(pairs(FormEncoder.createQueryString(typed(session).toMap())),
                    pairs(FormEncoder.createQueryString(sessions.params(session))));
        }
    }

    @Test
    void automaticTaxPromotionCodesAndTaxCodesAreSentOnlyWhenSet() {
        var coded = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1,
                "txcd_99999999");
        var on = new NewCheckoutSession("res_4", "checkout-res_4", List.of(coded), Optional.empty(),
                Instant.parse("2026-11-30T12:31:00Z"), "https://shop.example.com/ok", "https://shop.example.com/cart.html",
                "Shipping", Money.of(0, "USD"), List.of(), true, true);
        var uncoded = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1);
        var off = new NewCheckoutSession("res_5", "checkout-res_5", List.of(uncoded), Optional.empty(),
                Instant.parse("2026-11-30T12:31:00Z"), "https://shop.example.com/ok", "https://shop.example.com/cart.html",
                "Shipping", Money.of(0, "USD"), List.of());

        List<String> withOptions = pairs(FormEncoder.createQueryString(sessions.params(on)));
        List<String> without = pairs(FormEncoder.createQueryString(sessions.params(off)));

        assertTrue(withOptions.contains("automatic_tax[enabled]=true"), withOptions.toString());
        assertTrue(withOptions.contains("allow_promotion_codes=true"), withOptions.toString());
        assertTrue(withOptions.contains("line_items[0][price_data][product_data][tax_code]=txcd_99999999"),
                withOptions.toString());
        assertTrue(without.stream().noneMatch(p -> p.startsWith("automatic_tax") || p.startsWith("allow_promotion_codes")
                || p.contains("tax_code")), without.toString());
    }

    @Test
    void anUnknownShippingCountryFailsAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new StripeCheckoutSessions(() -> null, List.of("US", "XX")));
    }

    /** The form's name=value pairs, decoded and sorted: the order of a map's keys does not matter to Stripe. */
    private static List<String> pairs(String form) {
        return Arrays.stream(form.split("&")).map(pair -> URLDecoder.decode(pair, StandardCharsets.UTF_8)).sorted().toList();
    }

    /** What the function built with stripe-java's builders before it built the map itself. */
    private static SessionCreateParams typed(NewCheckoutSession session) {
        String currency = session.currency().toLowerCase(java.util.Locale.ROOT);
        var params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(session.reservationId())
                .putMetadata(StripeCheckoutSessions.RESERVATION_METADATA, session.reservationId())
                .setExpiresAt(session.expiresAt().getEpochSecond())
                .setSuccessUrl(session.successUrl())
                .setCancelUrl(session.cancelUrl())
                .setBillingAddressCollection(SessionCreateParams.BillingAddressCollection.REQUIRED)
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllAllowedCountry(List.of(AllowedCountry.US, AllowedCountry.GB, AllowedCountry.CA)).build())
                .addShippingOption(SessionCreateParams.ShippingOption.builder()
                        .setShippingRateData(ShippingRateData.builder()
                                .setType(ShippingRateData.Type.FIXED_AMOUNT)
                                .setDisplayName(session.shippingName())
                                .setFixedAmount(ShippingRateData.FixedAmount.builder()
                                        .setAmount(session.shipping().amount()).setCurrency(currency).build())
                                .build())
                        .build());
        session.customerEmail().ifPresent(params::setCustomerEmail);
        if (session.automaticTax()) {
            params.setAutomaticTax(SessionCreateParams.AutomaticTax.builder().setEnabled(true).build());
        }
        if (session.allowPromotionCodes()) {
            params.setAllowPromotionCodes(true);
        }
        if (!session.optOutSignals().isEmpty()) {
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
        return params.build();
    }
}
