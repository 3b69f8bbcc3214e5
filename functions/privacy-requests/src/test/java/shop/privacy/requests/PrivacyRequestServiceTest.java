package shop.privacy.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.BASE;
import static shop.privacy.testing.PrivacyFixture.OWNER;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.json.Json;
import shop.core.mail.Email;
import shop.privacy.AuditEntry;
import shop.privacy.LinkNotUsableException;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestFailedException;
import shop.privacy.RequestStatus;
import shop.privacy.account.AccountSession;
import shop.privacy.testing.PrivacyFixture;
import shop.privacy.testing.RecordingMailer;

class PrivacyRequestServiceTest {
    private static final String IP = "203.0.113.9";

    private PrivacyFixture f;
    private PrivacyRequestService service;

    @BeforeEach
    void setUp() {
        f = new PrivacyFixture();
        service = new PrivacyRequestService(f.intake, f.runner, f.requests, f.exports, f.limiter, f.hasher, f.clock);
    }

    @Test
    void aRequestIsStoredAndItsAddressGetsAOneHourLinkWhoseTokenIsKeptOnlyAsAHash() {
        service.submit(request("Ada@Example.com", "access", null), IP, BASE);

        Email mail = f.mailer.last("ada@example.com");
        String token = RecordingMailer.tokenFrom(mail.text(), "/privacy/requests/verify");
        assertTrue(mail.text().contains(BASE + "/privacy/requests/verify?token="), mail.text());
        assertTrue(mail.text().contains("within 1 hour"));
        assertFalse(f.requests.tokens.containsKey(token), "the token itself is never stored");
        PrivacyRequest stored = f.requests.requests.values().iterator().next();
        assertEquals(RequestStatus.RECEIVED, stored.status());
        assertEquals(stored.receivedAt().plus(Duration.ofDays(30)), stored.dueAt());
        assertEquals(f.clock.instant().plus(Duration.ofHours(1)),
                f.requests.tokens.values().iterator().next().expiresAt());
        assertEquals(List.of("received", "verification_mailed"), events(stored.id()));
    }

    @Test
    void aKnownAndAnUnknownAddressCauseTheSameWorkAndTheSameMail() {
        f.subscribers.subscribe(f.hash("known@example.com"), "known@example.com");
        f.orders.add("cs_test_1", "known@example.com", "Known Person", "PAID");

        service.submit(request("known@example.com", "delete", null), IP, BASE);
        service.submit(request("stranger@example.com", "delete", null), IP, BASE);

        Email known = f.mailer.last("known@example.com");
        Email unknown = f.mailer.last("stranger@example.com");
        assertEquals(2, f.mailer.sent.size(), "one mail each, none to anyone else");
        assertEquals(known.subject(), unknown.subject());
        assertEquals(withoutToken(known.text()), withoutToken(unknown.text()));
        assertEquals(withoutToken(known.html()), withoutToken(unknown.html()));
        assertEquals(1, f.orders.orders.size());
        assertEquals(List.of("known@example.com"), f.subscribers.emails(), "nothing changes before verification");
    }

    @Test
    void openingTheLinkShowsTheRequestAndChangesNothing() {
        f.subscribers.subscribe(f.hash("ada@example.com"), "ada@example.com");
        String token = submit("ada@example.com", "delete");

        PrivacyRequest shown = service.preview(token);
        service.preview(token);

        assertEquals("delete", shown.type().wireName());
        assertEquals(RequestStatus.RECEIVED, f.requests.find(shown.id()).orElseThrow().status());
        assertEquals(List.of("ada@example.com"), f.subscribers.emails());
        assertFalse(f.requests.tokens.values().iterator().next().used());
    }

