package shop.privacy.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.ADMIN_PAGE;
import static shop.privacy.testing.PrivacyFixture.BASE;
import static shop.privacy.testing.PrivacyFixture.OWNER;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.commerce.testing.InMemoryDayClaims;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;
import shop.privacy.AuditEntry;
import shop.privacy.Correction;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.testing.PrivacyFixture;

class DigestServiceTest {
    private final PrivacyFixture f = new PrivacyFixture();
    private final InMemoryDayClaims claims = new InMemoryDayClaims();
    private final DigestService digest = new DigestService(f.requests, claims, f.mailer, f.mails, new EmailAddress(OWNER),
            f.clock);

    @Test
    void theOwnerGetsTheOpenRequestsWithDaysLeftAndUnusedLinksExpire() {
        String stale = f.intake.submit(new EmailAddress("stale@example.com"), RequestType.ACCESS, Optional.empty(),
                "api", BASE).orElseThrow();
        f.clock.advance(Duration.ofDays(3));
        String fresh = f.intake.submit(new EmailAddress("fresh@example.com"), RequestType.DELETE, Optional.empty(),
                "api", BASE).orElseThrow();
        f.requests.transition(fresh, RequestStatus.RECEIVED, RequestStatus.VERIFIED, f.clock.instant());
        f.requests.transition(fresh, RequestStatus.VERIFIED, RequestStatus.FAILED, f.clock.instant());
        f.clock.advance(Duration.ofDays(5));

        assertEquals(1, digest.run().open());

        PrivacyRequest expired = f.requests.find(stale).orElseThrow();
        assertEquals(RequestStatus.EXPIRED, expired.status());
        assertTrue(expired.email().isEmpty(), "an expired request forgets the address");
        String text = f.mailer.last(OWNER).text();
        assertTrue(text.contains(fresh) && text.contains("delete") && text.contains("failed"), text);
        assertTrue(text.contains("25 day(s) left"), text);
        assertFalse(text.contains(stale));
        assertFalse(text.contains("fresh@example.com"), "no addresses in the owner's mail");
        assertTrue(text.contains("The Privacy requests tab of the back office: " + ADMIN_PAGE + "#privacy"), text);
        assertTrue(f.mailer.last(OWNER).html().contains("<a href=\"" + ADMIN_PAGE + "#privacy\">"),
                f.mailer.last(OWNER).html());
    }

    @Test
    void noMailWhenNothingIsOpen() {
        assertEquals(new DigestService.Result(DigestService.Outcome.NOTHING_OPEN, 0, 0), digest.run());
        assertTrue(f.mailer.sent.isEmpty());
        assertEquals(Map.of(), claims.days, "no day claimed: a later run today may still mail");
    }

    /** The schedule firing again the same day (or Lambda retrying a run that mailed) mails nothing; the next day mails. */
    @Test
    void aSecondRunTheSameDayMailsNothingAndTheNextDayMailsAgain() {
        String id = failed("twice@example.com", RequestType.ACCESS);

        DigestService.Result first = digest.run();
        f.clock.advance(Duration.ofHours(13));
        DigestService.Result again = digest.run();
        f.clock.advance(Duration.ofHours(11));
        DigestService.Result tomorrow = digest.run();

        assertEquals(new DigestService.Result(DigestService.Outcome.MAILED, 1, 0), first);
        assertEquals(new DigestService.Result(DigestService.Outcome.MAILED_BEFORE, 1, 0), again);
        assertEquals(DigestService.Outcome.MAILED, tomorrow.outcome());
        List<Email> digests = f.mailer.to(OWNER);
        assertEquals(2, digests.size(), digests.toString());
        assertTrue(digests.get(0).text().contains(id + " ") && digests.get(0).text().contains("30 day(s) left"),
                digests.get(0).text());
        assertTrue(digests.get(1).text().contains("29 day(s) left"), digests.get(1).text());
        assertEquals("SENT", claims.days.get(LocalDate.parse("2026-11-25")).status());
        assertEquals("SENT", claims.days.get(LocalDate.parse("2026-11-26")).status());
    }

    /** SES refusing the digest releases the day and fails the run, so Lambda's retry mails it. */
    @Test
    void anSesRefusalReleasesTheDaySoTheRetryMails() {
        failed("refused@example.com", RequestType.DELETE);
        f.mailer.failing = true;

        assertThrows(IllegalStateException.class, digest::run);
        assertEquals(Map.of(), claims.days, "released");
        assertTrue(f.mailer.to(OWNER).isEmpty());

        f.mailer.failing = false;
        f.clock.advance(Duration.ofMinutes(1));
        assertEquals(DigestService.Outcome.MAILED, digest.run().outcome());
        assertEquals(1, f.mailer.to(OWNER).size());
        assertEquals(DigestService.Outcome.MAILED_BEFORE, digest.run().outcome());
        assertEquals(1, f.mailer.to(OWNER).size());
    }

