package shop.checkout;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.commerce.catalog.ProductStore;
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
        Reservation reservation;
        try {
            reservation = reservations.reserve(cart.lines().stream()
                    .map(line -> new ReservedLine(line.sku(), line.quantity())).toList(),
                    limits.holdLimits(sourceIp, cart.email()));
        } catch (TooManyHoldsException e) {
            // The oldest of the client's open checkouts ends with its session at the latest.
            throw new TooManyRequestsException("You already have as many checkouts open as we hold pieces for at"
                    + " once. Pay for or leave one of them (an unpaid one ends by itself within "
                    + settings.sessionLifetime().toMinutes() + " minutes), then try again.", settings.sessionLifetime());
        }
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