    @Test
    void accessWritesOneExportWithOrdersAndConsentProofAndMailsASevenDayDownloadLink() throws Exception {
        String ada = f.hash("ada@example.com");
        f.subscribers.subscribe(ada, "ada@example.com");
        f.orders.add("cs_test_1", "Ada@Example.com", "Ada Lovelace", "PAID");
        f.orders.add("cs_test_2", "someone@example.com", "Someone Else", "PAID");
        String token = submit("ada@example.com", "access");

        var confirmed = service.confirm(token, "198.51.100.2", BASE);

        assertEquals(1, f.exports.files.size());
        String key = f.exports.files.keySet().iterator().next();
        JsonNode export = Json.mapper().readTree(f.exports.text(key));
        assertEquals("ada@example.com", export.get("email").asText());
        assertEquals(1, export.get("orders").size());
        assertEquals("ORDER#cs_test_1", export.get("orders").get(0).get("pk").asText());
        assertEquals("2016-07-01", export.at("/newsletter/subscriber/consent/policyVersion").asText());
        assertEquals("access", export.at("/privacyRequests/0/type").asText());
        assertTrue(export.at("/privacyRequests/0/auditTrail").size() >= 3);
        String result = f.mailer.last("ada@example.com").text();
        String download = RecordingMailer.tokenFrom(result, "/privacy/exports");
        assertTrue(result.contains("7 days"), result);
        assertEquals(f.clock.instant().plus(Duration.ofDays(7)), f.requests.downloads.values().iterator().next().expiresAt());
        assertTrue(service.download(download).toString().contains(key));
        assertEquals(1, confirmed.outcome().count("orders"));
        f.clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThrows(LinkNotUsableException.class, () -> service.download(download));
    }

    @Test
    void deleteAnonymisesOrdersErasesTheSubscriberDeletesStripeCustomersAndKeepsOnlyTheSuppressionHash() {
        String ada = f.hash("ada@example.com");
        f.subscribers.subscribe(ada, "ada@example.com");
        f.orders.add("cs_test_1", "Ada@Example.com", "Ada Lovelace", "SHIPPED").put("stripeCustomerId", "cus_FromOrder");
        f.payments.byEmail.put("Ada@Example.com", new ArrayList<>(List.of("cus_Spelled")));
        String earlierExport = submitAndConfirm("ada@example.com", "access");
        // Ada is signed in to her account on two devices; Grace on one.
        Instant at = f.clock.instant();
        for (String device : List.of("phone", "laptop")) {
            f.accounts.createSession(new AccountSession(device, new EmailAddress("ada@example.com"), ada, at, at), at);
        }
        f.accounts.createSession(new AccountSession("grace", new EmailAddress("grace@example.com"),
                f.hash("grace@example.com"), at, at), at);
        String token = submit("ada@example.com", "delete");

        service.confirm(token, "198.51.100.2", BASE);

        assertEquals(java.util.Set.of("grace"), f.accounts.sessions.keySet(), "every session of the erased address ends");

        Map<String, Object> order = f.orders.orders.get("cs_test_1");
        assertFalse(order.containsKey("customerEmail"));
        assertFalse(order.containsKey("customerName"));
        assertEquals(Map.of("country", "US"), order.get("shipping"));
        assertEquals(12_000L, order.get("amountTotal"));
        assertEquals("2026-03-01T10:00:00Z", order.get("createdAt"));
        assertTrue(f.subscribers.subscribers.isEmpty());
        assertTrue(f.subscribers.suppressed.contains(ada));
        assertEquals(List.of("cus_FromOrder", "cus_Spelled"), f.payments.deleted.stream().sorted().toList());
        assertTrue(f.exports.files.isEmpty(), "the earlier export " + earlierExport + " is deleted");
        assertTrue(f.requests.downloads.isEmpty());
        assertFalse(f.requests.holdsAddress("ada@example.com"), "no request keeps the address");
        PrivacyRequest delete = f.requests.requests.values().stream()
                .filter(r -> r.type().wireName().equals("delete")).findFirst().orElseThrow();
        assertEquals(RequestStatus.COMPLETED, delete.status());
        AuditEntry carriedOut = f.requests.audit(delete.id()).stream()
                .filter(e -> e.event().equals("carried_out")).findFirst().orElseThrow();
        assertEquals(List.of("SubscribersTable", "OrdersTable", "Stripe", "ExportsBucket", "PrivacyRequestsTable"),
                carriedOut.stores());
        assertTrue(carriedOut.detail().contains("ordersAnonymised=1"), carriedOut.detail());
        assertTrue(carriedOut.detail().contains("ordersKeepingShippingUntilShipped=0"), carriedOut.detail());
        assertFalse(f.mailer.last("ada@example.com").text().contains("not shipped yet"));
    }

