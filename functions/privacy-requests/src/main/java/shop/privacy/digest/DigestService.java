package shop.privacy.digest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.DayClaims;
import shop.core.mail.Mailer;
import shop.core.mail.OnceADayMail;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyMails;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestRetention;
import shop.privacy.RequestRunner;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.Store;

/**
 * The daily round: requests whose link was never used expire (and forget their address), those
 * still failed or stopped at their due date lapse (and forget it too: RequestRetention), and
 * the owner gets one mail listing what is still open with the days left, and what lapsed. No
 * mail when nothing is open or lapsed: a daily "nothing to do" would teach the owner to ignore
 * these mails. The mail goes out once per UTC day ({@link OnceADayMail}): the day is claimed before
 * it is sent and marked sent after, so a schedule that fires twice, or Lambda's retry of a run that
 * mailed, mails nothing more; expiring and lapsing are conditional closes, so a second run changes
 * nothing that the first changed.
 */
public final class DigestService {
    /**
     * Longer than the function may run (its Timeout, 15 s): a claim this old has no live holder. Shorter than the
     * time to Lambda's second retry of a failed scheduled run (about 3 minutes), so that retry takes over the claim
     * of a run stopped between claim and send.
     */
    static final Duration CLAIM_STALE_AFTER = Duration.ofSeconds(90);

    private final RequestStore store;
    private final OnceADayMail daily;
    private final PrivacyMails mails;
    private final EmailAddress owner;
    private final Clock clock;

    public DigestService(RequestStore store, DayClaims claims, Mailer mailer, PrivacyMails mails, EmailAddress owner,
                         Clock clock) {
        this.store = store;
        this.daily = new OnceADayMail(claims, mailer, CLAIM_STALE_AFTER, "privacy_digest", clock);
        this.mails = mails;
        this.owner = owner;
        this.clock = clock;
    }

    /** What one run did. */
    public enum Outcome {
        /** The digest went out. */
        MAILED,
        /** Nothing open or lapsed: no mail. */
        NOTHING_OPEN,
        /** Today's digest went out before (the schedule fired again, or a retry). */
        MAILED_BEFORE
    }

    /** What a run did, and how many open requests it found (those the digest lists) and lapsed. */
    public record Result(Outcome outcome, int open, int lapsed) {
    }

    /**
     * Expires and lapses what is due, then mails the owner the digest once today if anything is open or lapsed.
     * Fails (for Lambda's retry and {@code PrivacyDigestErrorAlarm}) when the mail could not be sent, or when
     * another run holds today's claim and has not marked it sent: the retry finds it sent, or stale.
     */
    public Result run() {
        Instant now = clock.instant();
        List<PrivacyRequest> open = new ArrayList<>();
        List<PrivacyRequest> lapsed = new ArrayList<>();
        int expired = 0;
        for (PrivacyRequest request : store.open()) {
            boolean linkExpired = request.linkExpired(now);
            if (linkExpired && store.close(request.id(), RequestStatus.RECEIVED, RequestStatus.EXPIRED, now)) {
                store.append(request.id(), AuditEntry.of(now, "expired",
                        "the verification link was not used within 1 hour; address forgotten", Store.PRIVACY_REQUESTS));
                expired++;
            } else if (RequestRetention.lapses(request, now)
                    && store.lapse(request.id(), request.status(), now, now.minus(RequestRunner.STALLED_AFTER))) {
                store.append(request.id(), AuditEntry.of(now, "lapsed", "not completed by its due date; address,"
                        + " correction and source IPs forgotten (retention), the trail kept", Store.PRIVACY_REQUESTS));
                Log.warn("privacy_request_lapsed", Map.of("requestId", request.id(), "type", request.type().wireName()));
                lapsed.add(request);
            } else if (!linkExpired) {
                open.add(request);
            }
        }
        Log.info("privacy_digest", Map.of("open", open.size(), "expired", expired, "lapsed", lapsed.size()));
        if (open.isEmpty() && lapsed.isEmpty()) {
            return new Result(Outcome.NOTHING_OPEN, 0, 0);
        }
        Outcome outcome = daily.send(now, () -> mails.digest(owner, open, lapsed, now)) == OnceADayMail.Sent.MAILED
                ? Outcome.MAILED : Outcome.MAILED_BEFORE;
        return new Result(outcome, open.size(), lapsed.size());
    }
}
