package shop.privacy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.BASE;
import static shop.privacy.testing.PrivacyFixture.OWNER;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.retention.RetentionSchedule;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestFailedException;
import shop.privacy.RequestStatus;
import shop.privacy.requests.NewRequest;
import shop.privacy.requests.PrivacyRequestService;
import shop.privacy.testing.InMemoryFailedRequests;
import shop.privacy.testing.PrivacyFixture;
import shop.privacy.testing.RecordingMailer;

class PrivacyAdminServiceTest {
    private static final AdminCaller OWNER_CALLER = new AdminCaller("owner-sub", "owner-name", Set.of("owners"));
    private static final AdminCaller STAFF_CALLER = new AdminCaller("staff-sub", "staff-name", Set.of("staff"));

    private PrivacyFixture f;
    private PrivacyRequestService requests;
    private InMemoryFailedRequests failed;
    private PrivacyAdminService admin;

    @BeforeEach
    void setUp() {
        f = new PrivacyFixture();
        requests = new PrivacyRequestService(f.intake, f.runner, f.requests, f.exports, f.limiter, f.hasher, f.clock);
        failed = new InMemoryFailedRequests(f.requests);
        admin = new PrivacyAdminService(f.requests, failed, f.runner, f.clock);
    }

    @Test
    void staffSeeNoRequestsAndCannotTryOneAgain() {
        String id = failedRequest("ada@example.com", "opt_out");

        assertThrows(ForbiddenException.class, () -> admin.open(STAFF_CALLER));
        assertThrows(ForbiddenException.class, () -> admin.retry(STAFF_CALLER, id, BASE));
        assertEquals(RequestStatus.FAILED, f.requests.find(id).orElseThrow().status());
        assertTrue(failed.lines.isEmpty());
    }

    @Test
    void theOpenRequestsSoonestDueFirstWithDaysLeftTheirTrailsAndTheAddressOfAFailedOneOnly() {
        String first = failedRequest("ada@example.com", "opt_out");
        f.clock.advance(Duration.ofDays(10));
        submit("grace@example.com", "access"); // waiting for its link
        f.clock.advance(Duration.ofDays(21)); // the first is overdue by a day, the link of the second no longer works
        String waiting = submit("mary@example.com", "delete");
        requests.submit(request("done@example.com", "reactivate"), "203.0.113.9", BASE);
        requests.confirm(RecordingMailer.tokenFrom(f.mailer.last("done@example.com").text(), "/privacy/requests/verify"),
                "203.0.113.9", BASE);

        Map<String, Object> body = admin.open(OWNER_CALLER);

        List<Map<String, Object>> listed = list(body);
        assertEquals(List.of(first, waiting), listed.stream().map(r -> r.get("id")).toList(),
                "oldest due first; the expired link and the completed request are not listed");
        Map<String, Object> overdue = listed.get(0);
        assertEquals("failed", overdue.get("status"));
        assertEquals("opt_out", overdue.get("type"));
        assertEquals(-1L, overdue.get("daysLeft"));
        assertEquals(true, overdue.get("overdue"));
        assertEquals("ada@example.com", overdue.get("email"), "the owner may have to write to the person");
        assertEquals(List.of("received", "verification_mailed", "verified", "step_done", "step_done", "carried_out",
                "step_failed", "failed"), events(overdue), "where it stopped: the result mail");
        Map<String, Object> fresh = listed.get(1);
        assertEquals("received", fresh.get("status"));
        assertEquals(30L, fresh.get("daysLeft"));
        assertEquals(false, fresh.get("overdue"));
        assertFalse(fresh.containsKey("email"), "nothing for the owner to do yet: no address shown");
        assertFalse(Json.write(fresh).contains("mary@example.com"));
        assertEquals(f.clock.instant().toString(), body.get("asOf"));
    }