    @Test
    void anErasureWhileAPaidOrderIsToShipSaysItKeepsNameAndAddressUntilShipped() {
        f.orders.add("cs_test_1", "ada@example.com", "Ada Lovelace", "PAID");
        f.orders.add("cs_test_2", "ada@example.com", "Ada Lovelace", "SHIPPED");
        String token = submit("ada@example.com", "delete");

        service.confirm(token, "198.51.100.2", BASE);

        Map<String, Object> toShip = f.orders.orders.get("cs_test_1");
        assertFalse(toShip.containsKey("customerEmail"));
        assertEquals("Ada Lovelace", toShip.get("customerName"));
        PrivacyRequest delete = f.requests.requests.values().stream()
                .filter(r -> r.type().wireName().equals("delete")).findFirst().orElseThrow();
        AuditEntry carriedOut = f.requests.audit(delete.id()).stream()
                .filter(e -> e.event().equals("carried_out")).findFirst().orElseThrow();
        assertTrue(carriedOut.detail().contains("ordersAnonymised=2 ordersKeepingShippingUntilShipped=1"),
                carriedOut.detail());
        String result = f.mailer.last("ada@example.com").text();
        assertTrue(result.contains("2 order(s) no longer carry your name"), result);
        assertTrue(result.contains("1 of these order(s) are paid and not shipped yet: they keep your name and shipping"
                + " address"), result);
        String owner = f.mailer.sent.stream().filter(m -> m.subject().startsWith("[privacy] delete request completed"))
                .findFirst().orElseThrow().text();
        assertTrue(owner.contains("1 paid order(s) still to ship keep the customer's name and shipping address"), owner);
    }

    @Test
    void anErasureEndsTheAddresssOtherRequestsStillWaitingForTheirLink() {
        String pendingAccess = submit("ada@example.com", "access");
        String token = submit("ada@example.com", "delete");

        service.confirm(token, "198.51.100.2", BASE);

        assertFalse(f.requests.holdsAddress("ada@example.com"));
        PrivacyRequest access = f.requests.requests.values().stream()
                .filter(r -> r.type().wireName().equals("access")).findFirst().orElseThrow();
        assertEquals(RequestStatus.EXPIRED, access.status());
        assertThrows(LinkNotUsableException.class, () -> service.confirm(pendingAccess, "198.51.100.2", BASE));
        assertTrue(f.exports.files.isEmpty());
    }

    @Test
    void deletingAnUnknownAddressSaysSoOnlyAfterVerificationAndStillSuppressesIt() {
        String token = submit("nobody@example.com", "delete");
        String before = f.mailer.last("nobody@example.com").text();
        assertFalse(before.contains("no personal data"));

        service.confirm(token, "198.51.100.2", BASE);

        assertTrue(f.mailer.last("nobody@example.com").text().contains("We held no personal data"));
        assertTrue(f.subscribers.suppressed.contains(f.hash("nobody@example.com")));
    }

