package shop.privacy.digest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.Mailer;
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
 * these mails.
 */
public final class DigestService {
    private final RequestStore store;
    private final Mailer mailer;
    private final PrivacyMails mails;
    private final EmailAddress owner;
    private final Clock clock;

    public DigestService(RequestStore store, Mailer mailer, PrivacyMails mails, EmailAddress owner, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.mails = mails;
        this.owner = owner;
        this.clock = clock;
    }

    /** Returns how many open requests the digest listed. */
    public int run() {
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
        if (!open.isEmpty() || !lapsed.isEmpty()) {
            mailer.send(mails.digest(owner, open, lapsed, now));
        }
        return open.size();
    }
}
