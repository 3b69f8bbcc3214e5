package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendServiceTest {
    private static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T09:00:00Z"), ZoneOffset.UTC);

    private final Fakes.Campaigns campaigns = new Fakes.Campaigns();
    private final Fakes.Records records = new Fakes.Records();
    private final Fakes.People people = new Fakes.People();
    private final Fakes.Mailer mailer = new Fakes.Mailer();
    private final List<String> readers = new ArrayList<>();
    private SendService service;

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 10; i++) {
            readers.add("reader" + i + "@example.com");
        }
        people.confirmed.addAll(readers);
        campaigns.create(new Campaign("c1", "Winter", "<p>Hi</p>", "Hi", Campaign.Status.DISPATCHED, CLOCK.instant(),
                CLOCK.instant(), "owner", 1, CampaignCounts.NONE));
        service = new SendService(campaigns, records, people.suppressed::contains, people,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1000, Pacer.SYSTEM), CLOCK);
    }

    @Test
    void givenTheSameBatchTwice_thenOneMailPerRecipient() {
        service.send("c1", readers, NO_DEADLINE);
        service.send("c1", readers, NO_DEADLINE);
        for (String reader : readers) {
            assertEquals(1, mailer.to(reader), reader);
        }
        assertEquals(10, campaigns.counts("c1").sent());
    }

    @Test
    void aSuppressionBeforeTheSendIsHonoured() {
        people.suppressed.add("reader3@example.com");
        service.send("c1", readers, NO_DEADLINE);
        assertEquals(0, mailer.to("reader3@example.com"));
        assertEquals(9, mailer.sent.size());
    }

    @Test
    void someoneNoLongerSubscribedIsSkippedAndCounted() {
        people.confirmed.remove("reader4@example.com");
        service.send("c1", readers, NO_DEADLINE);
        assertEquals(0, mailer.to("reader4@example.com"));
        assertEquals(1, campaigns.counts("c1").skipped());
        assertEquals(10, campaigns.counts("c1").recipients());
    }

    @Test
    void aPausedCampaignSendsNothingAndAResumedOneOnlyToThoseNotReached() {
        service.send("c1", readers.subList(0, 4), NO_DEADLINE);
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        service.send("c1", readers, NO_DEADLINE);
        assertEquals(4, mailer.sent.size(), "nothing while paused");
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, null, true);
        service.send("c1", readers, NO_DEADLINE);
        assertEquals(10, mailer.sent.size());
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
    }

    @Test
    void whenSesRefusesAMail_theRetrySendsIt() {
        mailer.failNext = new IllegalStateException("Throttling");
        assertThrows(IllegalStateException.class, () -> service.send("c1", readers, NO_DEADLINE));
        service.send("c1", readers, NO_DEADLINE);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
    }

    @Test
    void whenStoringTheLinkFailsAfterTheClaim_theRetrySendsIt() {
        // The claim is made, then the subscriber write (a TransactWriteItems that DynamoDB may
        // cancel or throttle) fails before anything reached SES: the retry must still mail the person.
        var failing = new Recipients() {
            boolean failed;

            @Override
            public java.util.Optional<shop.core.email.EmailAddress> issueUnsubscribeLink(String addressHash,
                    String campaignId, String tokenHash, Instant expiresAt, Instant now) {
                if (!failed && addressHash.equals("reader5@example.com")) {
                    failed = true;
                    throw new IllegalStateException("TransactionCanceled");
                }
                return people.issueUnsubscribeLink(addressHash, campaignId, tokenHash, expiresAt, now);
            }
        };
        var service = new SendService(campaigns, records, people.suppressed::contains, failing,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1000, Pacer.SYSTEM), CLOCK);
        assertThrows(IllegalStateException.class, () -> service.send("c1", readers, NO_DEADLINE));
        service.send("c1", readers, NO_DEADLINE);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(10, campaigns.counts("c1").recipients(), "a released claim is not counted twice");
        assertEquals(10, campaigns.counts("c1").sent());
    }

    /**
     * Lambda stops a function at its timeout without running its code: a recipient claimed then
     * would never get the campaign. So the batch stops before claiming the one it has no time for.
     */
    @Test
    void withTooLittleTimeLeftTheBatchStopsBeforeClaimingAndTheRetrySendsTheRest() {
        long[] remaining = {60_000};
        LongSupplier clock = () -> remaining[0] -= 12_000;
        assertThrows(SendService.OutOfTimeException.class, () -> service.send("c1", readers, clock));
        assertEquals(4, mailer.sent.size(), "60 s left, 12 s gone by each mail, 10 s needed for one more: four went");
        assertEquals(4, records.records.size(), "nobody is claimed without the time to mail them");
        service.send("c1", readers, NO_DEADLINE);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
    }

    @Test
    void eachMailCarriesItsOwnOneClickLinkAndThePostalAddress() {
        service.send("c1", readers.subList(0, 2), NO_DEADLINE);
        var mail = mailer.sent.get(0);
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
        assertTrue(mail.headers().get("List-Unsubscribe").startsWith("<https://api.example.com/newsletter/unsubscribe?token="));
        assertTrue(mail.text().contains("1 Main St") && mail.html().contains("1 Main St"));
        assertTrue(!mail.headers().get("List-Unsubscribe").equals(mailer.sent.get(1).headers().get("List-Unsubscribe")));
        assertEquals(2, people.tokens.size(), "each link's token is stored, naming the campaign");
    }
}
