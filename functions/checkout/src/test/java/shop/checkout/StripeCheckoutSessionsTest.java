package shop.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.commerce.Money;
import shop.core.errors.UpstreamException;
import shop.local.stack.StripeStandIn;
import shop.stripe.StripeClients;

/**
 * Sessions created through stripe-java against the Stripe stand-in: what arrives there, field by
 * field as Stripe reads the form, and the idempotency key header.
 */
class StripeCheckoutSessionsTest {
    private static final Instant EXPIRES = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static StripeStandIn stripe;
    private static StripeCheckoutSessions sessions;

    @BeforeAll
    static void start() {
        stripe = StripeStandIn.start(Clock.systemUTC(), () -> URI.create("http://127.0.0.1:9"));
        var client = StripeClients.build(StripeStandIn.SECRET_KEY, stripe.apiBase().toString(),
                CheckoutDependencies.STRIPE_TIMEOUTS);
        sessions = new StripeCheckoutSessions(() -> client, List.of("US", "gb", " CA "));
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @Test
    void everyFieldOfTheSessionArrivesAsStripeReadsIt() {
        var ring = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "Gold & pearl, \"one of a kind\"",
                List.of("https://shop.example.com/img/aria-1.jpg", "https://shop.example.com/img/aria-2.jpg"),
                Money.of(18500, "USD"), 1);
        var earrings = new NewCheckoutSession.Line("EAR-COMET", "Comet earrings", "", List.of(), Money.of(7500, "USD"), 2);
        var session = new NewCheckoutSession("res_1", "checkout-res_1", List.of(ring, earrings),
                Optional.of("ada+shop@example.com"), EXPIRES, "https://shop.example.com/ok?session_id={CHECKOUT_SESSION_ID}",
                "https://shop.example.com/cart.html", "Insured shipping", Money.of(1200, "USD"), List.of("Sec-GPC", "DNT"));

        CreatedSession created = sessions.create(session);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("mode", "payment");
        expected.put("client_reference_id", "res_1");
        expected.put("metadata[reservation_id]", "res_1");
        expected.put("metadata[marketing_opt_out]", "true");
        expected.put("metadata[privacy_signals]", "Sec-GPC,DNT");
        expected.put("expires_at", String.valueOf(EXPIRES.getEpochSecond()));
        expected.put("success_url", "https://shop.example.com/ok?session_id={CHECKOUT_SESSION_ID}");
        expected.put("cancel_url", "https://shop.example.com/cart.html");
        expected.put("billing_address_collection", "required");
        expected.put("shipping_address_collection[allowed_countries][0]", "US");
        expected.put("shipping_address_collection[allowed_countries][1]", "GB");
        expected.put("shipping_address_collection[allowed_countries][2]", "CA");
        expected.put("shipping_options[0][shipping_rate_data][type]", "fixed_amount");
        expected.put("shipping_options[0][shipping_rate_data][display_name]", "Insured shipping");
        expected.put("shipping_options[0][shipping_rate_data][fixed_amount][amount]", "1200");
        expected.put("shipping_options[0][shipping_rate_data][fixed_amount][currency]", "usd");
        expected.put("customer_email", "ada+shop@example.com");
        expected.put("line_items[0][quantity]", "1");
        expected.put("line_items[0][price_data][currency]", "usd");
        expected.put("line_items[0][price_data][unit_amount]", "18500");
        expected.put("line_items[0][price_data][product_data][name]", "Aria ring");
        expected.put("line_items[0][price_data][product_data][description]", "Gold & pearl, \"one of a kind\"");
        expected.put("line_items[0][price_data][product_data][images][0]", "https://shop.example.com/img/aria-1.jpg");
        expected.put("line_items[0][price_data][product_data][images][1]", "https://shop.example.com/img/aria-2.jpg");
        expected.put("line_items[0][price_data][product_data][metadata][sku]", "RING-ARIA");
        expected.put("line_items[1][quantity]", "2");
        expected.put("line_items[1][price_data][currency]", "usd");
        expected.put("line_items[1][price_data][unit_amount]", "7500");
        expected.put("line_items[1][price_data][product_data][name]", "Comet earrings");
        expected.put("line_items[1][price_data][product_data][metadata][sku]", "EAR-COMET");
        var request = stripe.createRequest(created.id()).orElseThrow();
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(request.form()));
        assertEquals("checkout-res_1", request.idempotencyKey());

