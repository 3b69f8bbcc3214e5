package shop.checkout;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.commerce.catalog.ProductStore;
import shop.commerce.reservations.HoldLimit;
import shop.commerce.reservations.Reservation;
import shop.commerce.reservations.ReservedLine;
import shop.commerce.reservations.SoldOutException;
import shop.commerce.reservations.StockReservations;
import shop.commerce.reservations.TooManyHoldsException;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.TooManyRequestsException;
import shop.core.errors.UpstreamException;
import shop.core.logging.Log;
import shop.core.privacy.DeactivatedAddresses;

/**
 * Starts a checkout: prices the cart from the catalog, holds the stock, and opens a hosted
 * payment page for it. Either the customer gets a payment page with the stock held, or nothing
 * is held.
 */
public final class CheckoutService {
    /**
     * Holds tried after ending older checkouts of the address: one round is what a customer who
     * starts again needs; more are for checkouts of that address racing this one.
     */
    static final int SUPERSEDE_ROUNDS = 3;

    private final ProductStore products;
    private final StockReservations reservations;
    private final CheckoutSessions sessions;
    private final CheckoutSettings settings;
    private final DeactivatedAddresses deactivated;
    private final ClientLimits limits;
    private final Clock clock;

    public CheckoutService(ProductStore products, StockReservations reservations, CheckoutSessions sessions,
                           CheckoutSettings settings, DeactivatedAddresses deactivated, ClientLimits limits,
                           Clock clock) {
        this.products = products;
        this.reservations = reservations;
        this.sessions = sessions;
        this.settings = settings;
        this.deactivated = deactivated;
        this.limits = limits;
        this.clock = clock;
    }

    public CreatedSession start(CartRequest cart) {
        // Before anything is held: the privacy policy promises an opt-out that prevents future purchases.
        if (cart.email().isPresent() && deactivated.deactivated(cart.email().get())) {
            throw new ConflictException("This email address was deactivated at its owner's request, so it cannot be"
                    + " used to order. Its owner can reactivate it on the account page (sign in with a code mailed"
                    + " to the address), or with a privacy request.");
        }
        List<NewCheckoutSession.Line> lines = price(cart);
        String currency = lines.get(0).unitPrice().currency();
        Optional<String> sourceIp = Optional.ofNullable(cart.sourceIp());
        limits.countCheckout(sourceIp, clock.instant());
        Reservation reservation = hold(cart.lines().stream()
                .map(line -> new ReservedLine(line.sku(), line.quantity())).toList(),
                limits.holdLimits(sourceIp, cart.email()));
        Instant expiresAt = clock.instant().plus(settings.sessionLifetime());
        CreatedSession session;
        try {
            session = sessions.create(new NewCheckoutSession(reservation.id(), "checkout-" + reservation.id(), lines,
                    cart.email().map(EmailAddress::value), expiresAt, settings.successUrl(), settings.cancelUrl(),
                    settings.shippingName(), Money.of(settings.shippingAmount(), currency), cart.signals().names(),
                    settings.automaticTax(), settings.allowPromotionCodes()));
        } catch (RuntimeException e) {
            reservations.release(reservation.id());
            if (e instanceof UpstreamException) {
                throw e;
            }
            throw new UpstreamException("The payment provider could not start a checkout; nothing was reserved."
                    + " Please try again in a moment.", e);
        }
        try {
            // What Stripe was asked for, so that the webhook can check the paid session against it.
            long subtotal = lines.stream().mapToLong(line -> line.unitPrice().amount() * line.quantity()).sum();
            reservations.attachSession(reservation.id(), session.id(), new Reservation.Priced(subtotal,
                    settings.shippingAmount(), currency.toLowerCase(java.util.Locale.ROOT)));
        } catch (RuntimeException e) {
            // The page is handed out only once the reservation names its session: an open reservation
            // without one is then never paid, and the abandoned-checkouts run may give its stock back.
            // The unused session expires at Stripe, and its expiry event releases nothing more.
            Log.warn("checkout_session_not_attached", Map.of("reservationId", reservation.id(), "sessionId", session.id(),
                    "exception", e.getClass().getName()));
            releaseOrLeaveForLater(reservation.id());
            throw e;
        }
        Log.info("checkout_started", Map.of("reservationId", reservation.id(), "sessionId", session.id(),
                "lines", lines.size()));
        return session;
    }