    @Test
    void tryingAFailedRequestAgainCompletesItWithTheMailsOfAFirstRunAndBothTrailsSaySo() {
        String id = failedRequest("ada@example.com", "opt_out");
        int personMails = f.mailer.to("ada@example.com").size();
        f.clock.advance(Duration.ofDays(2));

        Map<String, Object> answer = admin.retry(OWNER_CALLER, id, BASE);

        assertEquals("completed", answer.get("status"));
        assertFalse(answer.containsKey("email"), "a completed request forgets the address");
        assertFalse(answer.containsKey("daysLeft"));
        PrivacyRequest stored = f.requests.find(id).orElseThrow();
        assertEquals(RequestStatus.COMPLETED, stored.status());
        assertTrue(stored.email().isEmpty());
        assertTrue(f.subscribers.deactivated.contains(f.hash("ada@example.com")), "carried out");
        assertEquals(personMails + 1, f.mailer.to("ada@example.com").size());
        assertEquals("Your privacy request to Test Jewelry is done", f.mailer.last("ada@example.com").subject());
        assertTrue(f.mailer.last(OWNER).subject().contains("opt_out request completed"), f.mailer.last(OWNER).subject());
        assertEquals(List.of("received", "verification_mailed", "verified", "step_done", "step_done", "carried_out",
                "step_failed", "failed", "retried", "carried_out", "result_mailed", "completed"), events(answer),
                "the retry went on from the result mail: the steps were done");
        AuditEntry retried = f.requests.audit(id).get(8);
        assertEquals("retried", retried.event());
        assertTrue(retried.detail().contains("sub=owner-sub"), retried.detail());
        assertFalse(retried.detail().contains("owner-name"), "the trail holds ids, not names");

        AdminAction line = failed.lines.get(0);
        assertEquals(1, failed.lines.size());
        assertEquals("PRIVACY_REQUEST#" + id, line.subject());
        assertEquals("privacy_request.retried", line.action());
        assertEquals("owner-sub", line.actor());
        assertEquals("owner-name", line.actorName());
        assertEquals(f.clock.instant(), line.at());
        assertEquals("{\"status\":\"failed\"}", line.before());
        assertEquals(RetentionSchedule.PRIVACY_REQUEST.expiresAt(stored.receivedAt()), line.expiresAt());
    }

