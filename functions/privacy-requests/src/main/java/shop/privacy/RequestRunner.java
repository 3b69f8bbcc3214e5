package shop.privacy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.Mailer;

/**
 * Runs a request whose sender has been verified, from start to end: verified, carried out,
 * answered, closed, the owner told. A failure leaves it FAILED (still open, address kept, the
 * owner told), never half-closed.
 */
public final class RequestRunner {
    /**
     * A run that started this long ago and is still VERIFIED was stopped part-way (the function's
     * timeout is 29 seconds): the owner may try it again, as a failed one, and at its due date it
     * lapses as a failed one does.
     */
    public static final Duration STALLED_AFTER = Duration.ofMinutes(5);
    static final String CARRIED_OUT = "carried_out";
    static final String RESULT_MAILED = "result_mailed";

    private final RequestStore store;
    private final RequestExecutor executor;
    private final Mailer mailer;
    private final PrivacyMails mails;
    private final EmailAddress owner;
    private final RequestSteps steps;
    private final Clock clock;

    public RequestRunner(RequestStore store, RequestExecutor executor, Mailer mailer, PrivacyMails mails,
                         EmailAddress owner, Clock clock) {
        this.store = store;
        this.executor = executor;
        this.mailer = mailer;
        this.mails = mails;
        this.owner = owner;
        this.clock = clock;
        this.steps = new RequestSteps(store, clock);
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
     * conditional write only one caller wins), from where its last run stopped: the steps the
     * trail shows done are skipped, a result mail the trail shows sent is not sent again. The
     * result mail, the owner's notice and the trail's {@code carried_out} report what the request
     * did in all its runs ({@link RequestSteps}).
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

    /**
     * From VERIFIED: carried out, answered, closed, the owner told; or FAILED, the owner told. A
     * run after a failed or stopped one goes on from where that one stopped: the executor skips
     * the steps the trail shows done, and a result mail the trail shows sent is not sent again
     * (the trail's {@code carried_out} then says what the request did).
     */
    private Outcome carryOut(PrivacyRequest request, String baseUrl) {
        Outcome outcome;
        try {
            // Inside the try: a request whose address was forgotten meanwhile fails (and says so), never stays VERIFIED.
            EmailAddress email = request.email()
                    .orElseThrow(() -> new IllegalStateException("Open request " + request.id() + " has no address"));
            List<AuditEntry> trail = store.audit(request.id());
            Optional<Outcome> answered = answered(trail);
            if (answered.isPresent()) {
                outcome = answered.get();
            } else {
                Outcome carriedOut = executor.execute(request, email, trail, baseUrl);
                outcome = carriedOut;
                store.append(request.id(), new AuditEntry(clock.instant(), CARRIED_OUT,
                        outcome.stores().stream().map(Store::logicalName).toList(), outcome.auditDetail()));
                String messageId = steps.attempt(request, "result_mail",
                        () -> mailer.send(mails.result(email, request.type(), carriedOut)));
                store.append(request.id(), AuditEntry.of(clock.instant(), RESULT_MAILED, "messageId=" + messageId));
            }
            steps.attempt(request, "close", () -> store.close(request.id(), RequestStatus.VERIFIED,
                    RequestStatus.COMPLETED, clock.instant()), Store.PRIVACY_REQUESTS);
        } catch (RuntimeException e) {
            fail(request, e);
            throw new RequestFailedException(request.dueAt(), e);
        }
        try {
            store.append(request.id(), AuditEntry.of(clock.instant(), "completed", "address and correction forgotten",
                    Store.PRIVACY_REQUESTS));
        } catch (RuntimeException e) {
            // Closed and answered, the request is done: the trail misses its last line, logged here.
            Log.warn("privacy_audit_not_appended", Map.of("requestId", request.id(), "step", "completed",
                    "exception", e.getClass().getName()));
        }
        Log.info("privacy_request_completed", Map.of("requestId", request.id(), "type", request.type().wireName(),
                "address", request.addressHash()));
        answerEarlier(request);
        tellOwner(request, RequestStatus.COMPLETED, outcome, null);
        return outcome;
    }

    /**
     * Closes the address's earlier requests that failed and that this one supersedes
     * ({@link PrivacyRequest#supersededBy}: the same asked again, as an account's button pressed
     * again after a failure makes a new request, or the opposite, as a reactivation after a failed
     * opt-out): this one is the person's latest wish and answered them, and "try again" on one of
     * them would mail the person a second answer, or undo what they asked last. Not done (the
     * store failing here) is logged; they stay failed, for the owner, until their due date.
     */
    private void answerEarlier(PrivacyRequest request) {
        try {
            for (PrivacyRequest earlier : store.byAddress(request.addressHash())) {
                if (earlier.status() == RequestStatus.FAILED && earlier.supersededBy(request)
                        && store.close(earlier.id(), RequestStatus.FAILED, RequestStatus.COMPLETED, clock.instant())) {
                    store.append(earlier.id(), AuditEntry.of(clock.instant(), "answered_by", "request " + request.id()
                            + " (" + request.type().wireName() + "), made later about the same, was carried out;"
                            + " address and correction forgotten", Store.PRIVACY_REQUESTS));
                }
            }
        } catch (RuntimeException e) {
            Log.warn("privacy_earlier_requests_not_closed", Map.of("requestId", request.id(),
                    "exception", e.getClass().getName()));
        }
    }

    /**
     * What an earlier run mailed the person: its {@code carried_out} line, when a
     * {@code result_mailed} line follows it; without the download link, which only the mail has.
     */
    private static Optional<Outcome> answered(List<AuditEntry> trail) {
        AuditEntry carriedOut = null;
        for (AuditEntry entry : trail) {
            if (entry.event().equals(CARRIED_OUT)) {
                carriedOut = entry;
            } else if (entry.event().equals(RESULT_MAILED) && carriedOut != null) {
                List<Store> stores = carriedOut.stores().stream().map(Store::ofLogicalName).toList();
                return Optional.of(new Outcome(stores, Outcome.parseDetail(carriedOut.detail()), Optional.empty()));
            }
        }
        return Optional.empty();
    }

    private void fail(PrivacyRequest request, RuntimeException cause) {
        Log.error("privacy_request_failed", Map.of("requestId", request.id(), "type", request.type().wireName(),
                "exception", cause.getClass().getName()));
        Optional<String> step = stoppedAt(request);
        String failure = cause.getClass().getSimpleName() + step.map(name -> " at its step \"" + name + "\"").orElse("");
        try {
            store.transition(request.id(), RequestStatus.VERIFIED, RequestStatus.FAILED, clock.instant());
            store.append(request.id(), AuditEntry.of(clock.instant(), "failed",
                    step.map(name -> "step=" + name + " ").orElse("") + "exception=" + cause.getClass().getName()));
        } finally {
            tellOwner(request, RequestStatus.FAILED, null, failure);
        }
    }

    /** The step the run stopped at: the trail's last line, when that is a step's failure. */
    private Optional<String> stoppedAt(PrivacyRequest request) {
        try {
            List<AuditEntry> trail = store.audit(request.id());
            return trail.isEmpty() || !trail.get(trail.size() - 1).event().equals(RequestSteps.FAILED)
                    ? Optional.empty() : RequestSteps.stepOf(trail.get(trail.size() - 1));
        } catch (RuntimeException unreadable) {
            // The store is down: the failure is recorded and told without its step.
            return Optional.empty();
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
