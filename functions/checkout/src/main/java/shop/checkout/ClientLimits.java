package shop.checkout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import shop.commerce.reservations.HoldLimit;
import shop.core.email.EmailAddress;
import shop.core.errors.TooManyRequestsException;
import shop.core.ratelimit.RateLimiter;
import shop.core.security.AddressHasher;

/**
 * What one client may hold, so that nobody can keep the shop off sale by checking out and never
 * paying: at most {@link #OPEN_CHECKOUTS} open checkouts holding at most {@link #PIECES} pieces,
 * per source IP and per email address, and at most {@link #CHECKOUTS_PER_IP_PER_HOUR} checkouts
 * started per IP an hour. Past an IP's limit a checkout is refused (429); past an email
 * address's, the address's oldest open checkouts are ended to make way ({@link HoldLimit#oldestMakeWay()},
 * {@link CheckoutService}). Clients are named by keyed hashes, never stored in the clear; an IPv6
 * client by its /64, which one household or phone holds whole.
 */
public final class ClientLimits {
    static final int OPEN_CHECKOUTS = 2;
    static final int PIECES = 10;
    static final int CHECKOUTS_PER_IP_PER_HOUR = 10;
    /** A cart's one-of-a-kind pieces: more than a person buys at once, few enough that a cart cannot empty the shop. */
    static final int ONE_OF_A_KIND_PER_CART = 3;

    private final RateLimiter limiter;
    private final AddressHasher hasher;

    public ClientLimits(RateLimiter limiter, AddressHasher hasher) {
        this.limiter = limiter;
        this.hasher = hasher;
    }

    /** The limits a checkout from {@code sourceIp} (when known) with {@code email} (when given) counts against. */
    List<HoldLimit> holdLimits(Optional<String> sourceIp, Optional<EmailAddress> email) {
        List<HoldLimit> limits = new ArrayList<>();
        sourceIp.ifPresent(ip -> limits.add(new HoldLimit("ip:" + ipHash(ip), OPEN_CHECKOUTS, PIECES)));
        // Nobody proves the address: past its limit the address's oldest checkouts make way, so
        // whoever names it cannot lock its owner out, and it still never holds more than the limit.
        email.ifPresent(address -> limits.add(new HoldLimit("email:" + hasher.hash(address), OPEN_CHECKOUTS, PIECES,
                true)));
        return limits;
    }

    /** Counts one checkout started from {@code sourceIp} this hour; past the limit, a 429 until the hour turns. */
    void countCheckout(Optional<String> sourceIp, java.time.Instant now) {
        if (sourceIp.isEmpty() || limiter.tryAcquire("checkout:ip:" + ipHash(sourceIp.get()), CHECKOUTS_PER_IP_PER_HOUR,
                Duration.ofHours(1))) {
            return;
        }
        long hourEnd = (now.getEpochSecond() / 3600 + 1) * 3600;
        throw new TooManyRequestsException("Too many checkouts were started from your network this hour; please try"
                + " again later.", Duration.ofSeconds(hourEnd - now.getEpochSecond()));
    }

    private String ipHash(String ip) {
        return hasher.hashNetwork(ip);
    }
}
