package shop.privacy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import shop.privacy.PrivacyRequest;
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

    @Test
    void anUnauthenticatedSenderGetsAVerificationLinkForAnOptOutAndNothingChanges() {
        var result = service.handle(mail("ada@example.com", "Unsubscribe", "FAIL", "FAIL", "FAIL"), BASE);

        assertEquals(InboundMailService.Result.VERIFICATION_SENT, result);
        assertEquals(List.of("ada@example.com"), f.subscribers.emails());
        String text = f.mailer.last("ada@example.com").text();
        assertTrue(text.contains("stop all marketing mail to this address"), text);
        RecordingMailer.tokenFrom(text, BASE + "/privacy/requests/verify");
        assertEquals(RequestType.OPT_OUT, f.requests.requests.values().iterator().next().type());
        assertTrue(rawMail.stored.isEmpty());
    }

    @Test
    void aDkimPassForAnotherDomainThanTheSendersIsNotEnough() {
        var result = service.handle(mail("ada@example.com", "Unsubscribe", "FAIL", "PASS", "FAIL"), BASE);

        assertEquals(InboundMailService.Result.VERIFICATION_SENT, result);
        assertEquals(List.of("ada@example.com"), f.subscribers.emails());
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

    private InboundMail mail(String from, String subject, String spf, String dkim, String dmarc) {
        rawMail.stored.add("m1");
        return new InboundMail("m1", "ada@example.com", from, subject, spf, dkim, dmarc, "PASS", "PASS", Map.of());
    }
}
