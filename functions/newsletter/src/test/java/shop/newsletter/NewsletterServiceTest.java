package shop.newsletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.mail.Suppression;
import shop.core.privacy.PrivacySignals;
import shop.core.ratelimit.RateLimiter;
import shop.core.security.AddressHasher;
import shop.local.stack.MutableClock;

class NewsletterServiceTest {
    private static final String BASE = "https://api.example.test";
    private static final String IP = "203.0.113.77";
    private static final RequestOrigin ORIGIN = RequestOrigin.of("203.0.113.77", "Mozilla/5.0 Test");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemorySubscriberStore store = new InMemorySubscriberStore(clock);
    private final RecordingMailer mailer = new RecordingMailer();
    private final CountingRateLimiter limiter = new CountingRateLimiter();
    private final AddressHasher hasher = new AddressHasher("test-key-test-key-test-key-test-key!");
    /** What the form queued, as the queue carries it (JSON); delivered to the worker at once unless held. */
    private final List<String> queued = new ArrayList<>();
    private boolean holdQueue;
    private NewsletterService service;
    private SignupService worker;

    @BeforeEach
    void setUp() {
        worker = new SignupService(store, mailer, limiter, hasher, new NewsletterMails("Test Jewelry"), clock);
        service = new NewsletterService(store, signup -> {
            queued.add(signup.toJson());
            if (!holdQueue) {
                worker.complete(PendingSignup.parse(signup.toJson()));
            }
        }, limiter, hasher, "2016-07-01", clock);
    }

    /** Issue 13, finding 4: the form's answer does the same work whatever the address's state. */
    @Test
    void theFormOnlyQueuesTheSignupWhateverIsKnownOfTheAddress() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        service.confirm(RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm"), ORIGIN);
        store.suppressions.put(hasher.hash(new EmailAddress("gone@example.com")),
                new Suppression(Suppression.UNSUBSCRIBE, clock.instant()));
        holdQueue = true;
        queued.clear();
        int mails = mailer.sent.size();
        var subscribers = new HashMap<>(store.subscribers);
        int tokens = store.tokens.size();

        for (String email : List.of("ada@example.com", "gone@example.com", "new@example.com")) {
            service.requestSignup(signup(email), ORIGIN, IP, BASE);
        }

        assertEquals(3, queued.size(), "each signup is queued, confirmed or not");
        assertEquals(mails, mailer.sent.size(), "no mail from the form");
        assertEquals(subscribers, store.subscribers, "no subscriber written by the form");
        assertEquals(tokens, store.tokens.size(), "no token written by the form");
        var message = PendingSignup.parse(queued.get(2));
        assertEquals("new@example.com", message.request().email().value());
        assertEquals("footer", message.request().source());
        assertEquals("2016-07-01", message.policyVersion());
        assertEquals(ORIGIN, message.origin());
        assertEquals(BASE, message.baseUrl());
        assertEquals(clock.instant(), message.requestedAt());
    }

    @Test
    void signupSendsOneConfirmationMailWithBothLinksAndOneClickHeaders() {
        service.requestSignup(signup("Ada@Example.com"), ORIGIN, IP, BASE);

        assertEquals(1, mailer.sent.size());
        var mail = mailer.last();
        assertEquals("ada@example.com", mail.to().value());
        assertTrue(mail.text().contains(BASE + "/newsletter/confirm?token="));
        assertTrue(mail.html().contains(BASE + "/newsletter/confirm?token="));
        assertTrue(mail.headers().get("List-Unsubscribe").startsWith("<" + BASE + "/newsletter/unsubscribe?token="));
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
        var pending = store.find(hasher.hash(new EmailAddress("ada@example.com"))).orElseThrow();
        assertEquals(Subscriber.Status.PENDING, pending.status());
    }

    @Test
    void tokensAreStoredOnlyAsHashes() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String token = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");

