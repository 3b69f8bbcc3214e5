package shop.privacy;

import java.time.Clock;
import java.util.Map;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.Mailer;

/**
 * Runs a request whose sender has been verified, from start to end: verified, carried out,
 * answered, closed, the owner told. A failure leaves it FAILED (still open, address kept, the
 * owner told), never half-closed.
 */
public final class RequestRunner {
    private final RequestStore store;
    private final RequestExecutor executor;
    private final Mailer mailer;
    private final PrivacyMails mails;
    private final EmailAddress owner;
    private final Clock clock;

    public RequestRunner(RequestStore store, RequestExecutor executor, Mailer mailer, PrivacyMails mails,
                         EmailAddress owner, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.mailer = mailer;
        this.mails = mails;
        this.owner = owner;
        this.clock = clock;
    }

    /**
     * @param proof how the sender was verified, for the audit trail ("link", "spf=PASS"...)
     * @throws RequestFailedException when carrying it out failed; the request is then FAILED
     */
    public Outcome run(PrivacyRequest received, String proof, String baseUrl) {
        if (!store.transition(received.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, clock.instant())) {
            throw new LinkNotUsableException(LinkNotUsableException.Reason.USED);
        }
        PrivacyRequest request = received.withStatus(RequestStatus.VERIFIED);
        store.append(request.id(), AuditEntry.of(clock.instant(), "verified", proof, Store.PRIVACY_REQUESTS));
        return carryOut(request, baseUrl);
    }

    /**
     * Runs again a request that FAILED, once the caller has claimed it (FAILED → VERIFIED, a
     * conditional write only one caller wins): the same steps as a first run, each an idempotent
     * single-item write, so what the failed run did already is done again harmlessly. The result
     * mail, the owner's notice and the trail's {@code carried_out} report what the request did in
     * all its runs, not what this one found left to do ({@link RequestExecutor#STEP_DONE}).
     *
     * @param claimed the request as read after the claim (VERIFIED, with its address)
     * @throws RequestFailedException when it failed again; it is then FAILED again
     */
    public Outcome runAgain(PrivacyRequest claimed, String baseUrl) {
        if (claimed.status() != RequestStatus.VERIFIED) {
            throw new IllegalStateException("Request " + claimed.id() + " was not claimed for another run");
        }
        return carryOut(claimed, baseUrl);
    }

    /** From VERIFIED: carried out, answered, closed, the owner told; or FAILED, the owner told. */
    private Outcome carryOut(PrivacyRequest request, String baseUrl) {
        Outcome outcome;
        try {
            // Inside the try: a request whose address was forgotten meanwhile fails (and says so), never stays VERIFIED.
            EmailAddress email = request.email()
                    .orElseThrow(() -> new IllegalStateException("Open request " + request.id() + " has no address"));
            outcome = executor.execute(request, email, baseUrl);
            store.append(request.id(), new AuditEntry(clock.instant(), "carried_out",
                    outcome.stores().stream().map(Store::logicalName).toList(), outcome.auditDetail()));
            String messageId = mailer.send(mails.result(email, request.type(), outcome));
            store.append(request.id(), AuditEntry.of(clock.instant(), "result_mailed", "messageId=" + messageId));
        } catch (RuntimeException e) {
            fail(request, e);
            throw new RequestFailedException(request.dueAt(), e);
        }
        store.close(request.id(), RequestStatus.VERIFIED, RequestStatus.COMPLETED, clock.instant());
        store.append(request.id(), AuditEntry.of(clock.instant(), "completed", "address and correction forgotten",
                Store.PRIVACY_REQUESTS));
        Log.info("privacy_request_completed", Map.of("requestId", request.id(), "type", request.type().wireName(),
                "address", request.addressHash()));
        tellOwner(request, RequestStatus.COMPLETED, outcome, null);
        return outcome;
    }

    private void fail(PrivacyRequest request, RuntimeException cause) {
        Log.error("privacy_request_failed", Map.of("requestId", request.id(), "type", request.type().wireName(),
                "exception", cause.getClass().getName()));
        try {
            store.transition(request.id(), RequestStatus.VERIFIED, RequestStatus.FAILED, clock.instant());
            store.append(request.id(), AuditEntry.of(clock.instant(), "failed", "exception=" + cause.getClass().getName()));
        } finally {
            tellOwner(request, RequestStatus.FAILED, null, cause.getClass().getSimpleName());
        }
    }

    /** The owner's mail must not undo a request that is done, nor hide why one failed. */
    private void tellOwner(PrivacyRequest request, RequestStatus status, Outcome outcome, String failure) {
        try {
            mailer.send(mails.ownerNotice(owner, request, status, outcome, failure));
        } catch (RuntimeException e) {
            Log.error("privacy_owner_notice_failed", Map.of("requestId", request.id(),
                    "exception", e.getClass().getName()));
        }
    }
}
