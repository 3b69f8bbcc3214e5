package shop.privacy.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.PrivacyFixture.BASE;
import static shop.privacy.testing.PrivacyFixture.OWNER;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;
import shop.privacy.PrivacyRequest;
import shop.privacy.RequestStatus;
import shop.privacy.RequestType;
import shop.privacy.testing.PrivacyFixture;

class DigestServiceTest {
    private final PrivacyFixture f = new PrivacyFixture();
    private final DigestService digest = new DigestService(f.requests, f.mailer, f.mails, new EmailAddress(OWNER), f.clock);

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

        assertEquals(1, digest.run());

        PrivacyRequest expired = f.requests.find(stale).orElseThrow();
        assertEquals(RequestStatus.EXPIRED, expired.status());
        assertTrue(expired.email().isEmpty(), "an expired request forgets the address");
        String text = f.mailer.last(OWNER).text();
        assertTrue(text.contains(fresh) && text.contains("delete") && text.contains("failed"), text);
        assertTrue(text.contains("25 day(s) left"), text);
        assertFalse(text.contains(stale));
        assertFalse(text.contains("fresh@example.com"), "no addresses in the owner's mail");
    }

    @Test
    void noMailWhenNothingIsOpen() {
        assertEquals(0, digest.run());
        assertTrue(f.mailer.sent.isEmpty());
    }

    @Test
    void anOverdueRequestSaysSo() {
        String id = f.intake.submit(new EmailAddress("late@example.com"), RequestType.ACCESS, Optional.empty(),
                "api", BASE).orElseThrow();
        f.requests.transition(id, RequestStatus.RECEIVED, RequestStatus.VERIFIED, f.clock.instant());
        f.clock.advance(Duration.ofDays(31));

        digest.run();

        assertTrue(f.mailer.last(OWNER).text().contains("OVERDUE"));
    }
}