    /**
     * Holds the cart. Past a limit whose oldest checkouts make way (the email address's), those
     * are ended first, oldest first and only as many as the new cart needs: each one's payment
     * page is expired at Stripe, and only once Stripe says it can no longer be paid is its stock
     * given back, by the same release as its expiry event's (which then gives back nothing more).
     * One completed first (being paid) is kept, and so is one whose payment page is not noted
     * yet (its checkout is still being made): the new checkout is then refused as before. The
     * hold is tried again after each round, against the lists as they are then, so two
     * checkouts of one address racing each other each end a checkout at most once and never
     * hold more than the limit between them.
     */
    private Reservation hold(List<ReservedLine> lines, List<HoldLimit> holdLimits) {
        int pieces = lines.stream().mapToInt(ReservedLine::quantity).sum();
        Set<String> kept = new HashSet<>();
        for (int round = 1; ; round++) {
            try {
                return reservations.reserve(lines, holdLimits);
            } catch (TooManyHoldsException e) {
                Optional<HoldLimit> full = e.full().filter(HoldLimit::oldestMakeWay);
                if (full.isEmpty() || round > SUPERSEDE_ROUNDS) {
                    throw tooManyCheckouts();
                }
                for (Reservation oldest : toMakeWay(full.get(), e.openReservations(), pieces, kept)) {
                    String sessionId = oldest.sessionId().orElseThrow();
                    if (sessions.expire(sessionId, "supersede-" + oldest.id()) == CheckoutSessions.Ending.COMPLETE) {
                        // Paid (or being paid) before it could be ended: its stock is the buyer's now.
                        kept.add(oldest.id());
                        Log.info("checkout_not_superseded_complete", Map.of("reservationId", oldest.id(),
                                "sessionId", sessionId));
                        break;
                    }
                    reservations.release(oldest.id());
                    Log.info("checkout_superseded", Map.of("reservationId", oldest.id(), "sessionId", sessionId));
                }
            }
        }
    }

    /**
     * The oldest of {@code open} that must end for a new checkout of {@code pieces} to fit in
     * {@code limit}; a 429 when one of them cannot end (no payment page noted yet, or kept).
     */
    private List<Reservation> toMakeWay(HoldLimit limit, List<String> open, int pieces, Set<String> kept) {
        List<Reservation> oldestFirst = open.stream().map(reservations::find).flatMap(Optional::stream)
                .filter(found -> found.status() == Reservation.Status.OPEN)
                .sorted(Comparator.comparing(Reservation::createdAt).thenComparing(Reservation::id))
                .toList();
        int checkouts = oldestFirst.size();
        int held = oldestFirst.stream().mapToInt(CheckoutService::pieces).sum();
        List<Reservation> ending = new ArrayList<>();
        for (Reservation oldest : oldestFirst) {
            if (checkouts < limit.checkouts() && held + pieces <= limit.pieces()) {
                break;
            }
            if (oldest.sessionId().isEmpty() || kept.contains(oldest.id())) {
                throw tooManyCheckouts();
            }
            ending.add(oldest);
            checkouts--;
            held -= pieces(oldest);
        }
        return ending;
    }

    private static int pieces(Reservation reservation) {
        return reservation.lines().stream().mapToInt(ReservedLine::quantity).sum();
    }

    private TooManyRequestsException tooManyCheckouts() {
        // The oldest of the client's open checkouts ends with its session at the latest.
        return new TooManyRequestsException("You already have as many checkouts open as we hold pieces for at"
                + " once. Pay for or leave one of them (an unpaid one ends by itself within "
                + settings.sessionLifetime().toMinutes() + " minutes), then try again.", settings.sessionLifetime());
    }

    private void releaseOrLeaveForLater(String reservationId) {
        try {
            reservations.release(reservationId);
        } catch (RuntimeException e) {
            Log.warn("stock_left_for_abandoned_checkouts", Map.of("reservationId", reservationId,
                    "exception", e.getClass().getName()));
        }
    }

    /**
     * The cart's lines with catalog prices at this moment: the session is priced from them, so a
     * later price change reaches only later checkouts. Unknown or inactive (archived) SKUs and
     * mixed currencies are the caller's error.
     */
    private List<NewCheckoutSession.Line> price(CartRequest cart) {
        if (cart.lines().stream().mapToInt(CartLine::quantity).sum() > ClientLimits.PIECES) {
            throw new InvalidInputException("items", "A cart holds at most " + ClientLimits.PIECES + " pieces.");
        }
        int oneOfAKind = 0;
        List<NewCheckoutSession.Line> lines = new ArrayList<>();
        for (int i = 0; i < cart.lines().size(); i++) {
            CartLine line = cart.lines().get(i);
            String field = "items[" + i + "].sku";
            Product product = products.find(line.sku()).filter(Product::active)
                    .orElseThrow(() -> new InvalidInputException(field, "SKU " + line.sku() + " is not in the catalog."));
            if (product.oneOfAKind() && (oneOfAKind += line.quantity()) > ClientLimits.ONE_OF_A_KIND_PER_CART) {
                throw new InvalidInputException("items", "A cart holds at most " + ClientLimits.ONE_OF_A_KIND_PER_CART
                        + " one-of-a-kind pieces.");
            }
            if (product.stock() < line.quantity()) {
                throw new SoldOutException(line.sku());
            }
            if (!lines.isEmpty() && !lines.get(0).unitPrice().currency().equals(product.price().currency())) {
                throw new InvalidInputException(field, "A cart is paid in one currency; " + line.sku() + " is priced in "
                        + product.price().currency() + ".");
            }
            lines.add(new NewCheckoutSession.Line(product.sku(), product.name(), product.description(),
                    product.images(), product.price(), line.quantity(),
                    settings.automaticTax() ? product.taxCode() : null));
        }
        return lines;
    }
}