    /**
     * A run that claimed the day and stopped before sending (its function timed out): a run within the stale limit
     * fails and mails nothing (Lambda's retry comes later), one after it takes the day over and mails.
     */
    @Test
    void aDayClaimedByARunThatStoppedIsTakenOverOnceStale() {
        failed("stopped@example.com", RequestType.ACCESS);
        claims.days.put(LocalDate.parse("2026-11-25"), new InMemoryDayClaims.Claim("CLAIMED", "stopped-run",
                f.clock.instant()));

        f.clock.advance(Duration.ofSeconds(60));
        assertThrows(IllegalStateException.class, digest::run);
        assertTrue(f.mailer.to(OWNER).isEmpty());

        f.clock.advance(DigestService.CLAIM_STALE_AFTER);
        assertEquals(DigestService.Outcome.MAILED, digest.run().outcome());
        assertEquals(1, f.mailer.to(OWNER).size());
    }

    /** A request whose run (a retry the owner pressed late) is under way at the digest is listed, overdue. */
    @Test
    void anOverdueRequestSaysSo() {
        String id = f.intake.submit(new EmailAddress("late@example.com"), RequestType.ACCESS, Optional.empty(),
                "api", BASE).orElseThrow();
        f.requests.transition(id, RequestStatus.RECEIVED, RequestStatus.FAILED, f.clock.instant());
        f.clock.advance(Duration.ofDays(31));
        f.requests.transition(id, RequestStatus.FAILED, RequestStatus.VERIFIED, f.clock.instant());
        f.requests.append(id, AuditEntry.of(f.clock.instant(), "retried", "an owner of the back office tried it again"));

        digest.run();

        assertTrue(f.mailer.last(OWNER).text().contains("OVERDUE"));
        assertEquals(RequestStatus.VERIFIED, f.requests.find(id).orElseThrow().status(), "a running request is left to run");
    }

    /**
     * A request still failed at its due date lapses: closed, its address and correction forgotten,
     * its trail kept with a line saying so, and the owner's digest lists it once. One failed but
     * not yet due keeps its address.
     */
    @Test
    void aRequestStillFailedAtItsDueDateLapsesAndForgetsItsAddress() {
        String due = failed("due@example.com", RequestType.CORRECT);
        f.clock.advance(Duration.ofDays(1));
        String notYet = failed("later@example.com", RequestType.DELETE);
        f.clock.advance(Duration.ofDays(29));

        assertEquals(1, digest.run().open());

        PrivacyRequest lapsed = f.requests.find(due).orElseThrow();
        assertEquals(RequestStatus.LAPSED, lapsed.status());
        assertTrue(lapsed.email().isEmpty() && lapsed.correction().isEmpty(), "the address and correction forgotten");
        assertTrue(f.requests.sourceIps(due).isEmpty());
        AuditEntry last = f.requests.audit(due).get(f.requests.audit(due).size() - 1);
        assertEquals("lapsed", last.event());
        assertFalse(f.requests.holdsAddress("due@example.com"));
        assertEquals("later@example.com", f.requests.find(notYet).orElseThrow().email().orElseThrow().value());
        var mail = f.mailer.last(OWNER);
        assertEquals("[privacy] 1 open request(s), 1 lapsed", mail.subject());
        assertTrue(mail.text().contains("closed as lapsed") && mail.text().contains(due), mail.text());
        assertFalse(mail.text().contains("@"), "no addresses in the owner's mail");

        f.clock.advance(Duration.ofDays(1));
        digest.run();
        assertFalse(f.mailer.last(OWNER).text().contains(due), "listed once");
    }

    private String failed(String email, RequestType type) {
        Optional<Correction> correction = type == RequestType.CORRECT
                ? Optional.of(new Correction(Optional.of("Ada King"), Optional.empty())) : Optional.empty();
        String id = f.intake.submit(new EmailAddress(email), type, correction, "api", BASE).orElseThrow();
        f.requests.addSourceIp(id, "203.0.113.9");
        f.requests.transition(id, RequestStatus.RECEIVED, RequestStatus.VERIFIED, f.clock.instant());
        f.requests.transition(id, RequestStatus.VERIFIED, RequestStatus.FAILED, f.clock.instant());
        return id;
    }
}
