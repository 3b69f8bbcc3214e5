package shop.newsletter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import shop.core.logging.Log;
import shop.core.mail.Mailer;
import shop.core.ratelimit.RateLimiter;
import shop.core.retention.RetentionSchedule;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;

/**
 * The signup worker's part of a double opt-in, for a signup the form queued: nothing for an
 * address already confirmed; otherwise (within the per-address limit) the pending subscriber,
 * its two link tokens and the confirmation mail. It runs off the form's answer, so how long it
 * takes is never seen by whoever typed the address.
 */
public final class SignupService {
    static final int MAILS_PER_ADDRESS_PER_DAY = 3;

    private final SubscriberStore store;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final AddressHasher hasher;
    private final NewsletterMails mails;
    private final Clock clock;

    public SignupService(SubscriberStore store, Mailer mailer, RateLimiter rateLimiter, AddressHasher hasher,
                         NewsletterMails mails, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.rateLimiter = rateLimiter;
        this.hasher = hasher;
        this.mails = mails;
        this.clock = clock;
    }

    /**
     * Starts (or restarts) the double opt-in of a queued signup. Handling the same message twice
     * (SQS delivers at least once) mails at most once more, within the per-address limit.
     */
    public void complete(PendingSignup signup) {
        var request = signup.request();
        String addressHash = hasher.hash(request.email());
        var existing = store.find(addressHash);
        if (existing.isPresent() && existing.get().status() == Subscriber.Status.CONFIRMED) {
            Log.info("newsletter_signup_already_confirmed", Map.of("address", addressHash));
            return;
        }
        if (!rateLimiter.tryAcquire("address:" + addressHash, MAILS_PER_ADDRESS_PER_DAY, Duration.ofDays(1))) {
            Log.warn("newsletter_signup_rate_limited", Map.of("by", "address", "address", addressHash));
            return;
        }
        Instant now = clock.instant();
        String confirmToken = Tokens.newToken();
        String unsubscribeToken = Tokens.newToken();
        // The consent was given when the form was sent, not when the queue delivered it.
        var pending = new Subscriber(addressHash, request.email(), Subscriber.Status.PENDING,
                ConsentProof.given(signup.requestedAt(), signup.policyVersion(), request.source(), signup.origin()));
        boolean saved = store.savePending(pending,
                Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_PENDING.expiresAt(now)),
                new LinkToken(Tokens.hash(confirmToken), LinkToken.Purpose.CONFIRM, addressHash,
                        Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_CONFIRM_TOKEN.expiresAt(now)), null,
                        signup.requestedAt()),
                new LinkToken(Tokens.hash(unsubscribeToken), LinkToken.Purpose.UNSUBSCRIBE, addressHash,
                        Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_UNSUBSCRIBE_TOKEN.expiresAt(now)), null,
                        signup.requestedAt()));
        if (!saved) {
            // Confirmed between our read and our write: nothing to send.
            return;
        }
        String messageId = mailer.send(mails.confirmation(request.email(), signup.baseUrl(), confirmToken, unsubscribeToken));
        Log.info("newsletter_confirmation_sent", Map.of("address", addressHash, "messageId", messageId));
    }
}
