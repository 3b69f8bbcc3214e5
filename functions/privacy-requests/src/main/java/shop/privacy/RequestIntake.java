package shop.privacy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.Mailer;
import shop.core.ratelimit.RateLimiter;
import shop.core.retention.RetentionSchedule;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;

/**
 * Takes a request in and mails its verification link. It does the same work for every address,
 * known or not: nothing here looks at what the shop holds, so neither the answer nor the mail
 * can tell anyone else whether the address is a customer.
 */
public final class RequestIntake {
    static final int MAILS_PER_ADDRESS_PER_DAY = 3;

    private final RequestStore store;
    private final Mailer mailer;
    private final RateLimiter rateLimiter;
    private final AddressHasher hasher;
    private final PrivacyMails mails;
    private final Clock clock;

    public RequestIntake(RequestStore store, Mailer mailer, RateLimiter rateLimiter, AddressHasher hasher,
                         PrivacyMails mails, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.rateLimiter = rateLimiter;
        this.hasher = hasher;
        this.mails = mails;
        this.clock = clock;
    }

    /**
     * Counts one request for the address against its daily limit (shared by every way in: the
     * form, and unsubscribe mail whether it is answered with a link or acted on at once); false,
     * logged, once the address had its requests for the day.
     */
    public boolean withinDailyLimit(EmailAddress email) {
        String addressHash = hasher.hash(email);
        if (!rateLimiter.tryAcquire("privacy:address:" + addressHash, MAILS_PER_ADDRESS_PER_DAY, Duration.ofDays(1))) {
            Log.warn("privacy_request_rate_limited", Map.of("by", "address", "address", addressHash));
            return false;
        }
        return true;
    }

    /**
     * Records the request and mails the link ({@code baseUrl}/privacy/requests/verify?token=…);
     * empty, with nothing written or sent, once the address had its mails for the day.
     */
    public Optional<String> submit(EmailAddress email, RequestType type, Optional<Correction> correction,
                                   String source, String baseUrl) {
        String addressHash = hasher.hash(email);
        if (!withinDailyLimit(email)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        PrivacyRequest request = PrivacyRequest.received(UUID.randomUUID().toString(), type, addressHash, email,
                correction, source, now);
        String token = Tokens.newToken();
        store.create(request, AuditEntry.of(now, "received", "type=" + type.wireName() + " source=" + source,
                        Store.PRIVACY_REQUESTS),
                new VerificationToken(Tokens.hash(token), request.id(),
                        Instant.ofEpochSecond(RetentionSchedule.PRIVACY_VERIFICATION_TOKEN.expiresAt(now)), null));
        String messageId = mailer.send(mails.verification(email, type, baseUrl + "/privacy/requests/verify?token=" + token));
        try {
            store.append(request.id(), AuditEntry.of(clock.instant(), "verification_mailed", "messageId=" + messageId));
        } catch (RuntimeException e) {
            // The mail is out, so the request is done as far as the person is concerned: failing now
            // would make them ask again and get a second mail. The trail misses one line, logged here.
            Log.warn("privacy_audit_not_appended", Map.of("requestId", request.id(), "step", "verification_mailed",
                    "messageId", messageId, "exception", e.getClass().getName()));
        }
        Log.info("privacy_request_received", Map.of("requestId", request.id(), "type", type.wireName(),
                "address", addressHash, "source", source));
        return Optional.of(request.id());
    }

    /**
     * Records a request whose sender is already proven (signed in to the account): no link is
     * mailed; {@link RequestRunner#run} carries it out at once, in the same trail as any other.
     */
    public PrivacyRequest receiveProven(EmailAddress email, RequestType type, Optional<Correction> correction,
                                        String source) {
        Instant now = clock.instant();
        PrivacyRequest request = PrivacyRequest.received(UUID.randomUUID().toString(), type, hasher.hash(email), email,
                correction, source, now);
        store.create(request, AuditEntry.of(now, "received", "type=" + type.wireName() + " source=" + source,
                Store.PRIVACY_REQUESTS), null);
        Log.info("privacy_request_received", Map.of("requestId", request.id(), "type", type.wireName(),
                "address", request.addressHash(), "source", source));
        return request;
    }

    /**
     * Notes an IP the request was made from, before it runs: access and erasure cover that IP's
     * visit-log lines ({@link RequestStore#addSourceIp}); forgotten when the request closes.
     */
    public void noteSourceIp(String requestId, String sourceIp) {
        store.addSourceIp(requestId, sourceIp);
    }
}
