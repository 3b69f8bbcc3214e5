package shop.privacy.admin;

import static shop.privacy.RequestRunner.STALLED_AFTER;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;
import shop.privacy.AuditEntry;
import shop.privacy.FailedRequests;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestFailedException;
import shop.privacy.RequestRunner;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.Store;

/**
 * The back office's privacy requests, for owners only (an open request holds the person's
 * address): the open ones with the days left and their trails, and "try again" on one that
 * failed, run through the same steps as the emailed link's run.
 */
public final class PrivacyAdminService {
    /** The back office's trail names a request so. */
    public static final String SUBJECT_PREFIX = "PRIVACY_REQUEST#";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final RequestStore store;
    private final FailedRequests failed;
    private final RequestRunner runner;
    private final Clock clock;

    public PrivacyAdminService(RequestStore store, FailedRequests failed, RequestRunner runner, Clock clock) {
        this.store = store;
        this.failed = failed;
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * The open requests, the one due soonest first. A request still waiting for a link that no
     * longer works is left out, as the daily digest leaves it out: nobody can confirm it, and
     * the daily round expires it.
     */
    public Map<String, Object> open(AdminCaller caller) {
        caller.requireOwner();
        Instant now = clock.instant();
        List<Map<String, Object>> requests = new ArrayList<>();
        store.openWithTrails().stream()
                .filter(tracked -> tracked.request().status().open() && !tracked.request().linkExpired(now))
                .sorted(Comparator.comparing((RequestStore.Tracked t) -> t.request().dueAt())
                        .thenComparing(t -> t.request().receivedAt()))
                .forEach(tracked -> requests.add(view(tracked.request(), tracked.trail(), now)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("asOf", now.toString());
        body.put("requests", requests);
        return body;
    }

    /**
     * Runs again a request that FAILED, or whose run stopped part-way (VERIFIED, its run started
     * {@link RequestRunner#STALLED_AFTER} ago or more). The claim (→ VERIFIED, with a line on the
     * request's trail and one on the back office's) is one conditional write: of two presses at once, one
     * runs it and the other gets 409, as does a press while a run is under way. The run is the
     * emailed link's: it ends COMPLETED, with the person's result mail and the owner's notice, or
     * FAILED again with the reason on its trail. Either way the answer is the request as it then
     * stands.
     */
    public Map<String, Object> retry(AdminCaller caller, String requestId, String baseUrl) {
        caller.requireOwner();
        PrivacyRequest request = existing(requestId);
        if (request.status() != RequestStatus.FAILED && request.status() != RequestStatus.VERIFIED) {
            throw notRetryable(request.status());
        }
        Instant now = clock.instant();
        String was = name(request.status());
        AuditEntry entry = AuditEntry.of(now, "retried", "an owner of the back office tried it again"
                + (request.status() == RequestStatus.VERIFIED ? " after its run stopped part-way" : "")
                + " (sub=" + caller.subject() + ")", Store.PRIVACY_REQUESTS);
        AdminAction line = AdminAction.by(caller, SUBJECT_PREFIX + requestId, "privacy_request.retried", now,
                Json.write(Map.of("status", was)), Json.write(Map.of("status", "verified")),
                // As long as the request's own trail: together they show how it was answered.
                RetentionSchedule.PRIVACY_REQUEST.expiresAt(request.receivedAt()));
        if (!failed.claimForRetry(requestId, now, now.minus(STALLED_AFTER), entry, line)) {
            throw notRetryable(existing(requestId).status());
        }
        Log.info("privacy_request_retried", Map.of("requestId", requestId, "type", request.type().wireName(),
                "was", was, "by", caller.subject()));
        // Read again after the claim: what the run uses is what is stored now.
        PrivacyRequest claimed = existing(requestId);
        try {
            runner.runAgain(claimed, baseUrl);
        } catch (RequestFailedException again) {
            // FAILED again: its trail says why and the owner was mailed, as after a first run.
        }
        PrivacyRequest after = existing(requestId);
        return view(after, store.audit(requestId), clock.instant());
    }

    private PrivacyRequest existing(String requestId) {
        if (requestId == null || !ID.matcher(requestId).matches()) {
            throw new NotFoundException("No privacy request has this id.");
        }
        return store.find(requestId).orElseThrow(() -> new NotFoundException("No privacy request has this id."));
    }

    private static ConflictException notRetryable(RequestStatus status) {
        return new ConflictException(status == RequestStatus.VERIFIED
                ? "This request is being carried out now. Should its run have stopped part-way, it can be tried"
                        + " again " + STALLED_AFTER.toMinutes() + " minutes after it started."
                : "Only a request that failed, or whose run stopped part-way, can be tried again; this one is "
                        + name(status) + ".");
    }

    /** VERIFIED with nothing on its trail for {@link RequestRunner#STALLED_AFTER}: its run was stopped part-way. */
    private static boolean stalled(PrivacyRequest request, List<AuditEntry> trail, Instant now) {
        Instant last = trail.stream().map(AuditEntry::at).max(Comparator.naturalOrder()).orElse(request.receivedAt());
        return request.status() == RequestStatus.VERIFIED && !last.isAfter(now.minus(STALLED_AFTER));
    }

    private static Map<String, Object> view(PrivacyRequest request, List<AuditEntry> trail, Instant now) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", request.id());
        item.put("type", request.type().wireName());
        item.put("status", name(request.status()));
        item.put("source", request.source());
        item.put("receivedAt", request.receivedAt().toString());
        item.put("dueAt", request.dueAt().toString());
        // What "Try again" may be pressed on. A run starts before it writes its first trail line, so
        // one shown as stalled (quiet for STALLED_AFTER) is one the claim's condition takes.
        boolean retryable = request.status() == RequestStatus.FAILED || stalled(request, trail, now);
        if (request.status().open()) {
            item.put("daysLeft", request.daysLeft(now));
            item.put("overdue", !now.isBefore(request.dueAt()));
            item.put("retryable", retryable);
        }
        // Only a request to try again shows whose it is, and for a correction what it asks: it is the one
        // the owner may have to finish by hand or write to the person about before the due date (the
        // owner's failure mail says so). A request waiting for its link or running needs nothing from the
        // owner; a closed one has no address nor correction. Answered with no-store, and never logged.
        if (retryable) {
            request.email().ifPresent(email -> item.put("email", email.value()));
            // What the person asked to change: to finish a correction by hand, the owner needs it as much as the address.
            request.correction().ifPresent(correction -> item.put("correction", correction.fields()));
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (AuditEntry entry : trail) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", entry.at().toString());
            line.put("event", entry.event());
            line.put("stores", entry.stores());
            line.put("detail", entry.detail());
            lines.add(line);
        }
        item.put("trail", lines);
        return item;
    }

    private static String name(RequestStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