    @Test
    void correctChangesNameAndShippingAddressOfUnshippedOrdersOnly() {
        f.orders.add("cs_test_paid", "ada@example.com", "Ada Byron", "PAID");
        f.orders.add("cs_test_shipped", "ada@example.com", "Ada Byron", "PAID").put("fulfilledAt", "2026-03-02T10:00:00Z");
        f.orders.add("cs_test_refunded", "ada@example.com", "Ada Byron", "REFUNDED");
        String token = submit(request("ada@example.com", "correct", """
                {"name":"Ada King","shippingAddress":{"line1":"3 St James's Square","city":"London","postalCode":"SW1Y 4JU","country":"GB"}}"""));

        var confirmed = service.confirm(token, "198.51.100.2", BASE);

        assertEquals("Ada King", f.orders.orders.get("cs_test_paid").get("customerName"));
        assertEquals("London", ((Map<?, ?>) f.orders.orders.get("cs_test_paid").get("shipping")).get("city"));
        assertEquals("Ada Byron", f.orders.orders.get("cs_test_shipped").get("customerName"));
        assertEquals("Ada Byron", f.orders.orders.get("cs_test_refunded").get("customerName"));
        assertEquals(1, confirmed.outcome().count("ordersCorrected"));
        PrivacyRequest closed = f.requests.find(confirmed.request().id()).orElseThrow();
        assertTrue(closed.correction().isEmpty(), "the correction is forgotten when the request closes");
    }

    @Test
    void optOutUnsubscribesAndDeactivatesAndReactivateLiftsOnlyTheDeactivation() {
        String ada = f.hash("ada@example.com");
        f.subscribers.subscribe(ada, "ada@example.com");

        submitAndConfirm("ada@example.com", "opt_out");
        assertTrue(f.subscribers.subscribers.isEmpty());
        assertTrue(f.subscribers.suppressed.contains(ada));
        assertTrue(f.subscribers.deactivated.contains(ada));
        String result = f.mailer.last("ada@example.com").text();
        assertTrue(result.contains("account page"), "the result mail says where to reactivate: " + result);

        submitAndConfirm("ada@example.com", "reactivate");
        assertFalse(f.subscribers.deactivated.contains(ada));
        assertTrue(f.subscribers.suppressed.contains(ada), "marketing needs a new opt-in");
    }

    @Test
    void aLinkWorksOnceAndNotAfterAnHour() {
        String token = submit("ada@example.com", "opt_out");
        service.confirm(token, "198.51.100.2", BASE);
        var reused = assertThrows(LinkNotUsableException.class, () -> service.confirm(token, "198.51.100.2", BASE));
        assertEquals(LinkNotUsableException.Reason.USED, reused.reason());
        assertThrows(LinkNotUsableException.class, () -> service.preview(token));

        String late = submit("grace@example.com", "opt_out");
        f.clock.advance(Duration.ofHours(1).plusSeconds(1));
        var expired = assertThrows(LinkNotUsableException.class, () -> service.confirm(late, "198.51.100.2", BASE));
        assertEquals(LinkNotUsableException.Reason.INVALID, expired.reason());
        assertFalse(f.subscribers.deactivated.contains(f.hash("grace@example.com")));

        assertThrows(LinkNotUsableException.class, () -> service.confirm("../../etc/passwd", "198.51.100.2", BASE));
        assertThrows(LinkNotUsableException.class, () -> service.confirm("A".repeat(43), "198.51.100.2", BASE));
    }

    @Test
    void atMostThreeMailsPerAddressPerDayAndTheFourthIsAnsweredTheSame() {
        for (int i = 0; i < 4; i++) {
            service.submit(request("ada@example.com", "access", null), "203.0.113." + i, BASE);
        }
        assertEquals(3, f.mailer.to("ada@example.com").size());
        assertEquals(3, f.requests.requests.size(), "the fourth writes nothing");

        f.clock.advance(Duration.ofDays(1));
        service.submit(request("ada@example.com", "access", null), IP, BASE);
        assertEquals(4, f.mailer.to("ada@example.com").size());
    }

    @Test
    void theOwnerGetsOneMailPerVerifiedRequestWithoutThePersonsAddress() {
        submit("ada@example.com", "access");
        assertTrue(f.mailer.to(OWNER).isEmpty(), "nothing before verification");

        String token = submit("grace@example.com", "opt_out");
        service.confirm(token, "198.51.100.2", BASE);

        Email notice = f.mailer.last(OWNER);
        assertEquals(1, f.mailer.to(OWNER).size());
        assertTrue(notice.subject().contains("opt_out request completed"), notice.subject());
        assertTrue(notice.text().contains("Due"), notice.text());
        assertFalse(notice.text().contains("grace@example.com"));
    }

