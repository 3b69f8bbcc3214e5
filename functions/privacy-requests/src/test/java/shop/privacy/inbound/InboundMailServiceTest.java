package shop.privacy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.BASE;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.core.email.EmailAddress;
import shop.privacy.AuditEntry;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestFailedException;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.testing.InMemoryRawMail;
import shop.privacy.testing.PrivacyFixture;
import shop.privacy.testing.RecordingMailer;

class InboundMailServiceTest {
    private PrivacyFixture f;
    private InMemoryRawMail rawMail;
    private InboundMailService service;

    @BeforeEach
    void setUp() {
        f = new PrivacyFixture();
        rawMail = new InMemoryRawMail();
        service = new InboundMailService(f.requests, f.intake, f.runner, rawMail, f.hasher,
                Set.of(new EmailAddress("shop@shop.example"), new EmailAddress(PrivacyFixture.OWNER)), f.clock);
        f.subscribers.subscribe(f.hash("ada@example.com"), "ada@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Unsubscribe", "unsubscribe", "  UNSUBSCRIBE \t", "Re: Unsubscribe", "RE:unsubscribe",
            "Re: RE: re:  Unsubscribe "})
    void theSubjectAsThePolicyTellsPeopleToWriteIt(String subject) {
        assertTrue(UnsubscribeSubject.matches(subject), subject);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Please unsubscribe me", "Unsubscribe me", "Fwd: Unsubscribe", "Unsubscribed",
            "Re: Question about unsubscribe", "Un subscribe"})
    void otherSubjectsAreNotAnUnsubscribe(String subject) {
        assertFalse(UnsubscribeSubject.matches(subject), subject);
    }

    @Test
    void anAuthenticatedSenderIsUnsubscribedAtOnceWithAnAuditTrail() {
        var result = service.handle(mail("Ada <Ada@Example.com>", "Re: Unsubscribe", "PASS", "FAIL", "GRAY"), BASE);

        assertEquals(InboundMailService.Result.UNSUBSCRIBED, result);
        assertTrue(f.subscribers.subscribers.isEmpty());
        assertTrue(f.subscribers.suppressed.contains(f.hash("ada@example.com")));
        assertFalse(f.subscribers.deactivated.contains(f.hash("ada@example.com")), "unsubscribing is not deactivating");
        PrivacyRequest request = f.requests.requests.values().iterator().next();
        assertEquals(RequestType.UNSUBSCRIBE, request.type());
        assertEquals(RequestStatus.COMPLETED, request.status());
        assertTrue(request.email().isEmpty());
        assertTrue(f.requests.audit(request.id()).get(1).detail().contains("spf=PASS"));
        assertTrue(f.mailer.last("ada@example.com").text().contains("You are unsubscribed"));
        assertTrue(rawMail.stored.isEmpty(), "the stored message is deleted");
    }

    /** Issue 13, finding 5: an SPF pass for the spoofer's own domain, From a domain without DMARC. */
    @Test
    void aPassForAnotherDomainThanTheFromDomainOnlyGetsTheFromAddressAVerificationLink() {
        rawMail.stored.add("m1");
        var forged = new InboundMail("m1", "bounce@spoofer.example.net", "ada@example.com", "Unsubscribe", "PASS", "PASS",
                "GRAY", "PASS", "PASS", Map.of(), List.of("spoofer.example.net"));

        var result = service.handle(forged, BASE);

        assertEquals(InboundMailService.Result.VERIFICATION_SENT, result);
        assertEquals(List.of("ada@example.com"), f.subscribers.emails(), "still subscribed");
        String text = f.mailer.last("ada@example.com").text();
        assertTrue(text.contains("stop all marketing mail to this address"), text);
        RecordingMailer.tokenFrom(text, BASE + "/privacy/requests/verify");
        assertEquals(RequestType.OPT_OUT, f.requests.requests.values().iterator().next().type());
        assertTrue(rawMail.stored.isEmpty());
    }

    /** Issue 13, finding 5: answering a mail that failed is backscatter to whoever was forged. */
    @Test
    void aMailThatFailedAuthenticationGetsNoAnswerAndChangesNothing() {
        for (var mail : List.of(mail("ada@example.com", "Unsubscribe", "FAIL", "FAIL", "FAIL"),
                mail("ada@example.com", "Unsubscribe", "FAIL", "PASS", "FAIL"),
                mail("ada@example.com", "Unsubscribe", "PASS", "PASS", "FAIL"),
                mail("ada@example.com", "Unsubscribe", "GRAY", "GRAY", "GRAY"))) {
            assertEquals(InboundMailService.Result.NOT_AUTHENTICATED, service.handle(mail, BASE));
        }
        assertTrue(f.mailer.sent.isEmpty());
        assertTrue(f.requests.requests.isEmpty());
        assertEquals(List.of("ada@example.com"), f.subscribers.emails());
        assertTrue(rawMail.stored.isEmpty());
    }

    /** Issue 13, finding 5: the authenticated path acted on every mail, without limit. */
    @Test
    void theAuthenticatedPathCountsAgainstTheAddresssDailyLimitToo() {
        List<InboundMailService.Result> results = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(service.handle(mail("m" + i, "ada@example.com", "Unsubscribe", "PASS", "GRAY", "GRAY"), BASE));
        }
        assertEquals(List.of(InboundMailService.Result.UNSUBSCRIBED, InboundMailService.Result.UNSUBSCRIBED,
                InboundMailService.Result.UNSUBSCRIBED, InboundMailService.Result.RATE_LIMITED), results);
        assertEquals(3, f.requests.requests.size());
    }

    @Test
    void bouncesAutoRepliesOtherSubjectsAndOurOwnAddressesAreIgnoredButStillDeleted() {
        var autoReply = new InboundMail("m2", "ada@example.com", "ada@example.com", "Unsubscribe", "PASS", "PASS",
                "PASS", "PASS", "PASS", Map.of("auto-submitted", "auto-replied"));
        var bounce = new InboundMail("m3", "", "ada@example.com", "Unsubscribe", "PASS", "PASS", "PASS", "PASS",
                "PASS", Map.of());
        rawMail.stored.addAll(Set.of("m2", "m3"));
        for (var mail : List.of(autoReply, bounce, mail("ada@example.com", "Hello", "PASS", "PASS", "PASS"),
                mail("Shop <shop@shop.example>", "Unsubscribe", "PASS", "PASS", "PASS"))) {
            assertEquals(InboundMailService.Result.IGNORED, service.handle(mail, BASE));
        }
        assertTrue(f.mailer.sent.isEmpty());
        assertEquals(List.of("ada@example.com"), f.subscribers.emails());
        assertTrue(rawMail.stored.isEmpty());
    }

    /**
     * Lambda runs the event again after a failure (here the result mail's): the run finds the mail's
     * request and goes on from where it stopped; one request, one result mail, and a run after that
     * changes nothing.
     */
    @Test
    void aMailWhoseRunFailedIsCarriedOnWhenLambdaRunsTheEventAgainAndAnsweredOnce() {
        InboundMail mail = mail("Ada <ada@example.com>", "Unsubscribe", "PASS", "PASS", "PASS");
        f.mailer.failing = true;
        assertThrows(RequestFailedException.class, () -> service.handle(mail, BASE));
        f.mailer.failing = false;
        PrivacyRequest failed = f.requests.requests.values().iterator().next();
        assertEquals(RequestStatus.FAILED, failed.status());

        assertEquals(InboundMailService.Result.UNSUBSCRIBED, service.handle(mail, BASE));
        assertEquals(InboundMailService.Result.UNSUBSCRIBED, service.handle(mail, BASE));

        assertEquals(1, f.requests.requests.size(), "one request for the mail");
        assertEquals(RequestStatus.COMPLETED, f.requests.find(failed.id()).orElseThrow().status());
        assertEquals(1, f.mailer.to("ada@example.com").size(), "one result mail");
        assertEquals(1, f.mailer.to(PrivacyFixture.OWNER).stream()
                .filter(m -> m.subject().contains("unsubscribe request completed")).count());
        List<String> events = f.requests.audit(failed.id()).stream().map(AuditEntry::event).toList();
        assertEquals(List.of("retried", "carried_out", "result_mailed", "completed"),
                events.subList(events.indexOf("retried"), events.size()), "the step done once, by the first run");
        assertEquals(1, events.stream().filter("step_done"::equals).count());
    }

    private InboundMail mail(String from, String subject, String spf, String dkim, String dmarc) {
        return mail("m1", from, subject, spf, dkim, dmarc);
    }

    private InboundMail mail(String messageId, String from, String subject, String spf, String dkim, String dmarc) {
        rawMail.stored.add(messageId);
        return new InboundMail(messageId, "ada@example.com", from, subject, spf, dkim, dmarc, "PASS", "PASS", Map.of());
    }
}
