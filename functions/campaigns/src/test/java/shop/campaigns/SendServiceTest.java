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
    /** The recipients queue's maxReceiveCount as template.yaml sets it: the fifth receive is the last. */
    private static final int MAX_RECEIVES = 5;

    private final Fakes.Campaigns campaigns = new Fakes.Campaigns();
    private final Fakes.Records records = new Fakes.Records(campaigns);
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
        campaigns.count("c1", "queued", readers.size());
        campaigns.create(new Campaign("c1", "Winter", "<p>Hi</p>", "Hi", Campaign.Status.DISPATCHED, CLOCK.instant(),
                CLOCK.instant(), "owner", 1, CampaignCounts.NONE, null));
        service = new SendService(campaigns, records, people.suppressed::contains, people,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1000, Pacer.SYSTEM), CLOCK, MAX_RECEIVES);
    }

    @Test
    void givenTheSameBatchTwice_thenOneMailPerRecipient() {
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        for (String reader : readers) {
            assertEquals(1, mailer.to(reader), reader);
        }
        assertEquals(10, campaigns.counts("c1").sent());
    }

    @Test
    void aSuppressionBeforeTheSendIsHonoured() {
        people.suppressed.add("reader3@example.com");
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        assertEquals(0, mailer.to("reader3@example.com"));
        assertEquals(9, mailer.sent.size());
    }

    @Test
    void someoneNoLongerSubscribedIsSkippedAndCounted() {
        people.confirmed.remove("reader4@example.com");
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        assertEquals(0, mailer.to("reader4@example.com"));
        assertEquals(1, campaigns.counts("c1").skipped());
        assertEquals(10, campaigns.counts("c1").recipients());
    }

    @Test
    void aPausedCampaignSendsNothingAndAResumedOneOnlyToThoseNotReached() {
        service.send("c1", 1, readers.subList(0, 4), NO_DEADLINE, 1);
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        assertEquals(4, mailer.sent.size(), "nothing while paused");
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, null, true);
        service.send("c1", 2, readers, NO_DEADLINE, 1);
        assertEquals(10, mailer.sent.size());
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
    }

    /**
     * A resumed campaign's sender finds a recipient claimed by the paused pass's sender, which then fails before SES
     * accepted the mail and releases its claim, between our refused claim and our read of it: nobody mailed them, so
     * they are claimed again and mailed, and counted once.
     */
    @Test
    void aClaimReleasedBetweenOurRefusedClaimAndItsReadIsClaimedAgainAndMailed() {
        String reader = readers.get(0);
        assertEquals(SendRecords.Claim.NEW, records.claim("c1", reader, 1, CLOCK.instant())); // the first pass, mid-send
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, null, true);
        records.beforeAdopt = () -> records.release("c1", reader, SendRecords.Claim.NEW);

        service.send("c1", 2, List.of(reader), NO_DEADLINE, 1);

        assertEquals(1, mailer.to(reader), "mailed by the resumed pass");
        assertEquals(1, campaigns.counts("c1").sent());
        assertEquals(1, campaigns.counts("c1").recipients());
    }

    @Test
    void whenSesRefusesAMail_theRetrySendsIt() {
        mailer.failNext = new IllegalStateException("Throttling");
        assertThrows(IllegalStateException.class, () -> service.send("c1", 1, readers, NO_DEADLINE, 1));
        service.send("c1", 1, readers, NO_DEADLINE, 1);
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
                new Pacer(1000, Pacer.SYSTEM), CLOCK, MAX_RECEIVES);
        assertThrows(IllegalStateException.class, () -> service.send("c1", 1, readers, NO_DEADLINE, 1));
        service.send("c1", 1, readers, NO_DEADLINE, 1);
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
        assertThrows(SendService.OutOfTimeException.class, () -> service.send("c1", 1, readers, clock, 1));
        assertEquals(4, mailer.sent.size(), "60 s left, 12 s gone by each mail, 10 s needed for one more: four went");
        assertEquals(4, records.records.size(), "nobody is claimed without the time to mail them");
        service.send("c1", 1, readers, NO_DEADLINE, 1);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
    }

    @Test
    void eachMailCarriesItsOwnOneClickLinkAndThePostalAddress() {
        service.send("c1", 1, readers.subList(0, 2), NO_DEADLINE, 1);
        var mail = mailer.sent.get(0);
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
        assertTrue(mail.headers().get("List-Unsubscribe").startsWith("<https://api.example.com/newsletter/unsubscribe?token="));
        assertTrue(mail.text().contains("1 Main St") && mail.html().contains("1 Main St"));
        assertTrue(!mail.headers().get("List-Unsubscribe").equals(mailer.sent.get(1).headers().get("List-Unsubscribe")));
        assertEquals(2, people.tokens.size(), "each link's token is stored, naming the campaign");
    }

    // --- SENT: the campaign finishes when the last recipient of its pass is handled ---

    @Test
    void theLastRecipientHandledMakesTheCampaignSentOnce() {
        service.send("c1", 1, readers.subList(0, 9), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c1").orElseThrow().status(), "one still to go");

        service.send("c1", 1, readers.subList(9, 10), NO_DEADLINE, 1);

        Campaign sent = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, sent.status());
        assertEquals(CLOCK.instant(), sent.finishedAt());
        assertEquals(10, sent.counts().handled());
        assertEquals(10, sent.counts().sent());
        assertEquals(List.of("c1"), campaigns.finished, "made SENT by one call");
    }

    @Test
    void aRedeliveredBatchNeitherCountsTwiceNorFinishesEarly() {
        service.send("c1", 1, readers.subList(0, 5), NO_DEADLINE, 1);
        service.send("c1", 1, readers.subList(0, 5), NO_DEADLINE, 1);
        service.send("c1", 1, readers.subList(3, 9), NO_DEADLINE, 1);

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(9, campaign.counts().handled(), "each recipient once");
        assertEquals(Campaign.Status.DISPATCHED, campaign.status(), "reader9 is still to be sent");
        assertEquals(9, mailer.sent.size());

        service.send("c1", 1, readers.subList(9, 10), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());
        assertEquals(10, campaigns.counts("c1").handled());
    }

    @Test
    void theSuppressedAndThoseWhoLeftAreHandledToo() {
        people.suppressed.add("reader3@example.com");
        people.confirmed.remove("reader4@example.com");

        service.send("c1", 1, readers, NO_DEADLINE, 1);
        service.send("c1", 1, readers.subList(3, 5), NO_DEADLINE, 1);

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(8, campaign.counts().sent());
        assertEquals(2, campaign.counts().skipped(), "suppressed once, unsubscribed once, whatever the redeliveries");
        assertEquals(10, campaign.counts().recipients());
        assertEquals(List.of("c1"), campaigns.finished);
    }

    @Test
    void aPausedAndResumedCampaignFinishesOnItsFinalPassOnly() {
        campaigns.create(new Campaign("c2", "Spring", "<p>Hi</p>", "Hi", Campaign.Status.SCHEDULED, CLOCK.instant(),
                CLOCK.instant(), "owner", 1, CampaignCounts.NONE, null));
        var queue = new Fakes.Queue();
        var dispatcher = new DispatchService(campaigns, people, queue, CLOCK);
        dispatcher.run(() -> 60_000);
        service.send("c2", 1, readers.subList(0, 4), NO_DEADLINE, 1);
        campaigns.transition("c2", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        service.send("c2", 1, readers.subList(4, 10), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.PAUSED, campaigns.find("c2").orElseThrow().status());

        campaigns.transition("c2", Set.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, null, true);
        // A message of the first pass still in the queue goes out in the second: mailed, but it
        // does not count for the second pass, whose own message counts those people.
        service.send("c2", 1, readers.subList(4, 6), NO_DEADLINE, 1);
        dispatcher.run(() -> 60_000);
        Campaign second = campaigns.find("c2").orElseThrow();
        assertEquals(2, second.pass());
        assertEquals(0, second.counts().handled(), "nothing of the second pass is handled yet");
        assertEquals(List.of(1, 2), queue.passes);

        service.send("c2", 2, readers.subList(0, 9), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c2").orElseThrow().status(), "reader9 still to go");
        service.send("c2", 2, readers.subList(9, 10), NO_DEADLINE, 1);

        Campaign done = campaigns.find("c2").orElseThrow();
        assertEquals(Campaign.Status.SENT, done.status());
        assertEquals(10, done.counts().handled(), "those reached in the first pass count once in the second");
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(List.of("c2"), campaigns.finished);
    }

    @Test
    void whenTheSendersAreThroughBeforeTheDispatcherMarksItDispatched_theDispatcherFinishesIt() {
        campaigns.create(new Campaign("c3", "Autumn", "<p>Hi</p>", "Hi", Campaign.Status.SENDING, CLOCK.instant(),
                CLOCK.instant(), "owner", 1, CampaignCounts.NONE, null));
        // The dispatcher queued its one page and stopped before saving it as dispatched; the
        // senders handle everyone while the campaign still reads SENDING.
        service.send("c3", 1, readers, NO_DEADLINE, 1);
        assertEquals(Campaign.Status.SENDING, campaigns.find("c3").orElseThrow().status());

        new DispatchService(campaigns, people, new Fakes.Queue(), CLOCK).run(() -> 60_000);

        assertEquals(Campaign.Status.SENT, campaigns.find("c3").orElseThrow().status());
        assertEquals(10, campaigns.counts("c3").queued());
    }

    @Test
    void aClaimLeftByASenderThatStoppedIsGivenUpSoThePassEnds() {
        // A sender stopped between the claim and SES's answer ten minutes ago: the record stays.
        records.claim("c1", "reader2@example.com", 1, CLOCK.instant().minusSeconds(600));
        // Another's claim of a moment ago is still being sent: not given up.
        records.claim("c1", "reader5@example.com", 1, CLOCK.instant().minusSeconds(5));

        service.send("c1", 1, readers, NO_DEADLINE, 1);

        assertEquals(0, mailer.to("reader2@example.com"), "at most once: no second mail");
        assertEquals(9, campaigns.counts("c1").handled(), "the stopped one given up, the one in flight not counted");
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c1").orElseThrow().status());

        // That other sender stopped too; its message comes back after the queue's visibility timeout.
        var later = new SendService(campaigns, records, people.suppressed::contains, people,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1000, Pacer.SYSTEM), Clock.offset(CLOCK, java.time.Duration.ofMinutes(9)), MAX_RECEIVES);
        later.send("c1", 1, readers.subList(5, 6), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());
        CampaignCounts counts = campaigns.counts("c1");
        assertEquals(10, counts.handled());
        assertEquals(8, counts.sent());
        assertEquals(2, counts.givenUp(), "the owner sees who may or may not have had it");
    }

    @Test
    void aMessageWithoutItsPassCountsInTheCampaignsCurrentPass() {
        service.send("c1", 0, readers, NO_DEADLINE, 1);
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());
    }

    // --- The dead-letter queue: failed on the last receive, sent once when redriven ---

    /** SES refuses every mail through all the receives of the message; the fifth is its last. */
    private void failEveryReceive(List<String> batch) {
        mailer.failAll = new IllegalStateException("MessageRejected");
        CampaignCounts before = campaigns.counts("c1");
        for (int receive = 1; receive < MAX_RECEIVES; receive++) {
            int count = receive;
            assertThrows(IllegalStateException.class, () -> service.send("c1", 1, batch, NO_DEADLINE, count));
            assertEquals(before, campaigns.counts("c1"), "not the last receive: nothing counted, the retry tries again");
        }
        assertThrows(IllegalStateException.class, () -> service.send("c1", 1, batch, NO_DEADLINE, MAX_RECEIVES),
                "the message still fails, so it waits in the dead-letter queue");
    }

    @Test
    void whenEveryAttemptFailsOnTheLastReceive_theRecipientsAreCountedFailedAndTheCampaignIsSent() {
        service.send("c1", 1, readers.subList(0, 6), NO_DEADLINE, 1);
        failEveryReceive(readers.subList(6, 10));

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status(), "every recipient handled: sent or failed");
        assertEquals(CLOCK.instant(), campaign.finishedAt());
        assertEquals(10, campaign.counts().handled());
        assertEquals(6, campaign.counts().sent());
        assertEquals(4, campaign.counts().failed());
        assertEquals(10, campaign.counts().recipients(), "each failed one counted as a recipient once");
        assertEquals(6, mailer.sent.size());
        assertEquals(List.of("c1"), campaigns.finished);
    }

    @Test
    void onTheLastReceiveOneFailureDoesNotStopTheOthers() {
        mailer.failNext = new IllegalStateException("Throttling");
        assertThrows(IllegalStateException.class, () -> service.send("c1", 1, readers, NO_DEADLINE, MAX_RECEIVES));

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(9, campaign.counts().sent(), "the batch went on after the first mail failed");
        assertEquals(1, campaign.counts().failed());
        assertEquals(0, mailer.to("reader0@example.com"));
    }

    @Test
    void onTheLastReceiveThoseNotReachedForWantOfTimeAreCountedFailed() {
        long[] remaining = {60_000};
        LongSupplier clock = () -> remaining[0] -= 12_000;
        assertThrows(SendService.OutOfTimeException.class,
                () -> service.send("c1", 1, readers, clock, MAX_RECEIVES));

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(4, campaign.counts().sent());
        assertEquals(6, campaign.counts().failed(), "not tried, no mail, and handled");
        assertEquals(4, mailer.sent.size());

        service.send("c1", 1, readers, NO_DEADLINE, 1);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(0, campaigns.counts("c1").failed());
    }

    @Test
    void aRedriveSendsEachFailedRecipientOnceAndMovesThemFromFailedToSent() {
        service.send("c1", 1, readers.subList(0, 6), NO_DEADLINE, 1);
        failEveryReceive(readers.subList(6, 10));
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());

        // SES works again; the redriven message is received afresh (its count starts over).
        mailer.failAll = null;
        assertEquals(4, service.send("c1", 1, readers.subList(6, 10), NO_DEADLINE, 1), "the SENT campaign still sends them");

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(10, campaign.counts().sent());
        assertEquals(0, campaign.counts().failed());
        assertEquals(10, campaign.counts().handled(), "handled in their pass already: not counted twice");
        assertEquals(10, campaign.counts().recipients());
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(List.of("c1"), campaigns.finished, "made SENT once");
    }

    @Test
    void givenARedrivenMessageTwice_thenOneMailEachAndCountedOnce() {
        failEveryReceive(readers);
        mailer.failAll = null;

        service.send("c1", 1, readers, NO_DEADLINE, 1);
        assertEquals(0, service.send("c1", 1, readers, NO_DEADLINE, 1), "the duplicate mails nobody");
        service.send("c1", 1, readers.subList(2, 5), NO_DEADLINE, MAX_RECEIVES);

        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        CampaignCounts counts = campaigns.counts("c1");
        assertEquals(10, counts.sent());
        assertEquals(0, counts.failed());
        assertEquals(10, counts.handled());
    }

    @Test
    void aRedriveThatFailsAgainLeavesThemFailedOnceAndTheNextRedriveSendsThem() {
        failEveryReceive(readers.subList(0, 3));
        mailer.failAll = null;
        service.send("c1", 1, readers.subList(3, 10), NO_DEADLINE, 1);
        assertEquals(3, campaigns.counts("c1").failed());

        // Redriven too early: SES still refuses, through the message's receives again.
        failEveryReceive(readers.subList(0, 3));
        CampaignCounts still = campaigns.counts("c1");
        assertEquals(3, still.failed(), "still the same three, not counted again");
        assertEquals(10, still.handled());
        assertEquals(10, still.recipients());

        mailer.failAll = null;
        service.send("c1", 1, readers.subList(0, 3), NO_DEADLINE, 1);
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(0, campaigns.counts("c1").failed());
        assertEquals(10, campaigns.counts("c1").sent());
    }

    @Test
    void aFailedRecipientWhoUnsubscribedBeforeTheRedriveIsSkipped() {
        failEveryReceive(readers.subList(0, 2));
        people.confirmed.remove("reader0@example.com");
        people.suppressed.add("reader1@example.com");
        mailer.failAll = null;

        service.send("c1", 1, readers, NO_DEADLINE, 1);

        CampaignCounts counts = campaigns.counts("c1");
        assertEquals(0, counts.failed());
        assertEquals(2, counts.skipped());
        assertEquals(8, counts.sent());
        assertEquals(10, counts.handled());
        assertEquals(0, mailer.to("reader0@example.com") + mailer.to("reader1@example.com"));
    }

    @Test
    void aNewPassSendsToAFailedRecipientAndTheirRedrivenMessageThenSendsNothingMore() {
        failEveryReceive(readers.subList(0, 2));
        mailer.failAll = null;
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.DISPATCHED, null, true);
        campaigns.count("c1", "queued", readers.size());

        service.send("c1", 2, readers, NO_DEADLINE, 1);
        Campaign second = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, second.status());
        assertEquals(10, second.counts().handled(), "each once in the second pass");
        assertEquals(0, second.counts().failed());
        assertEquals(10, second.counts().sent());

        assertEquals(0, service.send("c1", 1, readers.subList(0, 2), NO_DEADLINE, 1), "their message, redriven late");
        readers.forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(10, campaigns.counts("c1").handled());
        assertEquals(10, campaigns.counts("c1").recipients());
    }

    // --- Paused or cancelled while their message is redriven ---

    /** Readers 0 to 2 counted failed; 3 to 8 sent; reader9 still to go, so the campaign is DISPATCHED. */
    private void threeFailedAndOneStillToGo() {
        failEveryReceive(readers.subList(0, 3));
        mailer.failAll = null;
        service.send("c1", 1, readers.subList(3, 9), NO_DEADLINE, 1);
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c1").orElseThrow().status());
        assertEquals(3, campaigns.counts("c1").failed());
    }

    @Test
    void aRedriveWhileThePausedCampaignDropsItsMessage_theResumedPassSendsThemOnce() {
        threeFailedAndOneStillToGo();
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);

        // The owner redrives the dead-letter queue while the campaign is paused: the sender drops it,
        // as it drops any message of a paused campaign.
        assertEquals(0, service.send("c1", 1, readers.subList(0, 3), NO_DEADLINE, 1));
        assertEquals(0, mailer.to("reader0@example.com"), "nothing while paused");
        assertEquals(3, campaigns.counts("c1").failed(), "still failed, not lost");

        // Resumed: the dispatcher queues the audience again in a new pass.
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.DISPATCHED, null, true);
        campaigns.count("c1", "queued", readers.size());
        service.send("c1", 2, readers, NO_DEADLINE, 1);

        readers.forEach(r -> assertEquals(1, mailer.to(r), "one mail to " + r));
        Campaign done = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, done.status());
        CampaignCounts counts = done.counts();
        assertEquals(10, counts.sent());
        assertEquals(0, counts.failed());
        assertEquals(10, counts.handled());
        assertEquals(10, counts.recipients());
    }

    @Test
    void aResumedPassWhoseRetryFailsAgainOnItsLastReceiveCountsThemOnceStillFailed() {
        threeFailedAndOneStillToGo();
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.DISPATCHED, null, true);
        campaigns.count("c1", "queued", 3);

        mailer.failAll = new IllegalStateException("MessageRejected");
        for (int receive = 1; receive <= MAX_RECEIVES; receive++) {
            int count = receive;
            assertThrows(IllegalStateException.class, () -> service.send("c1", 2, readers.subList(0, 3), NO_DEADLINE, count));
        }
        Campaign second = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, second.status(), "handled in the second pass: it ends");
        assertEquals(3, second.counts().handled());
        assertEquals(3, second.counts().failed(), "the same three, counted once");
        assertEquals(9, second.counts().recipients());

        mailer.failAll = null;
        service.send("c1", 2, readers.subList(0, 3), NO_DEADLINE, 1);
        readers.subList(0, 3).forEach(r -> assertEquals(1, mailer.to(r), r));
        assertEquals(0, campaigns.counts("c1").failed());
        assertEquals(3, campaigns.counts("c1").handled(), "not counted twice in the pass");
    }

    @Test
    void aCancelledCampaignSendsNoRedrivenMessageAndItsCountsStillAddUp() {
        threeFailedAndOneStillToGo();
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.CANCELLED, null, false);

        assertEquals(0, service.send("c1", 1, readers.subList(0, 3), NO_DEADLINE, 1));
        assertEquals(0, service.send("c1", 1, readers.subList(0, 3), NO_DEADLINE, MAX_RECEIVES));
        assertEquals(0, service.send("c1", 1, readers, NO_DEADLINE, 1), "nor any other message of it");

        assertEquals(6, mailer.sent.size());
        CampaignCounts counts = campaigns.counts("c1");
        assertEquals(Campaign.Status.CANCELLED, campaigns.find("c1").orElseThrow().status());
        assertEquals(3, counts.failed());
        assertEquals(counts.recipients(), counts.sent() + counts.skipped() + counts.failed() + counts.givenUp());
    }

    // --- A retry's sender stopped between its claim and SES's answer ---

    @Test
    void aRetryLeftByASenderThatStoppedIsGivenUpOnceAndMovesFromFailedToGivenUp() {
        threeFailedAndOneStillToGo();
        // The redrive's sender claimed reader0 ten minutes ago and stopped before SES answered;
        // another claimed reader1 a moment ago and is still sending.
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.RETRY, records.claim("c1", "reader0@example.com", 1, now.minusSeconds(600)));
        assertEquals(SendRecords.Claim.RETRY, records.claim("c1", "reader1@example.com", 1, now.minusSeconds(5)));

        // The stopped sender's message comes back.
        service.send("c1", 1, readers.subList(0, 3), NO_DEADLINE, 2);

        assertEquals(0, mailer.to("reader0@example.com"), "at most once: whether it went out is unknown");
        assertEquals(0, mailer.to("reader1@example.com"), "another sender holds them");
        assertEquals(1, mailer.to("reader2@example.com"));
        CampaignCounts counts = campaigns.counts("c1");
        assertEquals(1, counts.givenUp());
        assertEquals(1, counts.failed(), "reader1's attempt is still under way");
        assertEquals(7, counts.sent());
        assertEquals(9, counts.handled(), "handled in their pass already: not again");
        assertEquals(counts.recipients(), counts.sent() + counts.skipped() + counts.failed() + counts.givenUp());

        // Given up for good: neither a later redrive nor a resumed pass mails them.
        service.send("c1", 1, readers.subList(0, 1), NO_DEADLINE, 1);
        campaigns.transition("c1", Set.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false);
        campaigns.transition("c1", Set.of(Campaign.Status.PAUSED), Campaign.Status.DISPATCHED, null, true);
        campaigns.count("c1", "queued", 1);
        service.send("c1", 2, readers.subList(0, 1), NO_DEADLINE, 1);
        assertEquals(0, mailer.to("reader0@example.com"));
        assertEquals(1, campaigns.counts("c1").givenUp(), "given up once");
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status(), "counted in the new pass");
    }
}