    @Test
    void aFailureLeavesTheRequestFailedAndOpenAndTellsTheOwner() {
        String token = submit("ada@example.com", "access");
        f.mailer.failing = true;
        assertThrows(RequestFailedException.class, () -> service.confirm(token, "198.51.100.2", BASE));
        f.mailer.failing = false;

        PrivacyRequest request = f.requests.requests.values().iterator().next();
        assertEquals(RequestStatus.FAILED, request.status());
        assertTrue(request.email().isPresent(), "kept so the owner can finish it");
        assertTrue(f.requests.open().contains(request));
        assertTrue(events(request.id()).contains("failed"));
    }

    @Test
    void requestsAreValidatedWhereTheyAreBuilt() {
        assertEquals("type", assertThrows(InvalidInputException.class,
                () -> request("ada@example.com", "unsubscribe", null)).field(), "inbound-only type");
        assertEquals("correction", assertThrows(InvalidInputException.class,
                () -> request("ada@example.com", "correct", null)).field());
        assertEquals("correction", assertThrows(InvalidInputException.class,
                () -> request("ada@example.com", "access", "{\"name\":\"X\"}")).field());
        assertEquals("correction.shippingAddress.country", assertThrows(InvalidInputException.class,
                () -> request("ada@example.com", "correct", "{\"shippingAddress\":{\"line1\":\"1 A St\",\"city\":\"B\",\"country\":\"gb\"}}")).field());
        assertEquals("correction.name", assertThrows(InvalidInputException.class,
                () -> request("ada@example.com", "correct", "{\"name\":\"Ada\\nBcc: x@y.z\"}")).field());
        assertEquals("email", assertThrows(InvalidInputException.class,
                () -> request("not-an-address", "access", null)).field());
    }

    /** Issue 13, finding 8: the visit log of the IPs the request was made and confirmed from, and no other. */
    @Test
    void accessExportsAndErasureDeletesTheVisitLogLinesOfTheRequestsOwnIpsOnly() throws Exception {
        f.visits.lines.add(Map.of("pk", "LOG#1", "sourceIp", IP, "path", "/"));
        f.visits.lines.add(Map.of("pk", "LOG#2", "sourceIp", "198.51.100.2", "path", "/rings"));
        f.visits.lines.add(Map.of("pk", "LOG#3", "sourceIp", "192.0.2.200", "path", "/about"));

        String key = submitAndConfirm("ada@example.com", "access");
        JsonNode export = Json.mapper().readTree(f.exports.files.get(key));
        assertEquals(List.of("LOG#1", "LOG#2"), export.at("/visitLog/lines").findValuesAsText("pk"));
        assertEquals(2, export.at("/visitLog/sourceIps").size());

        submitAndConfirm("ada@example.com", "delete");
        assertEquals(List.of("LOG#3"), f.visits.lines.stream().map(line -> line.get("pk")).toList());
        assertTrue(f.requests.sourceIps.isEmpty(), "closed requests forget their IPs");
    }

    private String submit(String email, String type) {
        return submit(request(email, type, null));
    }

    private String submit(NewRequest request) {
        service.submit(request, IP, BASE);
        return RecordingMailer.tokenFrom(f.mailer.last(request.email().value()).text(), "/privacy/requests/verify");
    }

    private String submitAndConfirm(String email, String type) {
        service.confirm(submit(email, type), "198.51.100.2", BASE);
        return f.exports.files.keySet().stream().findFirst().orElse(null);
    }

    private static NewRequest request(String email, String type, String correctionJson) {
        try {
            return NewRequest.of(email, type, correctionJson == null ? null : Json.mapper().readTree(correctionJson));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> events(String requestId) {
        return f.requests.audit(requestId).stream().map(AuditEntry::event).toList();
    }

    private static String withoutToken(String text) {
        return text.replaceAll("token=[A-Za-z0-9_-]+", "token=T").replaceAll("[a-z]+@example\\.com", "ADDRESS");
    }
}
