package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.MutableClock;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestStore;
import shop.privacy.RequestType;
import shop.privacy.Store;

/** The claim of "try again" and the back office's open list, against the local DynamoDB. */
@ExtendWith(LocalAwsExtension.class)
class DynamoFailedRequestsTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static DynamoRequestStore store;
    private static DynamoAuditTrail trail;
    private static DynamoFailedRequests failed;
    private static LocalAws aws;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        String table = aws.physicalName("PrivacyRequestsTable");
        store = new DynamoRequestStore(aws.dynamo(), table, CLOCK);
        trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), CLOCK);
        failed = new DynamoFailedRequests(aws.dynamo(), table, trail);
    }

    @Test
    void aFailedRequestIsClaimedOnceWithALineOnEachTrail() {
        PrivacyRequest request = failedRequest();
        Instant now = CLOCK.instant();

        Instant stalledBefore = now.minus(Duration.ofMinutes(5));
        assertTrue(failed.claimForRetry(request.id(), now, stalledBefore, entry(now), line(request, now, "first")));
        assertFalse(failed.claimForRetry(request.id(), now, stalledBefore, entry(now), line(request, now, "second")),
                "the second press finds it VERIFIED, its run just started");

        assertEquals(RequestStatus.VERIFIED, store.find(request.id()).orElseThrow().status());
        assertEquals("ada@example.com", store.find(request.id()).orElseThrow().email().orElseThrow().value());
        assertEquals(List.of("received", "failed", "retried"), store.audit(request.id()).stream()
                .map(AuditEntry::event).toList());
        List<AdminAction> lines = trail.of("PRIVACY_REQUEST#" + request.id());
        assertEquals(List.of("first"), lines.stream().map(AdminAction::actor).toList(), "the refused claim wrote no line");
        assertEquals("privacy_request.retried", lines.get(0).action());
    }

    /** A run stopped part-way: claimed once its start (verifiedAt, then retriedAt) is old enough, and then once. */
    @Test
    void aVerifiedRequestIsClaimedOnlyOnceItsRunStartedBeforeTheStalledTime() {
        PrivacyRequest request = received();
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        Instant started = CLOCK.instant();
        store.transition(request.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, started);
        Instant now = started.plus(Duration.ofMinutes(5));

        assertFalse(failed.claimForRetry(request.id(), now, started.minusMillis(1), entry(now), line(request, now, "early")),
                "its run may still be under way");
        assertTrue(failed.claimForRetry(request.id(), now, started, entry(now), line(request, now, "owner")));
        assertFalse(failed.claimForRetry(request.id(), now, now.minusMillis(1), entry(now), line(request, now, "again")),
                "the claim started a run of its own");
        Instant later = now.plus(Duration.ofMinutes(5));
        assertTrue(failed.claimForRetry(request.id(), later, now, entry(later), line(request, later, "later")),
                "that run stopped too");

        assertEquals(RequestStatus.VERIFIED, store.find(request.id()).orElseThrow().status());
        assertEquals(List.of("owner", "later"), trail.of("PRIVACY_REQUEST#" + request.id()).stream()
                .map(AdminAction::actor).toList());
        assertEquals(List.of("received", "retried", "retried"), store.audit(request.id()).stream()
                .map(AuditEntry::event).toList());
    }

    @Test
    void aRequestThatIsNotFailedIsNotClaimedAndNothingIsWritten() {
        PrivacyRequest waiting = received();
        store.create(waiting, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        Instant now = CLOCK.instant();

        assertFalse(failed.claimForRetry(waiting.id(), now, now, entry(now), line(waiting, now, "owner")));
        String never = UUID.randomUUID().toString();
        assertFalse(failed.claimForRetry(never, now, now, entry(now), line(waiting, now, "owner")));

        assertEquals(RequestStatus.RECEIVED, store.find(waiting.id()).orElseThrow().status());
        assertEquals(List.of("received"), store.audit(waiting.id()).stream().map(AuditEntry::event).toList());
        assertTrue(store.find(never).isEmpty(), "no item made for an unknown id");
        assertTrue(trail.of("PRIVACY_REQUEST#" + waiting.id()).isEmpty());
    }

    @Test
    void theOpenListComesWithEachRequestsTrailFromOneQuery() {
        PrivacyRequest open = failedRequest();
        PrivacyRequest done = received();
        store.create(done, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        store.transition(done.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, CLOCK.instant());
        store.close(done.id(), RequestStatus.VERIFIED, RequestStatus.COMPLETED, CLOCK.instant());

        List<RequestStore.Tracked> listed = store.openWithTrails();

        RequestStore.Tracked mine = listed.stream().filter(t -> t.request().id().equals(open.id())).findFirst().orElseThrow();
        assertEquals(RequestStatus.FAILED, mine.request().status());
        assertEquals(List.of("received", "failed"), mine.trail().stream().map(AuditEntry::event).toList());
        assertTrue(listed.stream().noneMatch(t -> t.request().id().equals(done.id())));
        List<Instant> due = listed.stream().map(t -> t.request().dueAt()).toList();
        assertEquals(due.stream().sorted().toList(), due, "by due date");
    }

    @Test
    void primingReadsNoRequestAndWritesNothing() {
        PrivacyRequest request = failedRequest();

        store.prime();
        failed.prime();

        assertEquals(RequestStatus.FAILED, store.find(request.id()).orElseThrow().status());
        assertTrue(store.find("00000000-0000-0000-0000-000000000000").isEmpty());
    }

    private static PrivacyRequest failedRequest() {
        PrivacyRequest request = received();
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        store.transition(request.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, CLOCK.instant());
        store.transition(request.id(), RequestStatus.VERIFIED, RequestStatus.FAILED, CLOCK.instant());
        store.append(request.id(), AuditEntry.of(CLOCK.instant(), "failed", "exception=java.lang.IllegalStateException"));
        return store.find(request.id()).orElseThrow();
    }

    private static AuditEntry entry(Instant at) {
        return AuditEntry.of(at, "retried", "sub=owner", Store.PRIVACY_REQUESTS);
    }

    private static AdminAction line(PrivacyRequest request, Instant at, String actor) {
        return new AdminAction("PRIVACY_REQUEST#" + request.id(), at, actor, actor, "privacy_request.retried",
                "{\"status\":\"failed\"}", "{\"status\":\"verified\"}", at.getEpochSecond() + 3600);
    }

    private static PrivacyRequest received() {
        CLOCK.advance(Duration.ofMillis(5));
        return PrivacyRequest.received(UUID.randomUUID().toString(), RequestType.DELETE, UUID.randomUUID().toString(),
                new EmailAddress("ada@example.com"), Optional.empty(), "api", CLOCK.instant());
    }
}
