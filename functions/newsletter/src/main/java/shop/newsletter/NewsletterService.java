package shop.newsletter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import shop.core.errors.NotFoundException;
import shop.core.logging.Log;
import shop.core.mail.Suppression;
import shop.core.ratelimit.RateLimiter;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;

/**
 * Newsletter signup with double opt-in. From outside every signup looks the same (202,
 * "pending", after the same work: the signup is only queued), whatever we hold about the
 * address, so the form cannot be used to find out who subscribes; only the mailbox's owner
 * learns anything, from the mail the signup worker sends.
 */
public final class NewsletterService {
    static final int SIGNUPS_PER_IP_PER_HOUR = 20;

    private final SubscriberStore store;
    private final SignupQueue queue;
    private final RateLimiter rateLimiter;
    private final AddressHasher hasher;
    private final String policyVersion;
    private final Clock clock;

    public NewsletterService(SubscriberStore store, SignupQueue queue, RateLimiter rateLimiter, AddressHasher hasher,
                             String policyVersion, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.rateLimiter = rateLimiter;
        this.hasher = hasher;
        this.policyVersion = policyVersion;
        this.clock = clock;
    }

    /**
     * Takes a signup from the form: counts it against the per-IP limit, then queues it for the
     * signup worker ({@link SignupService}), which does what depends on the address. The answer
     * costs the same for every address (one UpdateItem, one SendMessage), so its timing tells
     * nothing about who subscribes. Links in the mail will be built on {@code baseUrl};
     * {@code sourceIp} only counts requests per IP, the consent proof keeps {@code origin}.
     */
    public void requestSignup(SignupRequest request, RequestOrigin origin, String sourceIp, String baseUrl) {
        if (!rateLimiter.tryAcquire("ip:" + hasher.hashNetwork(sourceIp),
                SIGNUPS_PER_IP_PER_HOUR, Duration.ofHours(1))) {
            Log.warn("newsletter_signup_rate_limited", Map.of("by", "ip"));
            return;
        }
        queue.enqueue(new PendingSignup(request, origin, policyVersion, baseUrl, clock.instant()));
    }

    /**
     * Confirms the signup a link was mailed for (the POST of the confirm page's button); repeating
     * it changes nothing. A suppression (unsubscribe, erasure, complaint...) recorded after the
     * signup was requested is never lifted: that link no longer confirms, and a fresh signup is
     * needed.
     */
    public void confirm(String token, RequestOrigin origin) {
        LinkToken link = liveToken(token, LinkToken.Purpose.CONFIRM);
        Subscriber subscriber = store.find(link.addressHash())
                .orElseThrow(NewsletterService::invalidLink);
        if (subscriber.status() == Subscriber.Status.CONFIRMED) {
            return;
        }
        if (link.used()) {
            throw invalidLink();
        }
        Optional<Suppression> suppression = store.suppression(link.addressHash());
        if (suppression.isPresent() && !suppression.get().liftedBySignupRequestedAt(link.requestedAt())) {
            Log.info("newsletter_confirm_of_an_older_signup_refused",
                    Map.of("address", link.addressHash(), "suppression", suppression.get().reason()));
            throw invalidLink();
        }
        Instant now = clock.instant();
        switch (store.confirm(link.addressHash(), subscriber.consent().confirmed(now, origin), suppression)) {
            case CONFIRMED -> Log.info("newsletter_confirmed", Map.of("address", link.addressHash()));
            case NOT_PENDING -> { } // another click confirmed it a moment ago
            case SUPPRESSED_MEANWHILE -> {
                Log.info("newsletter_confirm_suppressed_meanwhile_refused", Map.of("address", link.addressHash()));
                throw invalidLink();
            }
        }
        store.markUsed(link.tokenHash(), now);
    }

    /** Whether a token could confirm on the confirm page's POST, without using it (the GET shows a button). */
    public boolean confirmLinkValid(String token) {
        try {
            LinkToken link = liveToken(token, LinkToken.Purpose.CONFIRM);
            return !link.used() || store.find(link.addressHash())
                    .filter(s -> s.status() == Subscriber.Status.CONFIRMED).isPresent();
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** One-click unsubscribe (RFC 8058); repeating it answers the same. */
    public void unsubscribe(String token) {
        LinkToken link = liveToken(token, LinkToken.Purpose.UNSUBSCRIBE);
        if (link.used()) {
            return;
        }
        store.unsubscribe(link, clock.instant());
        Log.info("newsletter_unsubscribed", Map.of("address", link.addressHash()));
    }

    /** Whether a token could be used on the unsubscribe page, without using it. */
    public boolean unsubscribeLinkValid(String token) {
        try {
            liveToken(token, LinkToken.Purpose.UNSUBSCRIBE);
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private LinkToken liveToken(String token, LinkToken.Purpose purpose) {
        if (!Tokens.wellFormed(token)) {
            throw invalidLink();
        }
        return store.findToken(Tokens.hash(token))
                .filter(found -> found.purpose() == purpose)
                .orElseThrow(NewsletterService::invalidLink);
    }

    private static NotFoundException invalidLink() {
        return new NotFoundException("This link is not valid: it may have expired or been replaced by a newer one.");
    }
}