        var view = stripe.session(created.id()).orElseThrow();
        assertEquals(18500 + 2 * 7500 + 1200, view.total());
        assertTrue(created.url().endsWith("/_local/stripe/pay/" + created.id()), created.url());
    }

    @Test
    void aSessionWithoutEmailDescriptionImagesOrSignalsSendsNoneOfThem() {
        var line = new NewCheckoutSession.Line("EAR-COMET", "Comet earrings", " ", List.of(), Money.of(3000, "EUR"), 1);
        var session = new NewCheckoutSession("res_2", "checkout-res_2", List.of(line), Optional.empty(), EXPIRES,
                "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "EUR"), List.of());

        Map<String, String> form = stripe.createRequest(sessions.create(session).id()).orElseThrow().form();

        assertEquals(Map.of("reservation_id", "res_2"), metadata(form));
        assertTrue(form.keySet().stream().noneMatch(key -> key.equals("customer_email") || key.contains("[description]")
                || key.contains("[images]")), form.toString());
        assertEquals("eur", form.get("line_items[0][price_data][currency]"));
        assertEquals("0", form.get("shipping_options[0][shipping_rate_data][fixed_amount][amount]"));
    }

    @Test
    void aRetriedCreateCarriesTheSameIdempotencyKeyAndOpensNoSecondSession() {
        var line = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1);
        var session = new NewCheckoutSession("res_3", "checkout-res_3", List.of(line), Optional.empty(), EXPIRES,
                "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "USD"), List.of());
        int before = stripe.sessionCount();

        CreatedSession first = sessions.create(session);
        CreatedSession retried = sessions.create(session);

        assertEquals(first, retried);
        assertEquals(before + 1, stripe.sessionCount());
        assertEquals("checkout-res_3", stripe.createRequest(first.id()).orElseThrow().idempotencyKey());
    }

    @Test
    void stripeRefusingOrFailingIsAnUpstreamFailure() {
        var line = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1);
        var tooLate = new NewCheckoutSession("res_4", "checkout-res_4", List.of(line), Optional.empty(),
                Instant.now().plus(2, ChronoUnit.DAYS), "https://shop.example.com/ok", "https://shop.example.com/cart.html",
                "Shipping", Money.of(0, "USD"), List.of());
        assertThrows(UpstreamException.class, () -> sessions.create(tooLate), "Stripe refuses an expiry past 24 hours");

        stripe.failing(true);
        try {
            var fine = new NewCheckoutSession("res_5", "checkout-res_5", List.of(line), Optional.empty(), EXPIRES,
                    "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "USD"), List.of());
            assertThrows(UpstreamException.class, () -> sessions.create(fine));
        } finally {
            stripe.failing(false);
        }
    }

    @Test
    void anOpenSessionIsExpiredAtStripeWithTheIdempotencyKeyAndARepeatOfTheKeyEndsNothingMore() {
        String id = sessions.create(sample("res_8")).id();

        assertEquals(CheckoutSessions.Ending.ENDED, sessions.expire(id, "supersede-res_8"));
        assertEquals(CheckoutSessions.Ending.ENDED, sessions.expire(id, "supersede-res_8"));

        assertEquals("expired", stripe.session(id).orElseThrow().status());
        assertEquals(List.of(new StripeStandIn.ExpireRequest(id, "supersede-res_8")),
                stripe.expiredByApi().stream().filter(r -> r.sessionId().equals(id)).toList());
    }

    @Test
    void aSessionPaidFirstIsCompleteAndStaysPaid() {
        String id = sessions.create(sample("res_9")).id();
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);

        assertEquals(CheckoutSessions.Ending.COMPLETE, sessions.expire(id, "supersede-res_9"));

        var view = stripe.session(id).orElseThrow();
        assertEquals("complete", view.status());
        assertEquals("paid", view.paymentStatus());
    }

    @Test
    void aSessionThatRanOutByItselfIsEndedAndAnUnknownOneOrStripeFailingIsAnUpstreamFailure() {
        String id = sessions.create(sample("res_10")).id();
        stripe.expire(id);

        assertEquals(CheckoutSessions.Ending.ENDED, sessions.expire(id, "supersede-res_10"));
        assertThrows(UpstreamException.class, () -> sessions.expire("cs_test_nobody", "supersede-res_0"));

        String open = sessions.create(sample("res_11")).id();
        stripe.failing(true);
        try {
            assertThrows(UpstreamException.class, () -> sessions.expire(open, "supersede-res_11"));
        } finally {
            stripe.failing(false);
        }
        assertEquals("open", stripe.session(open).orElseThrow().status());
    }

    private static NewCheckoutSession sample(String reservationId) {
        var line = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1);
        return new NewCheckoutSession(reservationId, "checkout-" + reservationId, List.of(line), Optional.empty(), EXPIRES,
                "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "USD"), List.of());
    }

    @Test
    void primingSendsNothingAndReadsNoKey() {
        int before = stripe.sessionCount();
        new StripeCheckoutSessions(() -> {
            throw new AssertionError("priming must not build the real client");
        }, List.of("US")).prime();
        assertEquals(before, stripe.sessionCount());
        assertTrue(stripe.expiredByApi().stream().noneMatch(r -> r.sessionId().equals("cs_priming")));
    }

    @Test
    void automaticTaxPromotionCodesAndTaxCodesAreSentOnlyWhenSet() {
        var coded = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1,
                "txcd_99999999");
        var on = new NewCheckoutSession("res_6", "checkout-res_6", List.of(coded), Optional.empty(), EXPIRES,
                "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "USD"),
                List.of(), true, true);
        var uncoded = new NewCheckoutSession.Line("RING-ARIA", "Aria ring", "", List.of(), Money.of(18500, "USD"), 1);
        var off = new NewCheckoutSession("res_7", "checkout-res_7", List.of(uncoded), Optional.empty(), EXPIRES,
                "https://shop.example.com/ok", "https://shop.example.com/cart.html", "Shipping", Money.of(0, "USD"),
                List.of());

        Map<String, String> with = stripe.createRequest(sessions.create(on).id()).orElseThrow().form();
        Map<String, String> without = stripe.createRequest(sessions.create(off).id()).orElseThrow().form();

        assertEquals("true", with.get("automatic_tax[enabled]"), with.toString());
        assertEquals("true", with.get("allow_promotion_codes"), with.toString());
        assertEquals("txcd_99999999", with.get("line_items[0][price_data][product_data][tax_code]"), with.toString());
        assertTrue(without.keySet().stream().noneMatch(k -> k.startsWith("automatic_tax") || k.startsWith("allow_promotion_codes")
                || k.contains("tax_code")), without.toString());
    }

    @Test
    void anUnknownShippingCountryFailsAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new StripeCheckoutSessions(() -> null, List.of("US", "XX")));
    }

    private static Map<String, String> metadata(Map<String, String> form) {
        Map<String, String> metadata = new LinkedHashMap<>();
        form.forEach((key, value) -> {
            if (key.startsWith("metadata[")) {
                metadata.put(key.substring("metadata[".length(), key.length() - 1), value);
            }
        });
        return metadata;
    }
}
