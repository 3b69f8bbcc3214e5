package shop.privacy.inbound;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.security.AddressHasher;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyRequest;
import shop.privacy.RawMail;
import shop.privacy.RequestIntake;
import shop.privacy.RequestRunner;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.RequestType;
import shop.privacy.Store;

/**
 * "Email us with the subject Unsubscribe", as the privacy policy promises. A sender whose SPF or
 * DKIM pass aligns with the From domain is unsubscribed at once (the same effect as the
 * newsletter's one-click link); a mail that passed only for another domain could be forging the
 * From line, so its From address gets a verification link for an opt-out instead; a mail that
 * failed authentication gets no answer at all (answering forged mail is backscatter). Every
 * path that acts or answers counts against the address's daily limit. The stored raw message
 * is deleted either way: what the audit trail needs is in the event.
 */
public final class InboundMailService {
    public enum Result { UNSUBSCRIBED, VERIFICATION_SENT, RATE_LIMITED, NOT_AUTHENTICATED, IGNORED }

    private final RequestStore store;
    private final RequestIntake intake;
    private final RequestRunner runner;
    private final RawMail rawMail;
    private final AddressHasher hasher;
    private final Set<EmailAddress> ownAddresses;
    private final Clock clock;

    /** @param ownAddresses the shop's own addresses, which are never answered (mail loops) */
    public InboundMailService(RequestStore store, RequestIntake intake, RequestRunner runner, RawMail rawMail,
                              AddressHasher hasher, Set<EmailAddress> ownAddresses, Clock clock) {
        this.store = store;
        this.intake = intake;
        this.runner = runner;
        this.rawMail = rawMail;
        this.hasher = hasher;
        this.ownAddresses = Set.copyOf(ownAddresses);
        this.clock = clock;
    }

    /** {@code apiBaseUrl} is where links in our answers point. */
    public Result handle(InboundMail mail, String apiBaseUrl) {
        try {
            return act(mail, apiBaseUrl);
        } finally {
            rawMail.delete(mail.messageId());
        }
    }

    private Result act(InboundMail mail, String apiBaseUrl) {
        Optional<EmailAddress> sender = mail.fromAddress();
        if (!UnsubscribeSubject.matches(mail.subject()) || mail.shouldBeIgnored() || sender.isEmpty()
                || ownAddresses.contains(sender.get())) {
            Log.info("inbound_mail_ignored", Map.of("messageId", mail.messageId()));
            return Result.IGNORED;
        }
        String verdicts = "spf=" + mail.spf() + " dkim=" + mail.dkim() + " dmarc=" + mail.dmarc();
        if (mail.failedAuthentication()) {
            Log.info("inbound_unsubscribe_not_authenticated", Map.of("messageId", mail.messageId(), "verdicts", verdicts));
            return Result.NOT_AUTHENTICATED;
        }
        if (!mail.authenticated()) {
            Log.info("inbound_unsubscribe_unverified", Map.of("messageId", mail.messageId(), "verdicts", verdicts));
            return intake.submit(sender.get(), RequestType.OPT_OUT, Optional.empty(), "mail", apiBaseUrl)
                    .map(id -> Result.VERIFICATION_SENT).orElse(Result.RATE_LIMITED);
        }
        String proof = "sender authenticated by SES, aligned with the From domain: " + verdicts;
        // One request per mail: Lambda runs the event again after a failure, and that run finds it.
        String id = UUID.nameUUIDFromBytes(("inbound-mail:" + mail.messageId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        Optional<PrivacyRequest> earlier = store.find(id);
        if (earlier.isPresent()) {
            return again(earlier.get(), proof, apiBaseUrl);
        }
        if (!intake.withinDailyLimit(sender.get())) {
            return Result.RATE_LIMITED;
        }
        Instant now = clock.instant();
        PrivacyRequest request = PrivacyRequest.received(id, RequestType.UNSUBSCRIBE,
                hasher.hash(sender.get()), sender.get(), Optional.empty(), "mail", now);
        store.create(request, AuditEntry.of(now, "received", "mail messageId=" + mail.messageId() + " " + verdicts
                        + "; the stored message is deleted once handled",
                Store.INBOUND_MAIL, Store.PRIVACY_REQUESTS), null);
        runner.run(request, proof, apiBaseUrl);
        return Result.UNSUBSCRIBED;
    }

    /**
     * The mail's request, met again when Lambda runs the event again: one that failed goes on
     * from the step it stopped at (its result mail and the owner's notice once), one stopped
     * before its run starts it; one completed, or running, is left as it is (a run stopped
     * part-way is the owner's to try again, as any other).
     */
    private Result again(PrivacyRequest request, String proof, String apiBaseUrl) {
        Log.info("inbound_unsubscribe_seen_again", Map.of("requestId", request.id(),
                "status", request.status().name()));
        if (request.status() == RequestStatus.RECEIVED) {
            runner.run(request, proof, apiBaseUrl);
        } else if (request.status() == RequestStatus.FAILED
                && store.transition(request.id(), RequestStatus.FAILED, RequestStatus.VERIFIED, clock.instant())) {
            store.append(request.id(), AuditEntry.of(clock.instant(), "retried",
                    "Lambda ran the mail's event again", Store.PRIVACY_REQUESTS));
            runner.runAgain(request.withStatus(RequestStatus.VERIFIED), apiBaseUrl);
        }
        return Result.UNSUBSCRIBED;
    }
}