    @Test
    void aRequestThatFailsAgainIsFailedWithTheReasonOnItsTrailAndCanBeTriedOnceMore() {
        String id = failedRequest("ada@example.com", "opt_out");
        f.mailer.failing = true;

        Map<String, Object> answer = admin.retry(OWNER_CALLER, id, BASE);

        f.mailer.failing = false;
        assertEquals("failed", answer.get("status"));
        assertEquals("ada@example.com", answer.get("email"));
        List<String> events = events(answer);
        assertEquals(List.of("retried", "carried_out", "step_failed", "failed"), events.subList(8, events.size()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> trail = (List<Map<String, Object>>) answer.get("trail");
        assertEquals("step=result_mail exception=java.lang.IllegalStateException", trail.get(events.size() - 2).get("detail"));
        assertEquals("step=result_mail exception=java.lang.IllegalStateException", trail.get(events.size() - 1).get("detail"));
        assertEquals(RequestStatus.FAILED, f.requests.find(id).orElseThrow().status());

        assertEquals("completed", admin.retry(OWNER_CALLER, id, BASE).get("status"));
        assertEquals(2, failed.lines.size());
    }

    @Test
    void onlyAFailedRequestCanBeTriedAgainAndAnUnknownIdIsNotFound() {
        String id = failedRequest("ada@example.com", "opt_out");
        admin.retry(OWNER_CALLER, id, BASE);
        int mails = f.mailer.sent.size();

        ConflictException again = assertThrows(ConflictException.class, () -> admin.retry(OWNER_CALLER, id, BASE));
        assertTrue(again.getMessage().contains("this one is completed"), again.getMessage());
        String waiting = submit("grace@example.com", "access");
        assertThrows(ConflictException.class, () -> admin.retry(OWNER_CALLER, waiting, BASE));
        assertThrows(NotFoundException.class, () -> admin.retry(OWNER_CALLER, "00000000-0000-0000-0000-000000000000", BASE));
        for (String bad : new String[] {"", "not-an-id", id.toUpperCase(), id + "x", "../" + id}) {
            assertThrows(NotFoundException.class, () -> admin.retry(OWNER_CALLER, bad, BASE), bad);
        }
        assertEquals(mails + 1, f.mailer.sent.size(), "only the verification mail of the new request");
        assertEquals(1, failed.lines.size());
        assertEquals(RequestStatus.RECEIVED, f.requests.find(waiting).orElseThrow().status());
    }

    /**
     * A failed correction is the owner's to finish by hand before the due date: the list shows what
     * the person asked to change, beside the address. One still waiting for its link does not, nor
     * one completed (it no longer holds either).
     */
    @Test
    void aFailedCorrectionShowsTheOwnerTheChangesAskedForAndNoOtherRequestDoes() {
        String correction = """
                {"name":"Ada King","shippingAddress":{"line1":"3 St James's Square","city":"London","postalCode":"SW1Y 4JU","country":"GB"}}""";
        requests.submit(NewRequest.of("ada@example.com", "correct", parse(correction)), "203.0.113.9", BASE);
        String id = failedRequest("ada@example.com");
        String waiting = submitted(NewRequest.of("grace@example.com", "correct", Json.object().put("name", "Grace H")),
                "grace@example.com");

        Map<String, Object> failedOne = only(id);

        assertEquals(true, failedOne.get("retryable"));
        assertEquals(Map.of("name", "Ada King", "shippingAddress", Map.of("line1", "3 St James's Square",
                "city", "London", "postalCode", "SW1Y 4JU", "country", "GB")), failedOne.get("correction"));
        Map<String, Object> stillWaiting = only(waiting);
        assertFalse(stillWaiting.containsKey("correction"), "nothing for the owner to do yet");
        assertFalse(Json.write(stillWaiting).contains("Grace H"));
        assertFalse(Json.write(admin.open(OWNER_CALLER)).contains("Grace H"));

        Map<String, Object> done = admin.retry(OWNER_CALLER, id, BASE);
        assertEquals("completed", done.get("status"));
        assertFalse(done.containsKey("correction"), "a completed request forgets the correction");
        assertFalse(Json.write(done).contains("Ada King"));
    }

    /**
     * A run stopped part-way (the function killed after "verified") leaves the request VERIFIED:
     * while it may still be running it is not tried again; five minutes after it started it is
     * shown as stopped, with the address, and "Try again" finishes it as a failed one would be.
     */
    @Test
    void aRunStoppedPartWayCanBeTriedAgainFiveMinutesAfterItStartedAndNotBefore() {
        String id = submittedId("ada@example.com", "opt_out");
        f.requests.transition(id, RequestStatus.RECEIVED, RequestStatus.VERIFIED, f.clock.instant());
        f.requests.append(id, AuditEntry.of(f.clock.instant(), "verified", "link"));
        f.clock.advance(shop.privacy.RequestRunner.STALLED_AFTER.minusSeconds(1));

        Map<String, Object> running = only(id);
        assertEquals("verified", running.get("status"));
        assertEquals(false, running.get("retryable"));
        assertFalse(running.containsKey("email"), "nothing for the owner to do while it may still be running");
        ConflictException early = assertThrows(ConflictException.class, () -> admin.retry(OWNER_CALLER, id, BASE));
        assertTrue(early.getMessage().contains("being carried out now"), early.getMessage());
        assertTrue(failed.lines.isEmpty());

        f.clock.advance(Duration.ofSeconds(1));
        Map<String, Object> stalled = only(id);
        assertEquals(true, stalled.get("retryable"));
        assertEquals("ada@example.com", stalled.get("email"));
        Map<String, Object> answer = admin.retry(OWNER_CALLER, id, BASE);

        assertEquals("completed", answer.get("status"));
        assertTrue(f.subscribers.deactivated.contains(f.hash("ada@example.com")), "carried out");
        assertEquals("Your privacy request to Test Jewelry is done", f.mailer.last("ada@example.com").subject());
        assertEquals("{\"status\":\"verified\"}", failed.lines.get(0).before());
        AuditEntry retried = f.requests.audit(id).stream().filter(e -> e.event().equals("retried")).findFirst().orElseThrow();
        assertTrue(retried.detail().contains("stopped part-way"), retried.detail());
        assertThrows(ConflictException.class, () -> admin.retry(OWNER_CALLER, id, BASE));
        assertEquals(1, failed.lines.size());
    }

    /** Two presses at once: both read FAILED, one wins the claim; the other runs nothing. */
    @Test
    void aPressThatLosesTheClaimToAnotherIsAConflictAndRunsNothing() {
        String id = failedRequest("ada@example.com", "opt_out");
        AdminCaller other = new AdminCaller("other-owner", "other", Set.of("owners"));
        PrivacyAdminService racing = new PrivacyAdminService(f.requests, (requestId, at, stalledBefore, entry, line) -> {
            admin.retry(other, requestId, BASE); // the other press is claimed and run first
            return failed.claimForRetry(requestId, at, stalledBefore, entry, line);
        }, f.runner, f.clock);
        int mails = f.mailer.to("ada@example.com").size();

        assertThrows(ConflictException.class, () -> racing.retry(OWNER_CALLER, id, BASE));

        assertEquals(mails + 1, f.mailer.to("ada@example.com").size(), "one outcome mail");
        assertEquals(List.of("other-owner"), failed.lines.stream().map(AdminAction::actor).toList());
        assertEquals(1, f.requests.audit(id).stream().filter(e -> e.event().equals("retried")).count());
    }

    private String failedRequest(String email, String type) {
        return failedRequest(email(email, type));
    }

    /** Confirms the newest request to {@code email} while mail fails: it is then FAILED. */
    private String failedRequest(String email) {
        String token = RecordingMailer.tokenFrom(f.mailer.last(email).text(), "/privacy/requests/verify");
        f.mailer.failing = true;
        assertThrows(RequestFailedException.class, () -> requests.confirm(token, "203.0.113.9", BASE));
        f.mailer.failing = false;
        return f.requests.findToken(shop.core.security.Tokens.hash(token)).orElseThrow().requestId();
    }

    private String email(String email, String type) {
        requests.submit(request(email, type), "203.0.113.9", BASE);
        return email;
    }

    private String submitted(NewRequest request, String email) {
        requests.submit(request, "203.0.113.9", BASE);
        String token = RecordingMailer.tokenFrom(f.mailer.last(email).text(), "/privacy/requests/verify");
        return f.requests.findToken(shop.core.security.Tokens.hash(token)).orElseThrow().requestId();
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private String submittedId(String email, String type) {
        String token = RecordingMailer.tokenFrom(f.mailer.last(email(email, type)).text(), "/privacy/requests/verify");
        return f.requests.findToken(shop.core.security.Tokens.hash(token)).orElseThrow().requestId();
    }

    private Map<String, Object> only(String id) {
        return list(admin.open(OWNER_CALLER)).stream().filter(r -> r.get("id").equals(id)).findFirst().orElseThrow();
    }

    private String submit(String email, String type) {
        requests.submit(request(email, type), "203.0.113.9", BASE);
        String token = RecordingMailer.tokenFrom(f.mailer.last(email).text(), "/privacy/requests/verify");
        return f.requests.findToken(shop.core.security.Tokens.hash(token)).orElseThrow().requestId();
    }

    private static NewRequest request(String email, String type) {
        return NewRequest.of(email, type, null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("requests");
    }

    @SuppressWarnings("unchecked")
    private static List<String> events(Map<String, Object> request) {
        return ((List<Map<String, Object>>) request.get("trail")).stream().map(e -> (String) e.get("event")).toList();
    }
}