        assertFalse(store.tokens.containsKey(token));
        assertTrue(store.tokens.values().stream().noneMatch(t -> t.tokenHash().contains(token)));
    }

    @Test
    void confirmKeepsTheConsentProofAndIsIdempotent() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String token = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");
        clock.advance(Duration.ofMinutes(5));

        service.confirm(token, RequestOrigin.of("2001:db8:abcd:12::1", "Mail app"));
        service.confirm(token, RequestOrigin.of("198.51.100.1", "Another click"));

        var subscriber = store.find(hasher.hash(new EmailAddress("ada@example.com"))).orElseThrow();
        assertEquals(Subscriber.Status.CONFIRMED, subscriber.status());
        var consent = subscriber.consent();
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), consent.givenAt());
        assertEquals(Instant.parse("2026-11-25T10:05:00Z"), consent.confirmedAt());
        assertEquals("2016-07-01", consent.policyVersion());
        assertEquals("footer", consent.source());
        assertEquals("203.0.113.0/24", consent.signupOrigin().ipPrefix());
        assertEquals("2001:db8:abcd::/48", consent.confirmationOrigin().ipPrefix());
        assertEquals("Mail app", consent.confirmationOrigin().userAgent());
        assertTrue(consent.ageConfirmed());
    }

    @Test
    void aGlobalPrivacyControlSignalAtSignupIsKeptInTheConsentProof() {
        var withGpc = RequestOrigin.of(IP, "Mozilla/5.0 Test", PrivacySignals.of("1", null));
        service.requestSignup(signup("ada@example.com"), withGpc, IP, BASE);
        service.confirm(RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm"), ORIGIN);

        var consent = store.find(hasher.hash(new EmailAddress("ada@example.com"))).orElseThrow().consent();
        assertEquals(List.of("Sec-GPC"), consent.signupOrigin().optOutSignals());
        assertEquals(List.of(), consent.confirmationOrigin().optOutSignals());
    }

    @Test
    void expiredConfirmationLinkChangesNothing() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String token = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");
        clock.advance(Duration.ofHours(48).plusSeconds(1));

        assertThrows(NotFoundException.class, () -> service.confirm(token, ORIGIN));
        assertTrue(store.find(hasher.hash(new EmailAddress("ada@example.com"))).isEmpty());
    }

    @Test
    void malformedOrUnknownTokensAreRejectedWithoutALookupChange() {
        assertThrows(NotFoundException.class, () -> service.confirm("../../etc/passwd", ORIGIN));
        assertThrows(NotFoundException.class, () -> service.confirm("A".repeat(43), ORIGIN));
        assertThrows(NotFoundException.class, () -> service.unsubscribe(""));
    }

    @Test
    void anUnsubscribeTokenCannotConfirmAndAConfirmTokenCannotUnsubscribe() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String confirm = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");
        String unsubscribe = RecordingMailer.tokenFrom(mailer.last().headers().get("List-Unsubscribe"),
                "/newsletter/unsubscribe");

        assertThrows(NotFoundException.class, () -> service.confirm(unsubscribe, ORIGIN));
        assertThrows(NotFoundException.class, () -> service.unsubscribe(confirm));
    }

    @Test
    void unsubscribeRemovesTheSubscriberAndItsLinksAndKeepsOnlyTheSuppressionHash() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String confirm = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");
        String unsubscribe = RecordingMailer.tokenFrom(mailer.last().headers().get("List-Unsubscribe"),
                "/newsletter/unsubscribe");
        service.confirm(confirm, ORIGIN);

        service.unsubscribe(unsubscribe);
        service.unsubscribe(unsubscribe);

        String hash = hasher.hash(new EmailAddress("ada@example.com"));
        assertTrue(store.find(hash).isEmpty());
        assertEquals(Optional.of(new Suppression(Suppression.UNSUBSCRIBE, clock.instant())), store.suppression(hash));
        assertEquals(1, store.tokens.size(), "only the used unsubscribe token stays, to answer repeats");
        assertTrue(store.tokens.values().iterator().next().used());
    }

    /** Issue 13, finding 3: a complaint (or erasure) recorded after the signup stands. */
    @Test
    void aConfirmOfASignupRequestedBeforeASuppressionNeverLiftsIt() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        String confirm = RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm");
        String hash = hasher.hash(new EmailAddress("ada@example.com"));
        clock.advance(Duration.ofMinutes(1));
        var complaint = new Suppression("complaint", clock.instant());
        store.suppressions.put(hash, complaint);
        clock.advance(Duration.ofMinutes(1));

        assertThrows(NotFoundException.class, () -> service.confirm(confirm, ORIGIN));

        assertEquals(Subscriber.Status.PENDING, store.find(hash).orElseThrow().status());
        assertEquals(Optional.of(complaint), store.suppression(hash));
    }

    @Test
    void aSignupRequestedAfterTheSuppressionLiftsItWhenConfirmed() {
        String hash = hasher.hash(new EmailAddress("ada@example.com"));
        store.suppressions.put(hash, new Suppression(Suppression.ERASURE, clock.instant()));
        clock.advance(Duration.ofMinutes(1));

        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        service.confirm(RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm"), ORIGIN);

        assertEquals(Subscriber.Status.CONFIRMED, store.find(hash).orElseThrow().status());
        assertEquals(Optional.empty(), store.suppression(hash));
    }

    @Test
    void confirmedAddressGetsNoNewMailButTheSameAnswer() {
        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);
        service.confirm(RecordingMailer.tokenFrom(mailer.last().text(), "/newsletter/confirm"), ORIGIN);

        service.requestSignup(signup("ada@example.com"), ORIGIN, IP, BASE);

        assertEquals(1, mailer.sent.size());
    }

    @Test
    void atMostThreeConfirmationMailsPerAddressPerDay() {
        for (int i = 0; i < 5; i++) {
            service.requestSignup(signup("ada@example.com"), ORIGIN, "203.0.113." + i, BASE);
        }
        assertEquals(SignupService.MAILS_PER_ADDRESS_PER_DAY, mailer.sent.size());
    }

    @Test
    void anIpThatSignsUpTooManyAddressesIsCutOff() {
        for (int i = 0; i < NewsletterService.SIGNUPS_PER_IP_PER_HOUR + 5; i++) {
            service.requestSignup(signup("person" + i + "@example.com"), ORIGIN, IP, BASE);
        }
        assertEquals(NewsletterService.SIGNUPS_PER_IP_PER_HOUR, mailer.sent.size());
    }

    /** An IPv6 client holds its whole /64: a new address in it for every signup is still one client. */
    @Test
    void anIpv6ClientChangingAddressInsideItsSlash64IsCutOffAsOneClient() {
        for (int i = 0; i < NewsletterService.SIGNUPS_PER_IP_PER_HOUR + 5; i++) {
            service.requestSignup(signup("six" + i + "@example.com"), ORIGIN, "2001:db8:9:9::" + Integer.toHexString(i + 1),
                    BASE);
        }
        assertEquals(NewsletterService.SIGNUPS_PER_IP_PER_HOUR, mailer.sent.size());
    }

    @Test
    void signupWithoutConsentOrAgeAttestationIsRejected() {
        var noConsent = assertThrows(InvalidInputException.class,
                () -> SignupRequest.of("ada@example.com", false, true, Optional.empty()));
        assertEquals("consent", noConsent.field());
        var under13 = assertThrows(InvalidInputException.class,
                () -> SignupRequest.of("ada@example.com", true, false, Optional.empty()));
        assertEquals("ageConfirmed", under13.field());
    }

    private static SignupRequest signup(String email) {
        return SignupRequest.of(email, true, true, Optional.of("footer"));
    }

    /** Counts per key and window like the DynamoDB limiter, in memory. */
    private final class CountingRateLimiter implements RateLimiter {
        private final Map<String, Integer> hits = new HashMap<>();

        @Override
        public boolean tryAcquire(String key, int limit, Duration window) {
            long windowStart = clock.instant().getEpochSecond() / window.toSeconds();
            return hits.merge(key + "#" + windowStart, 1, Integer::sum) <= limit;
        }
    }
}
