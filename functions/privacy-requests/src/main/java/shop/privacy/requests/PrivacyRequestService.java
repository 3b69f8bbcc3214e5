package shop.privacy.requests;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import shop.core.logging.Log;
import shop.core.ratelimit.RateLimiter;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;
import shop.privacy.DownloadLink;
import shop.privacy.ExportFiles;
import shop.privacy.LinkNotUsableException;
import shop.privacy.Outcome;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestIntake;
import shop.privacy.RequestRunner;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.RequestType;
import shop.privacy.VerificationToken;

/**
 * The privacy request routes: take a request in, show what its link will do (changing
 * nothing), carry it out when the person confirms, and hand out the export.
 */
public final class PrivacyRequestService {
    static final int REQUESTS_PER_IP_PER_HOUR = 20;
    /** The redirect behind the mailed download link: long enough to start the download, no longer. */
    static final Duration DOWNLOAD_URL_LIFETIME = Duration.ofMinutes(5);

    private final RequestIntake intake;
    private final RequestRunner runner;
    private final RequestStore store;
    private final ExportFiles exports;
    private final RateLimiter rateLimiter;
    private final AddressHasher hasher;
    private final Clock clock;

    public PrivacyRequestService(RequestIntake intake, RequestRunner runner, RequestStore store, ExportFiles exports,
                                 RateLimiter rateLimiter, AddressHasher hasher, Clock clock) {
        this.intake = intake;
        this.runner = runner;
        this.store = store;
        this.exports = exports;
        this.rateLimiter = rateLimiter;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** Always answered the same (202); over a limit, nothing is written or sent. */
    public void submit(NewRequest request, String sourceIp, String baseUrl) {
        if (!rateLimiter.tryAcquire("privacy:ip:" + hasher.hashNetwork(sourceIp), REQUESTS_PER_IP_PER_HOUR,
                Duration.ofHours(1))) {
            Log.warn("privacy_request_rate_limited", Map.of("by", "ip"));
            return;
        }
        intake.submit(request.email(), request.type(), request.correction(), "api", baseUrl)
                .filter(id -> coversVisitLog(request.type()))
                .ifPresent(id -> noteSourceIp(id, sourceIp));
    }

    /**
     * The link is mailed by now: failing would make the person ask again and get a second mail.
     * Without this IP the request still covers the one it is confirmed from.
     */
    private void noteSourceIp(String requestId, String sourceIp) {
        try {
            store.addSourceIp(requestId, sourceIp);
        } catch (RuntimeException e) {
            Log.warn("privacy_source_ip_not_noted", Map.of("requestId", requestId, "exception", e.getClass().getName()));
        }
    }

    /** Access and erasure cover the visit-log lines of the IPs the request was made and confirmed from. */
    private static boolean coversVisitLog(RequestType type) {
        return type == RequestType.ACCESS || type == RequestType.DELETE;
    }

    /** The request a link would confirm; reading it changes nothing (mail scanners open links). */
    public PrivacyRequest preview(String token) {
        return pending(token).request();
    }

    /** Confirms and carries out the request of a link; the link is then used up. */
    public Confirmed confirm(String token, String sourceIp, String baseUrl) {
        Pending pending = pending(token);
        if (!store.useToken(pending.token().tokenHash(), clock.instant())) {
            throw new LinkNotUsableException(LinkNotUsableException.Reason.USED);
        }
        if (coversVisitLog(pending.request().type())) {
            store.addSourceIp(pending.request().id(), sourceIp);
        }
        Outcome outcome = runner.run(pending.request(), "mailbox proven by the emailed link", baseUrl);
        return new Confirmed(pending.request(), outcome);
    }

    /** Where the mailed download link leads: a short-lived URL of the export file. */
    public URI download(String token) {
        if (!Tokens.wellFormed(token)) {
            throw new LinkNotUsableException(LinkNotUsableException.Reason.INVALID);
        }
        DownloadLink link = store.findDownload(Tokens.hash(token))
                .orElseThrow(() -> new LinkNotUsableException(LinkNotUsableException.Reason.INVALID));
        Log.info("privacy_export_downloaded", Map.of("requestId", link.requestId()));
        return exports.downloadUrl(link.exportKey(), DOWNLOAD_URL_LIFETIME);
    }

    public record Confirmed(PrivacyRequest request, Outcome outcome) {
    }

    private record Pending(VerificationToken token, PrivacyRequest request) {
    }

    private Pending pending(String token) {
        if (!Tokens.wellFormed(token)) {
            throw new LinkNotUsableException(LinkNotUsableException.Reason.INVALID);
        }
        VerificationToken found = store.findToken(Tokens.hash(token))
                .orElseThrow(() -> new LinkNotUsableException(LinkNotUsableException.Reason.INVALID));
        if (found.used()) {
            throw new LinkNotUsableException(LinkNotUsableException.Reason.USED);
        }
        PrivacyRequest request = store.find(found.requestId())
                .orElseThrow(() -> new LinkNotUsableException(LinkNotUsableException.Reason.INVALID));
        if (request.status() != RequestStatus.RECEIVED) {
            throw new LinkNotUsableException(request.status() == RequestStatus.EXPIRED
                    ? LinkNotUsableException.Reason.INVALID : LinkNotUsableException.Reason.USED);
        }
        return new Pending(found, request);
    }
}
