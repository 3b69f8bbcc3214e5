package shop.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservationStore;
import shop.commerce.reservations.SoldOutException;
import shop.commerce.reservations.StockReservations;
import shop.commerce.testing.Crash;
import shop.commerce.testing.InMemoryProductStore;
import shop.commerce.testing.InMemoryReservationStore;
import shop.commerce.testing.MutableClock;
import shop.commerce.testing.Samples;
import shop.core.email.EmailAddress;
import shop.core.security.AddressHasher;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.TooManyRequestsException;
import shop.core.privacy.PrivacySignals;
import shop.core.errors.UpstreamException;

class CheckoutServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:10:00Z"));
    private final InMemoryProductStore products = new InMemoryProductStore().with(
            Samples.product("RING-ARIA", 18500, 1),
            Samples.product("EAR-COMET", 7500, 3),
            new Product("EUR-PIECE", "Euro piece", "", Money.of(9000, "EUR"), 1, List.of(), true),
            new Product("RETIRED", "Retired", "", Money.of(9000, "USD"), 1, List.of(), false));
    private final InMemoryReservationStore reservationStore = new InMemoryReservationStore(products);
    private final RecordingCheckoutSessions sessions = new RecordingCheckoutSessions();
    private final CheckoutSettings settings = new CheckoutSettings("https://shop.example.com/",
            "/order-confirmed.html?session_id={CHECKOUT_SESSION_ID}", "/cart.html", "Insured shipping", 1200,
            CheckoutSettings.DEFAULT_LIFETIME);
    private final Set<String> deactivated = new HashSet<>();
    /** Checkouts started per key this hour, as DynamoRateLimiter counts them in one window. */
    private final java.util.Map<String, Integer> hourly = new java.util.HashMap<>();
    private final ClientLimits limits = new ClientLimits((key, limit, window) -> hourly.merge(key, 1, Integer::sum) <= limit,
            new AddressHasher("a-test-key-of-at-least-32-characters"));
    private final CheckoutService service = new CheckoutService(products,
            new StockReservations(reservationStore, clock), sessions, settings,
            address -> deactivated.contains(address.value()), limits, clock);

    @Test
    void aDeactivatedAddressIsRefusedWithAClear409AndNothingIsHeld() {
        deactivated.add("ada@example.com");

        var refused = assertThrows(ConflictException.class,
                () -> service.start(cart(Optional.of("Ada@Example.com"), new CartLine("RING-ARIA", 1))));

        assertTrue(refused.getMessage().contains("deactivated") && refused.getMessage().contains("reactivate"),
                refused.getMessage());
        // The customer reads this on the cart page: it names where to go, not an API route.
        assertTrue(refused.getMessage().contains("account page") && !refused.getMessage().contains("POST "),
                refused.getMessage());
        assertEquals(1, products.stock("RING-ARIA"));
        assertTrue(sessions.created.isEmpty());
        assertTrue(reservationStore.reservations.isEmpty());
        service.start(cart(Optional.of("grace@example.com"), new CartLine("RING-ARIA", 1)));
        assertEquals(1, sessions.created.size(), "other addresses check out as before");
    }

    @Test
    void aBrowsersGlobalPrivacyControlGoesWithThePaymentAsAMarketingOptOut() {
        service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)).withSignals(PrivacySignals.of("1", "1")));
        service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)));

        assertEquals(List.of("Sec-GPC", "DNT"), sessions.created.get(0).optOutSignals());
        assertEquals(List.of(), sessions.created.get(1).optOutSignals());
    }

    @Test
    void pricesComeFromTheCatalogAndTheSessionCarriesEverythingStripeNeeds() {
        CreatedSession session = service.start(cart(Optional.of("ada@example.com"),
                new CartLine("RING-ARIA", 1), new CartLine("EAR-COMET", 2)));

        NewCheckoutSession sent = sessions.created.get(0);
        assertEquals(List.of(18500L, 7500L), sent.lines().stream().map(l -> l.unitPrice().amount()).toList());
        assertEquals(List.of(1, 2), sent.lines().stream().map(NewCheckoutSession.Line::quantity).toList());
        assertEquals("Piece RING-ARIA", sent.lines().get(0).name());
        assertEquals(Money.of(1200, "USD"), sent.shipping());
        assertEquals(Optional.of("ada@example.com"), sent.customerEmail());
        assertEquals(clock.instant().plus(Duration.ofMinutes(31)), sent.expiresAt());
        assertEquals("https://shop.example.com/order-confirmed.html?session_id={CHECKOUT_SESSION_ID}", sent.successUrl());
        assertEquals("https://shop.example.com/cart.html", sent.cancelUrl());
        assertEquals("checkout-" + sent.reservationId(), sent.idempotencyKey());
        assertTrue(session.id().startsWith("cs_"));

        Reservation held = reservationStore.find(sent.reservationId()).orElseThrow();
        assertEquals(Optional.of(session.id()), held.sessionId());
        assertEquals(0, products.stock("RING-ARIA"));
        assertEquals(1, products.stock("EAR-COMET"));
    }

    @Test
    void withTaxModeStripeTheSessionAsksForAutomaticTaxWithEachProductsTaxCodeAndAllowsPromotionCodesWhenSet() {
        products.with(new Product("TAXED", "Taxed piece", "", Money.of(5000, "USD"), 2, List.of(), true,
                "txcd_99999999", false));
        var taxed = new CheckoutService(products, new StockReservations(reservationStore, clock), sessions,
                new CheckoutSettings("https://shop.example.com/", "/ok", "/cart.html", "Shipping", 0,
                        CheckoutSettings.DEFAULT_LIFETIME, true, true),
                address -> false, limits, clock);

        taxed.start(cart(Optional.empty(), new CartLine("TAXED", 1), new CartLine("EAR-COMET", 1)));
        service.start(cart(Optional.empty(), new CartLine("TAXED", 1)));

        NewCheckoutSession withOptions = sessions.created.get(0);
        assertTrue(withOptions.automaticTax() && withOptions.allowPromotionCodes());
        assertEquals("txcd_99999999", withOptions.lines().get(0).taxCode());
        assertEquals(null, withOptions.lines().get(1).taxCode(), "no code: Stripe uses the account's default");
        NewCheckoutSession without = sessions.created.get(1);
        assertTrue(!without.automaticTax() && !without.allowPromotionCodes());
        assertEquals(null, without.lines().get(0).taxCode(), "TaxMode=none sends no tax code");
        assertTrue(CheckoutSettings.automaticTax("stripe") && !CheckoutSettings.automaticTax("none"));
        assertThrows(IllegalArgumentException.class, () -> CheckoutSettings.automaticTax("vat"));
    }

    @Test
    void aPriceChangedAfterACheckoutStartedReachesOnlyLaterCheckouts() {
        service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)));
        Product comet = products.find("EAR-COMET").orElseThrow();
        products.save(new Product(comet.sku(), comet.name(), comet.description(), Money.of(9900, "USD"), comet.stock(),
                comet.images(), true), false);
        service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)));

        assertEquals(7500, sessions.created.get(0).lines().get(0).unitPrice().amount(), "the open checkout keeps its price");
        assertEquals(9900, sessions.created.get(1).lines().get(0).unitPrice().amount());
    }

    @Test
    void aSoldOutPieceAnswersConflictNamingItAndHoldsNothing() {
        service.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1)));

        var soldOut = assertThrows(SoldOutException.class,
                () -> service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1), new CartLine("RING-ARIA", 1))));

        assertTrue(soldOut.getMessage().contains("RING-ARIA"), soldOut.getMessage());
        assertEquals(3, products.stock("EAR-COMET"));
        assertEquals(1, sessions.created.size());
        assertEquals(1, reservationStore.reservations.size(), "no reservation for the refused cart");
    }

    @Test
    void unknownInactiveAndMixedCurrencyCartsAreTheCallersError() {
        var unknown = assertThrows(InvalidInputException.class,
                () -> service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1), new CartLine("NOPE", 1))));
        assertEquals("items[1].sku", unknown.field());
        assertThrows(InvalidInputException.class, () -> service.start(cart(Optional.empty(), new CartLine("RETIRED", 1))));
        var mixed = assertThrows(InvalidInputException.class,
                () -> service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1), new CartLine("EUR-PIECE", 1))));
        assertEquals("items[1].sku", mixed.field());
        assertEquals(3, products.stock("EAR-COMET"));
        assertTrue(reservationStore.reservations.isEmpty(), "nothing reserved for a bad cart");
    }

    @Test
    void aFailingPaymentProviderReleasesTheStockAndSaysSo() {
        sessions.failing = true;

        var failure = assertThrows(UpstreamException.class, () -> service.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1))));

        assertTrue(failure.getMessage().contains("payment provider"));
        assertEquals(1, products.stock("RING-ARIA"));
        assertTrue(reservationStore.reservations.values().stream().allMatch(r -> r.status() == Reservation.Status.RELEASED));
    }

    @Test
    void aSessionThatCannotBeNotedIsNeverHandedOutAndHoldsNothing() {
        var failingAttach = Crash.once(ReservationStore.class, reservationStore, "attachSession", Crash.At.INSTEAD_OF);
        var checkout = new CheckoutService(products, new StockReservations(failingAttach, clock), sessions,
                settings, address -> false, limits, clock);

        assertThrows(IllegalStateException.class, () -> checkout.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1))));

        assertEquals(1, products.stock("RING-ARIA"));
        assertTrue(reservationStore.reservations.values().stream().allMatch(r -> r.status() == Reservation.Status.RELEASED));
    }

    @Test
    void aCheckoutKilledBeforeItsPaymentPageHasItsStockGivenBackByTheAbandonedCheckoutsRun() {
        var killedAfterHolding = Crash.once(CheckoutSessions.class, sessions, "create", Crash.At.RIGHT_AFTER);
        var stock = new StockReservations(reservationStore, clock);
        var checkout = new CheckoutService(products, stock, killedAfterHolding, settings, address -> false, limits, clock);

        assertThrows(Crash.Killed.class, () -> checkout.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1))));
        assertEquals(0, products.stock("RING-ARIA"), "the dead checkout still holds the piece");
        assertEquals(new StockReservations.AbandonedRelease(0, 0), stock.releaseAbandoned(Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(6));
        assertEquals(new StockReservations.AbandonedRelease(1, 0), stock.releaseAbandoned(Duration.ofMinutes(5)));

        assertEquals(1, products.stock("RING-ARIA"));
        service.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1)));
        assertEquals(0, products.stock("RING-ARIA"), "the next customer could hold it");
    }

    static Stream<Arguments> checkoutStops() {
        return Stream.of(
                Arguments.of(ReservationStore.class, "hold", Crash.At.INSTEAD_OF),
                Arguments.of(ReservationStore.class, "hold", Crash.At.RIGHT_AFTER),
                Arguments.of(CheckoutSessions.class, "create", Crash.At.INSTEAD_OF),
                Arguments.of(CheckoutSessions.class, "create", Crash.At.RIGHT_AFTER),
                Arguments.of(ReservationStore.class, "attachSession", Crash.At.INSTEAD_OF),
                Arguments.of(ReservationStore.class, "attachSession", Crash.At.RIGHT_AFTER),
                Arguments.of(ReservationStore.class, "release", Crash.At.INSTEAD_OF),
                Arguments.of(ReservationStore.class, "release", Crash.At.RIGHT_AFTER));
    }

    /**
     * A checkout stopped before or right after each of its steps (the hold, Stripe's session, the
     * note of the session, the release after Stripe failed): right after the stop the piece is
     * either in stock or held by one open reservation, never lost; once the abandoned-checkouts
     * run (or, for a session already noted, its expiry) has passed, the customer's retry holds it,
     * and only that reservation does.
     */
    @ParameterizedTest(name = "stopped {2} {0}.{1}")
    @MethodSource("checkoutStops")
    <T> void aCheckoutStoppedAnywhereLeavesAllOrNothingAndTheRetryHoldsThePieceOnce(Class<T> port, String method,
                                                                                   Crash.At at) {
        ReservationStore store = port == ReservationStore.class
                ? Crash.once(ReservationStore.class, reservationStore, method, at) : reservationStore;
        CheckoutSessions stripe = port == CheckoutSessions.class
                ? Crash.once(CheckoutSessions.class, sessions, method, at) : sessions;
        sessions.failing = method.equals("release");
        var stock = new StockReservations(store, clock);
        var stopped = new CheckoutService(products, stock, stripe, settings, address -> false, limits, clock);

        assertThrows(Throwable.class, () -> stopped.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1))));
        long open = reservationStore.reservations.values().stream().filter(r -> r.status() == Reservation.Status.OPEN).count();
        assertEquals(1 - open, products.stock("RING-ARIA"), "in stock, or held by one open reservation");

        sessions.failing = false;
        clock.advance(Duration.ofMinutes(6));
        stock.releaseAbandoned(Duration.ofMinutes(5));
        // A session noted but never handed out expires at Stripe; its expiry event gives the stock back.
        reservationStore.reservations.values().stream().filter(r -> r.sessionId().isPresent())
                .forEach(r -> stock.release(r.id()));
        CreatedSession retried = service.start(cart(Optional.empty(), new CartLine("RING-ARIA", 1)));

        assertEquals(0, products.stock("RING-ARIA"));
        var holding = reservationStore.reservations.values().stream()
                .filter(r -> r.status() == Reservation.Status.OPEN).toList();
        assertEquals(1, holding.size(), holding.toString());
        assertEquals(Optional.of(retried.id()), holding.get(0).sessionId());
    }

    @Test
    void aClientWithTwoOpenCheckoutsIsToldToWaitWithNothingHeldUntilOneEnds() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        String first = service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)).from("203.0.113.7")).id();
        service.start(cart(Optional.empty(), new CartLine("EAR-COMET", 1)).from("203.0.113.7"));

        var refused = assertThrows(TooManyRequestsException.class,
                () -> service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertEquals(CheckoutSettings.DEFAULT_LIFETIME.toSeconds(), refused.retryAfterSeconds());
        assertEquals(5, products.stock("NECK-TIDE"), "nothing held");
        assertEquals(2, sessions.created.size(), "no payment page");
        // Another client is not affected.
        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("198.51.100.20"));
        // The first checkout's session expires: the client may check out again.
        reservationStore.release(sessions.created.get(0).reservationId());
        assertTrue(first.startsWith("cs_"));
        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));
    }

    @Test
    void theSameEmailFromManyAddressesAndOneIpv6NetworkAreEachOneClient() {
        products.with(Samples.product("NECK-TIDE", 9000, 9));
        service.start(cart(Optional.of("hoarder@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.1"));
        service.start(cart(Optional.of("hoarder@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.2"));
        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.of("Hoarder@Example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.3")));

        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2::a"));
        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2:ffff::b"));
        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2:1:2:3:4")));
        assertEquals(9 - 4, products.stock("NECK-TIDE"));
    }

    @Test
    void aPaidCheckoutNoLongerCountsAndTheEleventhCheckoutOfTheHourIsRefused() {
        products.with(Samples.product("NECK-TIDE", 9000, 20));
        for (int i = 0; i < ClientLimits.CHECKOUTS_PER_IP_PER_HOUR; i++) {
            service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("203.0.113.9"));
            assertTrue(reservationStore.sell(sessions.created.get(i).reservationId()), "paid");
        }
        var refused = assertThrows(TooManyRequestsException.class, () ->
                service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("203.0.113.9")));
        assertEquals(50 * 60, refused.retryAfterSeconds(), "until the hour turns (it is 10:10)");
        assertEquals(20 - 10, products.stock("NECK-TIDE"));
    }

    @Test
    void aCartHoldsAtMostThreeOneOfAKindPiecesAndTenPieces() {
        for (String sku : List.of("UNIQUE-A", "UNIQUE-B", "UNIQUE-C", "UNIQUE-D")) {
            products.with(new Product(sku, sku, "", Money.of(9000, "USD"), 1, List.of(), true, null, true));
        }
        products.with(Samples.product("NECK-TIDE", 9000, 20));
        var tooMany = assertThrows(InvalidInputException.class, () -> service.start(cart(Optional.empty(),
                new CartLine("UNIQUE-A", 1), new CartLine("UNIQUE-B", 1), new CartLine("UNIQUE-C", 1),
                new CartLine("UNIQUE-D", 1))));
        assertEquals("items", tooMany.field());
        assertThrows(InvalidInputException.class, () -> service.start(cart(Optional.empty(),
                new CartLine("NECK-TIDE", 10), new CartLine("EAR-COMET", 1))));
        assertEquals(1, products.stock("UNIQUE-D"));
        assertTrue(sessions.created.isEmpty());

        service.start(cart(Optional.empty(), new CartLine("UNIQUE-A", 1), new CartLine("UNIQUE-B", 1),
                new CartLine("UNIQUE-C", 1), new CartLine("NECK-TIDE", 7)).from("203.0.113.50"));
    }

    private static CartRequest cart(Optional<String> email, CartLine... lines) {
        return new CartRequest(List.of(lines), email.map(EmailAddress::new));
    }
}
