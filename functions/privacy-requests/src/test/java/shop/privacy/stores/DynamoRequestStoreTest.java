package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.email.EmailAddress;
import shop.privacy.AuditEntry;
import shop.privacy.Correction;
import shop.privacy.DownloadLink;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.Store;
import shop.privacy.VerificationToken;
import shop.local.stack.MutableClock;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
class DynamoRequestStoreTest {
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static DynamoRequestStore store;
    private static LocalAws aws;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        store = new DynamoRequestStore(aws.dynamo(), aws.physicalName("PrivacyRequestsTable"), CLOCK);
    }

    /**
     * The stored item's expiresAt follows the request's state, from when it was received: 48 hours
     * waiting for its link, 90 days once expired unconfirmed, 3 years once confirmed, whatever
     * became of it then (README's retention table).
     */
    @Test
    void eachStateKeepsTheRequestForItsOwnTermFromWhenItWasReceived() {
        PrivacyRequest confirmed = received(UUID.randomUUID().toString(), RequestType.DELETE, Optional.empty());
        PrivacyRequest unconfirmed = received(UUID.randomUUID().toString(), RequestType.ACCESS, Optional.empty());
        store.create(confirmed, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        store.create(unconfirmed, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        long received = confirmed.receivedAt().getEpochSecond();
        assertEquals(received + Duration.ofHours(48).toSeconds(), expiresAt(confirmed.id()), "waiting for its link");
        CLOCK.advance(Duration.ofMinutes(1));

        assertTrue(store.transition(confirmed.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, CLOCK.instant()));
        assertEquals(received + Duration.ofDays(3 * 365).toSeconds(), expiresAt(confirmed.id()), "verified");
        assertTrue(store.transition(confirmed.id(), RequestStatus.VERIFIED, RequestStatus.FAILED, CLOCK.instant()));
        assertEquals(received + Duration.ofDays(3 * 365).toSeconds(), expiresAt(confirmed.id()), "failed");
        assertTrue(store.lapse(confirmed.id(), RequestStatus.FAILED, CLOCK.instant(), CLOCK.instant()));
        assertEquals(received + Duration.ofDays(3 * 365).toSeconds(), expiresAt(confirmed.id()), "lapsed");

        assertTrue(store.close(unconfirmed.id(), RequestStatus.RECEIVED, RequestStatus.EXPIRED, CLOCK.instant()));
        assertEquals(unconfirmed.receivedAt().getEpochSecond() + Duration.ofDays(90).toSeconds(),
                expiresAt(unconfirmed.id()), "expired unconfirmed");
    }

    /** A request written before the terms per state (its 3 years set at once) keeps its expiry when it moves. */
    @Test
    void aRequestWrittenBeforeTheTermsPerStateKeepsItsExpiry() {
        PrivacyRequest request = received(UUID.randomUUID().toString(), RequestType.ACCESS, Optional.empty());
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        long threeYears = request.receivedAt().getEpochSecond() + Duration.ofDays(3 * 365).toSeconds();
        aws.dynamo().updateItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(key(request.id()))
                .updateExpression("SET expiresAt = :old REMOVE expiresAtIfConfirmed, expiresAtIfUnconfirmed")
                .expressionAttributeValues(Map.of(":old", AttributeValue.fromN(String.valueOf(threeYears)))));

        assertTrue(store.close(request.id(), RequestStatus.RECEIVED, RequestStatus.EXPIRED, CLOCK.instant()));

        assertEquals(threeYears, expiresAt(request.id()));
        assertEquals(RequestStatus.EXPIRED, store.find(request.id()).orElseThrow().status());
    }

    /**
     * At its due date a request that failed lapses: closed, its address forgotten, its trail kept.
     * One whose run is under way (verified after the stalled-before time) does not.
     */
    @Test
    void aFailedRequestLapsesForgettingItsAddressButOneRunningDoesNot() {
        String hash = UUID.randomUUID().toString();
        PrivacyRequest failed = received(hash, RequestType.DELETE, Optional.empty());
        PrivacyRequest running = received(hash, RequestType.ACCESS, Optional.empty());
        for (PrivacyRequest request : List.of(failed, running)) {
            store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""), null);
            store.addSourceIp(request.id(), "203.0.113.9");
            store.transition(request.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, CLOCK.instant());
        }
        store.transition(failed.id(), RequestStatus.VERIFIED, RequestStatus.FAILED, CLOCK.instant());
        store.append(failed.id(), AuditEntry.of(CLOCK.instant(), "failed", "step=orders exception=x.Y"));
        Instant stalledBefore = CLOCK.instant().minus(Duration.ofMinutes(5));

        assertFalse(store.lapse(running.id(), RequestStatus.VERIFIED, CLOCK.instant(), stalledBefore), "running");
        assertFalse(store.lapse(failed.id(), RequestStatus.VERIFIED, CLOCK.instant(), stalledBefore), "not VERIFIED");
        assertTrue(store.lapse(failed.id(), RequestStatus.FAILED, CLOCK.instant(), stalledBefore));

        PrivacyRequest lapsed = store.find(failed.id()).orElseThrow();
        assertEquals(RequestStatus.LAPSED, lapsed.status());
        assertTrue(lapsed.email().isEmpty());
        assertTrue(store.sourceIps(failed.id()).isEmpty());
        assertEquals(List.of("received", "failed"), store.audit(failed.id()).stream().map(AuditEntry::event).toList());
        List<String> open = store.open().stream().map(PrivacyRequest::id).toList();
        assertFalse(open.contains(failed.id()));
        assertTrue(open.contains(running.id()));
        assertEquals(RequestStatus.VERIFIED, store.find(running.id()).orElseThrow().status());
        assertTrue(store.find(running.id()).orElseThrow().email().isPresent());

        CLOCK.advance(Duration.ofMinutes(6));
        assertTrue(store.lapse(running.id(), RequestStatus.VERIFIED, CLOCK.instant(),
                CLOCK.instant().minus(Duration.ofMinutes(5))), "its run stopped part-way");
    }

    private static long expiresAt(String requestId) {
        return Long.parseLong(aws.dynamo().getItem(b -> b.tableName(aws.physicalName("PrivacyRequestsTable"))
                .key(key(requestId)).consistentRead(true)).item().get("expiresAt").n());
    }

    private static Map<String, AttributeValue> key(String requestId) {
        return Map.of("pk", AttributeValue.fromS("REQUEST#" + requestId));
    }

    @Test
    void aRequestRoundTripsWithItsCorrectionAndItsTrailInOrder() {
        String hash = UUID.randomUUID().toString();
        PrivacyRequest request = received(hash, RequestType.CORRECT, Optional.of(new Correction(Optional.of("Ada King"),
                Optional.empty())));
        String token = UUID.randomUUID().toString();
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", "api", Store.PRIVACY_REQUESTS),
                new VerificationToken(token, request.id(), CLOCK.instant().plus(Duration.ofHours(1)), null));
        for (int i = 0; i < 5; i++) {
            store.append(request.id(), AuditEntry.of(CLOCK.instant(), "step_" + "abcde".charAt(i), "n=" + i));
        }

        assertEquals(request.receivedAt().toEpochMilli(), store.find(request.id()).orElseThrow().receivedAt().toEpochMilli());
        assertEquals("Ada King", store.find(request.id()).orElseThrow().correction().orElseThrow().name().orElseThrow());
        assertEquals(List.of("received", "step_a", "step_b", "step_c", "step_d", "step_e"),
                store.audit(request.id()).stream().map(AuditEntry::event).toList());
        assertEquals(List.of("PrivacyRequestsTable"), store.audit(request.id()).get(0).stores());
    }

    @Test
    void aTokenIsUsedOnceAndNotAfterItExpires() {
        PrivacyRequest request = received(UUID.randomUUID().toString(), RequestType.ACCESS, Optional.empty());
        String once = UUID.randomUUID().toString();
        String late = UUID.randomUUID().toString();
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""),
                new VerificationToken(once, request.id(), CLOCK.instant().plus(Duration.ofHours(1)), null));
        store.create(received(UUID.randomUUID().toString(), RequestType.ACCESS, Optional.empty()),
                AuditEntry.of(CLOCK.instant(), "received", ""),
                new VerificationToken(late, request.id(), CLOCK.instant().plus(Duration.ofSeconds(30)), null));

        assertTrue(store.useToken(once, CLOCK.instant()));
        assertFalse(store.useToken(once, CLOCK.instant()));
        assertTrue(store.findToken(once).orElseThrow().used());
        CLOCK.advance(Duration.ofMinutes(1));
        assertFalse(store.useToken(late, CLOCK.instant()));
        assertTrue(store.findToken(late).isEmpty(), "an expired token reads as gone");
    }

    @Test
    void theIndexesFindAPersonsRequestsAndTheOpenOnesAndClosingForgetsTheAddress() {
        String hash = UUID.randomUUID().toString();
        PrivacyRequest first = received(hash, RequestType.ACCESS, Optional.empty());
        PrivacyRequest second = received(hash, RequestType.DELETE, Optional.empty());
        store.create(first, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        store.create(second, AuditEntry.of(CLOCK.instant(), "received", ""), null);

        assertTrue(store.transition(first.id(), RequestStatus.RECEIVED, RequestStatus.VERIFIED, CLOCK.instant()));
        assertFalse(store.close(first.id(), RequestStatus.RECEIVED, RequestStatus.EXPIRED, CLOCK.instant()),
                "a verified request does not expire");
        assertTrue(store.close(first.id(), RequestStatus.VERIFIED, RequestStatus.COMPLETED, CLOCK.instant()));

        List<PrivacyRequest> mine = store.byAddress(hash);
        assertEquals(List.of(first.id(), second.id()), mine.stream().map(PrivacyRequest::id).toList());
        assertTrue(mine.get(0).email().isEmpty());
        assertEquals("ada@example.com", mine.get(1).email().orElseThrow().value());
        List<String> open = store.open().stream().map(PrivacyRequest::id).toList();
        assertTrue(open.contains(second.id()));
        assertFalse(open.contains(first.id()));
    }

    @Test
    void anExportLinkIsFoundUntilTheExportIsForgotten() {
        PrivacyRequest request = received(UUID.randomUUID().toString(), RequestType.ACCESS, Optional.empty());
        store.create(request, AuditEntry.of(CLOCK.instant(), "received", ""), null);
        String hash = UUID.randomUUID().toString();
        store.saveExport(request.id(), new DownloadLink(hash, request.id(), "exports/" + request.id() + ".json",
                CLOCK.instant().plus(Duration.ofDays(7))));

        assertEquals("exports/" + request.id() + ".json", store.findDownload(hash).orElseThrow().exportKey());
        assertEquals("exports/" + request.id() + ".json", store.find(request.id()).orElseThrow().exportKey().orElseThrow());
        store.forgetExport(request.id());
        assertTrue(store.findDownload(hash).isEmpty());
        assertTrue(store.find(request.id()).orElseThrow().exportKey().isEmpty());
    }

    private static PrivacyRequest received(String hash, RequestType type, Optional<Correction> correction) {
        CLOCK.advance(Duration.ofMillis(5));
        return PrivacyRequest.received(UUID.randomUUID().toString(), type, hash, new EmailAddress("ada@example.com"),
                correction, "api", CLOCK.instant());
    }
}
