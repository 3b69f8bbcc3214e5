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
import shop.local.stack.MutableClock;
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
    void oneIpv6NetworkIsOneClientAndOneEmailFromManyAddressesNeverHoldsMoreThanTwoCheckouts() {
        products.with(Samples.product("NECK-TIDE", 9000, 9));
        for (int i = 1; i <= 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            service.start(cart(Optional.of(i % 2 == 0 ? "Hoarder@Example.com" : "hoarder@example.com"),
                    new CartLine("NECK-TIDE", 1)).from("203.0.113." + i));
            assertEquals(Math.min(i, 2), open().size(), "the address's open checkouts after checkout " + i);
        }
        assertEquals(9 - 2, products.stock("NECK-TIDE"), "the two superseded checkouts gave their pieces back");
        assertEquals(sessionsOf(2, 3), open().stream().map(r -> r.sessionId().orElseThrow()).sorted().toList(),
                "the two newest are the ones open");

        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2::a"));
        service.start(cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2:ffff::b"));
        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.empty(), new CartLine("NECK-TIDE", 1)).from("2001:db8:1:2:1:2:3:4")));
        assertEquals(9 - 4, products.stock("NECK-TIDE"));
    }

    @Test
    void anAddressSomeoneElseNamedInTwoCheckoutsStillChecksOutItsOwnerEndingTheOldestAtStripeFirst() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        CreatedSession first = service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1))
                .from("198.51.100.66"));
        clock.advance(Duration.ofMinutes(1));
        CreatedSession second = service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 2))
                .from("198.51.100.66"));

        CreatedSession own = service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1))
                .from("203.0.113.7"));

        String firstReservation = sessions.created.get(0).reservationId();
        assertEquals(List.of(first.id() + " supersede-" + firstReservation), sessions.expireCalls,
                "the oldest, with an idempotency key of its own");
        assertEquals(Reservation.Status.RELEASED, reservationStore.find(firstReservation).orElseThrow().status());
        assertEquals(List.of(second.id(), own.id()).stream().sorted().toList(),
                open().stream().map(r -> r.sessionId().orElseThrow()).sorted().toList());
        assertEquals(5 - 2 - 1, products.stock("NECK-TIDE"), "the oldest's piece went back and the new one is held");
        // Its expiry event, when Stripe sends it, gives back nothing more.
        assertTrue(!reservationStore.release(firstReservation));
        assertEquals(2, products.stock("NECK-TIDE"));
    }

    @Test
    void aNewCartPastTheAddresssPiecesEndsAsManyOfItsOldestCheckoutsAsItNeeds() {
        products.with(Samples.product("NECK-TIDE", 9000, 20));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 3)).from("198.51.100.1"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 6)).from("198.51.100.2"));
        clock.advance(Duration.ofMinutes(1));

        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 8)).from("198.51.100.3"));

        assertEquals(2, sessions.expireCalls.size(), "3 + 6 + 8 is past 10 and 6 + 8 still is: both end");
        assertEquals(List.of(8), open().stream().map(r -> r.lines().get(0).quantity()).toList());
        assertEquals(20 - 8, products.stock("NECK-TIDE"));

        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 2)).from("198.51.100.4"));
        assertEquals(2, sessions.expireCalls.size(), "8 + 2 fits: nothing ends");
        assertEquals(20 - 10, products.stock("NECK-TIDE"));
    }

    @Test
    void theIpsLimitIsNeverMadeWayFor() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));

        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));
        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.of("grace@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertTrue(sessions.expireCalls.isEmpty(), "the anti-hoarding limit refuses; it ends nothing");
        assertEquals(2, open().size());
        assertEquals(3, products.stock("NECK-TIDE"));
    }

    @Test
    void anOldestCheckoutPaidMeanwhileIsNotReleasedAndTheNewCheckoutIsToldToWait() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.1"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.2"));
        String paid = sessions.created.get(0).reservationId();
        sessions.completed.add(RecordingCheckoutSessions.sessionOf(sessions.created.get(0)));

        var refused = assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertEquals(CheckoutSettings.DEFAULT_LIFETIME.toSeconds(), refused.retryAfterSeconds());
        assertEquals(1, sessions.expireCalls.size(), "the paid one only; the next one is not ended for nothing");
        assertEquals(Reservation.Status.OPEN, reservationStore.find(paid).orElseThrow().status(), "being sold");
        assertEquals(2, open().size());
        assertEquals(3, products.stock("NECK-TIDE"), "nothing given back, nothing held");
        assertEquals(2, sessions.created.size(), "no payment page");

        // The payment's webhook sells it: it leaves the address's list, and the next checkout fits.
        assertTrue(reservationStore.sell(paid));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));
        assertEquals(1, sessions.expireCalls.size());
        assertEquals(Reservation.Status.SOLD, reservationStore.find(paid).orElseThrow().status());
        assertEquals(2, products.stock("NECK-TIDE"));
    }

    @Test
    void anOldestCheckoutWhosePaymentPageIsNotNotedYetIsNotEnded() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        var beingMade = new CheckoutService(products, new StockReservations(reservationStore, clock),
                Crash.once(CheckoutSessions.class, sessions, "create", Crash.At.RIGHT_AFTER), settings,
                address -> false, limits, clock);
        assertThrows(Crash.Killed.class, () -> beingMade.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.1")));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.2"));

        assertThrows(TooManyRequestsException.class, () -> service.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertTrue(sessions.expireCalls.isEmpty());
        assertEquals(2, open().size());
        assertEquals(3, products.stock("NECK-TIDE"));
    }

    @Test
    void stripeDownWhileEndingTheOldestIs502WithNothingHeldAndNothingReleased() {
        products.with(Samples.product("NECK-TIDE", 9000, 5));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.1"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.2"));
        sessions.failing = true;

        assertThrows(UpstreamException.class, () -> service.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertEquals(2, open().size(), "nothing released");
        assertEquals(2, reservationStore.reservations.size(), "nothing held");
        assertEquals(3, products.stock("NECK-TIDE"));
        sessions.failing = false;
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));
        assertEquals(3, products.stock("NECK-TIDE"), "once Stripe is back: one ended, one held");
    }

    static Stream<Arguments> supersedeStops() {
        return Stream.of(
                Arguments.of(CheckoutSessions.class, "expire", Crash.At.INSTEAD_OF),
                Arguments.of(CheckoutSessions.class, "expire", Crash.At.RIGHT_AFTER),
                Arguments.of(ReservationStore.class, "release", Crash.At.INSTEAD_OF),
                Arguments.of(ReservationStore.class, "release", Crash.At.RIGHT_AFTER));
    }

    /**
     * A checkout stopped while it ends the address's oldest checkout: the oldest is open at
     * Stripe and holds its piece, or expired at Stripe and holds it until its expiry event gives
     * it back, or released; never released while its page can still be paid, never a piece lost,
     * and nothing new held. The customer's retry then holds the piece.
     */
    @ParameterizedTest(name = "stopped {2} {0}.{1}")
    @MethodSource("supersedeStops")
    <T> void aCheckoutStoppedWhileEndingAnOlderOneLeavesEveryPieceAccountedFor(Class<T> port, String method,
                                                                              Crash.At at) {
        products.with(Samples.product("NECK-TIDE", 9000, 3));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.1"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.2"));
        ReservationStore store = port == ReservationStore.class
                ? Crash.once(ReservationStore.class, reservationStore, method, at) : reservationStore;
        CheckoutSessions stripe = port == CheckoutSessions.class
                ? Crash.once(CheckoutSessions.class, sessions, method, at) : sessions;
        var stopped = new CheckoutService(products, new StockReservations(store, clock), stripe, settings,
                address -> false, limits, clock);

        assertThrows(Throwable.class, () -> stopped.start(
                cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7")));

        assertEquals(2, reservationStore.reservations.size(), "nothing new held");
        for (Reservation r : reservationStore.reservations.values()) {
            String session = r.sessionId().orElseThrow();
            assertTrue(r.status() == Reservation.Status.OPEN || sessions.expired.contains(session),
                    "released only once its page can no longer be paid: " + r);
        }
        assertEquals(3 - open().size(), products.stock("NECK-TIDE"), "in stock or held by an open reservation");

        // Stripe's expiry event for a page that was ended gives its piece back; then the retry holds one.
        reservationStore.reservations.values().stream()
                .filter(r -> sessions.expired.contains(r.sessionId().orElseThrow()))
                .forEach(r -> reservationStore.release(r.id()));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));
        assertEquals(2, open().size());
        assertEquals(1, products.stock("NECK-TIDE"));
    }

    /**
     * Two checkouts of one address at once, interleaved at the worst moment: the second runs
     * whole while the first is ending the oldest at Stripe. Both end the same oldest (with one
     * idempotency key), it is given back once, and the first then finds the list full again and
     * ends the next: two open checkouts, every piece once.
     */
    @Test
    void twoCheckoutsOfOneAddressRacingEachEndAnOlderOneAndTogetherHoldNoMoreThanTheLimit() {
        products.with(Samples.product("NECK-TIDE", 9000, 4));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.1"));
        clock.advance(Duration.ofMinutes(1));
        service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("198.51.100.2"));
        clock.advance(Duration.ofMinutes(1));
        var racing = new java.util.concurrent.atomic.AtomicBoolean(true);
        CheckoutSessions interleaved = new CheckoutSessions() {
            @Override
            public CreatedSession create(NewCheckoutSession session) {
                return sessions.create(session);
            }

            @Override
            public Ending expire(String sessionId, String idempotencyKey) {
                Ending ending = sessions.expire(sessionId, idempotencyKey);
                if (racing.compareAndSet(true, false)) {
                    service.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.8"));
                }
                return ending;
            }
        };
        var first = new CheckoutService(products, new StockReservations(reservationStore, clock), interleaved,
                settings, address -> false, limits, clock);

        first.start(cart(Optional.of("ada@example.com"), new CartLine("NECK-TIDE", 1)).from("203.0.113.7"));

        String oldest = sessions.created.get(0).reservationId();
        String next = sessions.created.get(1).reservationId();
        assertEquals(List.of("cs_test_" + oldest + " supersede-" + oldest, "cs_test_" + oldest + " supersede-" + oldest,
                "cs_test_" + next + " supersede-" + next), sessions.expireCalls);
        assertEquals(2, open().size());
        assertEquals(List.of(Reservation.Status.RELEASED, Reservation.Status.RELEASED), List.of(
                reservationStore.find(oldest).orElseThrow().status(), reservationStore.find(next).orElseThrow().status()));
        assertEquals(4 - 2, products.stock("NECK-TIDE"), "each piece held or given back once");
    }

    private List<Reservation> open() {
        return reservationStore.reservations.values().stream()
                .filter(r -> r.status() == Reservation.Status.OPEN).toList();
    }

    private List<String> sessionsOf(int... indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(i -> RecordingCheckoutSessions.sessionOf(sessions.created.get(i)))
                .sorted().toList();
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
