package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import shop.campaigns.SendRecords.Adopted;
import shop.campaigns.feedback.DynamoMailFeedback;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.dynamo.DynamoItems;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.StoppingDynamo;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A campaign's finish on the campaigns table of the local stack: the counters and the conditional
 * writes as DynamoDB runs them, two senders at once, messages delivered twice.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoCampaignFinishTest {
    private static final Clock CLOCK = Clock.systemUTC();

    private static DynamoCampaignStore store;
    private static DynamoCampaignStore owners;
    private static DynamoSendRecords records;
    private static DynamoMailFeedback feedback;
    private static LocalAws aws;
    /** A client that fails every call from the armed one on, as a function stopped there sends none of them. */
    private static StoppingDynamo stopping;
    private static DynamoDbClient stoppable;
    private static String table;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        table = aws.physicalName("CampaignsTable");
        store = new DynamoCampaignStore(aws.dynamo(), table, CLOCK);
        owners = new DynamoCampaignStore(aws.dynamo(), table,
                new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), CLOCK), CLOCK);
        records = new DynamoSendRecords(aws.dynamo(), table);
        stopping = new StoppingDynamo(aws);
        stoppable = stopping.client();
        feedback = new DynamoMailFeedback(aws.dynamo(), table, aws.physicalName("SubscribersTable"));
    }

    /** Two senders drain a queue in which every message is there twice (SQS delivers at least once). */
    @RepeatedTest(3)
    void twoSendersAndDuplicatedMessages_thenSentOnceWithEveryRecipientCountedOnce() throws Exception {
        List<String> readers = readers(60);
        String id = dispatched(readers);
        ConcurrentLinkedQueue<List<String>> queue = new ConcurrentLinkedQueue<>();
        List<List<String>> messages = new ArrayList<>();
        for (int from = 0; from < readers.size(); from += 5) {
            messages.add(readers.subList(from, from + 5));
        }
        messages.forEach(queue::add);
        messages.forEach(queue::add);
        AtomicInteger madeSent = new AtomicInteger();
        CampaignStore counting = counting(madeSent);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());

        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SendService sender = sender(counting, mails);
                running.add(senders.submit(() -> {
                    for (List<String> batch = queue.poll(); batch != null; batch = queue.poll()) {
                        sender.send(id, 1, batch, () -> Long.MAX_VALUE, 1);
                    }
                }));
            }
            for (Future<?> sender : running) {
                sender.get();
            }
        } finally {
            senders.shutdownNow();
        }

        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertNotNull(campaign.finishedAt());
        assertEquals(1, madeSent.get(), "exactly one sender made it SENT");
        assertEquals(60, campaign.counts().queued());
        assertEquals(60, campaign.counts().handled(), "each recipient counted once");
        assertEquals(60, campaign.counts().sent());
        assertEquals(60, campaign.counts().recipients());
        assertEquals(60, mails.size());
        assertEquals(60, mails.stream().map(m -> m.to().value()).distinct().count(), "one mail each");
    }

    @Test
    void oneShortOfTheQueuedCountItStaysDispatched_andTheLastOneFinishesIt() {
        List<String> readers = readers(3);
        String id = dispatched(readers);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());
        SendService sender = sender(store, mails);

        sender.send(id, 1, readers.subList(0, 2), () -> Long.MAX_VALUE, 1);
        sender.send(id, 1, readers.subList(0, 2), () -> Long.MAX_VALUE, 1);
        assertEquals(Campaign.Status.DISPATCHED, store.find(id).orElseThrow().status());
        assertEquals(2, store.find(id).orElseThrow().counts().handled());
        assertFalse(store.finish(id, 1, CLOCK.instant()), "2 of 3 handled");

        sender.send(id, 1, readers.subList(2, 3), () -> Long.MAX_VALUE, 1);
        assertEquals(Campaign.Status.SENT, store.find(id).orElseThrow().status());
        assertFalse(store.finish(id, 1, CLOCK.instant()), "SENT once");
    }

    @Test
    void aCountForAnotherPassAddsOnlyToItsCounter() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "late", 7, now));
        assertFalse(records.sent(id, "late", 7, SendRecords.Claim.NEW, "ses-1", now), "pass 7 is not the campaign's");
        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(0, campaign.counts().handled());
        assertEquals(1, campaign.counts().sent(), "the mail went out all the same");
        assertEquals(1, campaign.counts().recipients());
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "reader", 1, now));
        assertTrue(records.sent(id, "reader", 1, SendRecords.Claim.NEW, "ses-2", now));
        assertEquals(1, store.find(id).orElseThrow().counts().handled());
    }

    @Test
    void aNewPassStartsItsCountsAfresh() {
        String id = dispatched(readers(2));
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "reader", 1, CLOCK.instant()));
        assertTrue(records.sent(id, "reader", 1, SendRecords.Claim.NEW, "ses-1", CLOCK.instant()));
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.DISPATCHED), Campaign.Status.PAUSED, null, false));
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, CLOCK.instant(),
                true));
        Campaign resumed = store.find(id).orElseThrow();
        assertEquals(2, resumed.pass());
        assertEquals(0, resumed.counts().queued());
        assertEquals(0, resumed.counts().handled());
        assertTrue(store.dispatched(id, 2, 0));
        assertTrue(store.finish(id, 2, CLOCK.instant()), "an empty second pass is done at once");
    }

    @Test
    void aSendRecordCountsOncePerPass() {
        String id = dispatched(readers(0));
        Instant now = CLOCK.instant();
        Instant before = now.minusSeconds(300);
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "reached", 1, now));
        assertTrue(records.sent(id, "reached", 1, SendRecords.Claim.NEW, "ses-1", now));
        assertEquals(Adopted.NOTHING, records.adopt(id, "reached", 1, before), "counted in this pass already");

        assertEquals(SendRecords.Claim.NEW, records.claim(id, "in-flight", 1, now));
        assertEquals(Adopted.NOTHING, records.adopt(id, "in-flight", 1, before), "another sender is on it");
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "abandoned", 1, now.minusSeconds(600)));
        assertEquals(Adopted.GIVEN_UP, records.adopt(id, "abandoned", 1, before), "left by a stopped sender: given up");
        assertEquals(Adopted.NOTHING, records.adopt(id, "abandoned", 1, before));
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "skipped", 1, now));
        assertEquals(Adopted.NOTHING, records.adopt(id, "skipped", 1, before), "being sent");
        assertTrue(records.skipped(id, "skipped", 1, SendRecords.Claim.NEW, "not subscribed"));
        assertEquals(Adopted.NOTHING, records.adopt(id, "skipped", 1, before));
        assertEquals(Adopted.GONE, records.adopt(id, "nobody", 1, before), "no record: claim again");
        CampaignCounts first = store.find(id).orElseThrow().counts();
        assertEquals(List.of(3L, 3L, 1L, 1L, 1L), List.of(first.handled(), first.recipients(), first.sent(),
                first.skipped(), first.givenUp()), "handled, recipients, sent, skipped, given up");

        assertEquals(Adopted.NOTHING, records.adopt(id, "reached", 2, before), "pass 2 is not the campaign's yet");
        newPass(id, 4);
        assertEquals(Adopted.COUNTED, records.adopt(id, "reached", 2, before), "reached in pass 1: counts in pass 2");
        assertEquals(Adopted.NOTHING, records.adopt(id, "reached", 2, before), "and only once");
        assertEquals(Adopted.COUNTED, records.adopt(id, "abandoned", 2, before), "given up once, counted in pass 2");
        assertEquals(Adopted.COUNTED, records.adopt(id, "skipped", 2, before));
        CampaignCounts second = store.find(id).orElseThrow().counts();
        assertEquals(List.of(3L, 3L, 1L, 1L, 1L), List.of(second.handled(), second.recipients(), second.sent(),
                second.skipped(), second.givenUp()), "counters as they were, handled afresh");
    }

    @Test
    void aFailedRecordIsClaimedAgainByOneAttemptAtATimeAndMovesFromFailedToSentOnce() {
        List<String> readers = readers(2);
        String id = dispatched(readers);
        String reader = readers.get(0);
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, reader, 1, now));
        assertTrue(records.failed(id, reader, 1, SendRecords.Claim.NEW, "MessageRejected", now));
        Campaign failed = store.find(id).orElseThrow();
        assertEquals(1, failed.counts().failed(), "the record and its counters in one write");
        assertEquals(1, failed.counts().handled());
        assertEquals(1, failed.counts().recipients());
        assertEquals(Adopted.NOTHING, records.adopt(id, reader, 1, now.plusSeconds(3600)),
                "failed is handled in this pass: never twice");

        // The redriven message, twice at once: one attempt claims them, the other finds them held.
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, reader, 1, now));
        assertEquals(SendRecords.Claim.RETRYING, records.claim(id, reader, 1, now));
        assertFalse(records.giveUp(id, reader, now.minusSeconds(300)), "an attempt of a moment ago is not given up");
        records.release(id, reader, SendRecords.Claim.RETRY);
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, reader, 1, now), "released: failed, claimable again");

        assertFalse(records.sent(id, reader, 1, SendRecords.Claim.RETRY, "ses-1", now), "handled in its pass already");
        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(0, campaign.counts().failed());
        assertEquals(1, campaign.counts().sent());
        assertEquals(1, campaign.counts().recipients());
        assertEquals(1, campaign.counts().handled(), "handled unchanged");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, reader, 1, now), "sent: never claimed again");
        assertEquals(Adopted.NOTHING, records.adopt(id, reader, 1, now.plusSeconds(3600)));
    }

    @Test
    void aFailedRecipientIsRetriedByTheirRedrivenMessageOrALaterPassAndCountedOncePerPass() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "failed", 1, now));
        records.failed(id, "failed", 1, SendRecords.Claim.NEW, "MessageRejected", now);
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "failed", 2, now), "a later pass retries them");
        records.release(id, "failed", SendRecords.Claim.RETRY);
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "failed", 1, now), "their own message, redriven");

        // Failed again on the redrive's last receive: failed as it was, claimable again, counted as it was.
        assertThrows(IllegalStateException.class, () -> records.failed(id, "failed", 1, SendRecords.Claim.RETRY,
                "MessageRejected", now.minusSeconds(60)), "only the attempt that holds the record ends it");
        assertFalse(records.failed(id, "failed", 1, SendRecords.Claim.RETRY, "MessageRejected", now));
        assertEquals(1, store.find(id).orElseThrow().counts().failed(), "not counted failed twice");
        newPass(id, 1);
        assertEquals(Adopted.COUNTED, records.adopt(id, "failed", 2, now), "it counts in pass 2, still failed");
        assertEquals(Adopted.NOTHING, records.adopt(id, "failed", 2, now), "once");
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "failed", 2, now));
        assertFalse(records.skipped(id, "failed", 2, SendRecords.Claim.RETRY, "not subscribed"), "counted in pass 2");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, "failed", 1, now));
        CampaignCounts counts = store.find(id).orElseThrow().counts();
        assertEquals(List.of(1L, 1L, 0L, 1L), List.of(counts.handled(), counts.recipients(), counts.failed(),
                counts.skipped()), "handled, recipients, failed, skipped");
    }

    @Test
    void aRetryWhoseSenderStoppedBeforeSesAnsweredIsGivenUpOnceMovingFromFailedToGivenUp() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "stopped", 1, now.minusSeconds(900)));
        records.failed(id, "stopped", 1, SendRecords.Claim.NEW, "MessageRejected", now);
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "stopped", 1, now.minusSeconds(600)));
        // That sender stopped; the message comes back ten minutes later.
        assertEquals(SendRecords.Claim.RETRYING, records.claim(id, "stopped", 1, now));
        assertTrue(records.giveUp(id, "stopped", now.minusSeconds(300)));
        assertFalse(records.giveUp(id, "stopped", now.minusSeconds(300)), "once");

        CampaignCounts counts = store.find(id).orElseThrow().counts();
        assertEquals(0, counts.failed());
        assertEquals(1, counts.givenUp());
        assertEquals(1, counts.handled(), "handled in its pass as before");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, "stopped", 1, now), "never claimed again");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, "stopped", 2, now), "not by a later pass either");
        newPass(id, 1);
        assertEquals(Adopted.COUNTED, records.adopt(id, "stopped", 2, now.minusSeconds(300)));
        assertEquals(1, store.find(id).orElseThrow().counts().givenUp());
        assertEquals(1, store.find(id).orElseThrow().counts().recipients());
    }

    @Test
    void aNewClaimReleasedIsGoneAndAFailedOneCannotBeMarkedAfterSesAcceptedIt() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "released", 1, now));
        records.release(id, "released", SendRecords.Claim.NEW);
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "released", 1, now), "the retry claims them afresh");

        records.sent(id, "released", 1, SendRecords.Claim.NEW, "ses-1", now);
        assertThrows(IllegalStateException.class,
                () -> records.failed(id, "released", 1, SendRecords.Claim.NEW, "late", now),
                "a mail SES accepted is never counted failed");
        assertThrows(RuntimeException.class, () -> records.release(id, "released", SendRecords.Claim.NEW),
                "nor its record released");
        CampaignCounts counts = store.find(id).orElseThrow().counts();
        assertEquals(0, counts.failed(), "nor its counter");
        assertEquals(1, counts.sent());
        assertEquals(1, counts.handled());
    }

    @Test
    void aFailedRecipientOfAPassTheCampaignHasLeftIsCountedFailedOnly() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "late", 7, now));
        assertFalse(records.failed(id, "late", 7, SendRecords.Claim.NEW, "MessageRejected", now));
        CampaignCounts counts = store.find(id).orElseThrow().counts();
        assertEquals(1, counts.failed());
        assertEquals(0, counts.handled(), "pass 7 is not the campaign's");
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "late", 1, now), "recorded failed: the campaign's pass retries them");
    }

    /**
     * The last receive of a message whose mail SES refuses, stopped before each of its DynamoDB calls
     * in turn (a crash or a timeout runs nothing after): the recipient's record says failed exactly
     * when the campaign counts them failed and handled. Then the owner's redrive, SES working again,
     * ends the campaign SENT with nobody failed and nobody mailed twice.
     */
    @Test
    void aLastReceiveStoppedAnywhereLeavesTheFailedRecordAndItsCountersAgreeing() {
        for (int stopBefore = 1; stopBefore <= 6; stopBefore++) {
            List<String> readers = readers(2);
            String id = dispatched(readers);
            List<Email> mails = Collections.synchronizedList(new ArrayList<>());
            sender(store, mails).send(id, 1, readers.subList(0, 1), () -> Long.MAX_VALUE, 1);

            // The message fails either way: it waits in the dead-letter queue.
            stoppedBefore(stopBefore, () -> sender(stoppable, CLOCK, everyone(), (email, campaignId) -> {
                throw new IllegalStateException("MessageRejected");
            }).send(id, 1, readers.subList(1, 2), () -> Long.MAX_VALUE, 5));
            var record = record(id, readers.get(1));
            CampaignCounts counts = store.find(id).orElseThrow().counts();
            String at = "stopped before call " + stopBefore + ": " + record + " " + counts;
            assertEquals(record.containsKey("failed") ? 1 : 0, counts.failed(), at);
            assertEquals(record.containsKey("failed") ? 2 : 1, counts.handled(), at);

            // Redriven ten minutes later; SES sends again.
            var later = new SendService(store, records, hash -> false, everyone(),
                    new CampaignMails("Shop", "1 Main St", "https://api.example.com"), (email, campaignId) -> {
                        mails.add(email);
                        return "ses-" + UUID.randomUUID();
                    }, new Pacer(1_000_000, Pacer.SYSTEM), Clock.offset(CLOCK, java.time.Duration.ofMinutes(10)), 5);
            later.send(id, 1, readers.subList(1, 2), () -> Long.MAX_VALUE, 1);
            Campaign campaign = store.find(id).orElseThrow();
            at = "stopped before call " + stopBefore + ": " + campaign.counts();
            assertEquals(Campaign.Status.SENT, campaign.status(), at);
            assertEquals(2, campaign.counts().handled(), at);
            assertEquals(0, campaign.counts().failed(), at);
            assertTrue(mails.stream().filter(m -> m.to().value().equals(readers.get(1))).count() <= 1, at);
        }
    }

    /** What SES and the subscribers table make of the stopped recipient. */
    enum Reached {
        MAILED, NOT_SUBSCRIBED
    }

    static Stream<Arguments> stops() {
        // A sender's calls for one recipient: the campaign's read, the claim, the outcome's transaction,
        // the campaign's read after it, the finish; the sixth runs to the end.
        return Stream.of(Reached.values()).flatMap(reached -> IntStream.rangeClosed(1, 6)
                .mapToObj(stop -> Arguments.of(reached, stop)));
    }

    /**
     * The last recipient's message stopped before each DynamoDB call of its sender in turn (a crash or
     * a timeout runs nothing after), then received again as SQS does once its visibility timeout is
     * over (9 minutes; a claim is abandoned after 5): the campaign ends SENT, every recipient counted
     * once, the counts adding up, nobody mailed twice, and the stopped one mailed exactly once unless
     * they were not subscribed.
     */
    @ParameterizedTest(name = "{0}, stopped before call {1}")
    @MethodSource("stops")
    void aSendStoppedAnywhereEndsSentOnItsRedeliveryWithTheCountsAddingUp(Reached reached, int stopBefore) {
        List<String> readers = readers(2);
        String id = dispatched(readers);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());
        Recipients recipients = reached == Reached.MAILED ? everyone() : (hash, campaignId, tokenHash, expiresAt, now) ->
                hash.equals(readers.get(1)) ? Optional.empty() : Optional.of(new EmailAddress(hash));
        sender(aws.dynamo(), CLOCK, recipients, mails).send(id, 1, readers.subList(0, 1), () -> Long.MAX_VALUE, 1);

        stoppedBefore(stopBefore, () -> sender(stoppable, CLOCK, recipients, mails)
                .send(id, 1, readers.subList(1, 2), () -> Long.MAX_VALUE, 1));
        String at = reached + ", stopped before call " + stopBefore;
        assertAddsUp(store.find(id).orElseThrow().counts(), at);
        assertEquals(stopBefore > 2, !record(id, readers.get(1)).isEmpty(),
                at + ": from the claim on, the record stays (a stopped sender releases nothing)");

        Clock later = Clock.offset(CLOCK, Duration.ofMinutes(9));
        sender(aws.dynamo(), later, recipients, mails).send(id, 1, readers.subList(1, 2), () -> Long.MAX_VALUE, 2);
        Campaign campaign = store.find(id).orElseThrow();
        at += ": " + campaign.counts();
        assertEquals(Campaign.Status.SENT, campaign.status(), at);
        assertEquals(2, campaign.counts().handled(), at);
        assertEquals(2, campaign.counts().recipients(), at);
        assertAddsUp(campaign.counts(), at);
        assertEquals(reached == Reached.MAILED ? 1 : 0, mailsTo(mails, readers.get(1)), at);
        assertEquals(1, mailsTo(mails, readers.get(0)), at);
    }

    /**
     * The redelivery that finds a claim left by a stopped sender, itself stopped before each of its
     * DynamoDB calls: the next one still ends the campaign SENT with the counts adding up, the
     * person given up once (SES had their mail) and mailed once.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
    void aRedeliveryGivingUpAStoppedClaimStoppedAnywhereLeavesTheNextOneToEndIt(int stopBefore) {
        List<String> readers = readers(1);
        String id = dispatched(readers);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());
        // Stopped after SES accepted the mail, before its outcome was written.
        stoppedBefore(3, () -> sender(stoppable, CLOCK, everyone(), mails)
                .send(id, 1, readers, () -> Long.MAX_VALUE, 1));
        assertEquals(1, mailsTo(mails, readers.get(0)));
        assertEquals(0, store.find(id).orElseThrow().counts().recipients(), "nothing counted for a claim alone");

        // Its redelivery: the campaign's read, the claim refused, the record's read, the transaction, the
        // campaign's read, the finish.
        stoppedBefore(stopBefore, () -> sender(stoppable, Clock.offset(CLOCK, Duration.ofMinutes(9)),
                everyone(), mails).send(id, 1, readers, () -> Long.MAX_VALUE, 2));
        String at = "stopped before call " + stopBefore;
        assertAddsUp(store.find(id).orElseThrow().counts(), at);
        sender(aws.dynamo(), Clock.offset(CLOCK, Duration.ofMinutes(18)), everyone(), mails)
                .send(id, 1, readers, () -> Long.MAX_VALUE, 3);

        Campaign campaign = store.find(id).orElseThrow();
        at += ": " + campaign.counts();
        assertEquals(Campaign.Status.SENT, campaign.status(), at);
        assertEquals(List.of(1L, 1L, 1L, 0L), List.of(campaign.counts().handled(), campaign.counts().recipients(),
                campaign.counts().givenUp(), campaign.counts().sent()), "handled, recipients, given up, sent: " + at);
        assertEquals(1, mailsTo(mails, readers.get(0)), at);
    }

    /**
     * A recipient counted failed on their message's last receive, then the owner's redrive stopped
     * before each DynamoDB call of its sender: a second redrive moves them from failed to sent (or,
     * the first having had SES accept the mail, to given up), never both, and mails them once.
     */
    @ParameterizedTest(name = "stopped before call {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void aRedriveStoppedAnywhereMovesTheFailedRecipientOnceOnTheNextRedrive(int stopBefore) {
        List<String> readers = readers(1);
        String id = dispatched(readers);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());
        CampaignMailer refusing = (email, campaignId) -> {
            throw new IllegalStateException("MessageRejected");
        };
        assertThrows(IllegalStateException.class, () -> sender(aws.dynamo(), CLOCK, everyone(), refusing)
                .send(id, 1, readers, () -> Long.MAX_VALUE, 5));
        assertEquals(Campaign.Status.SENT, store.find(id).orElseThrow().status(), "failed is handled");

        stoppedBefore(stopBefore, () -> sender(stoppable, CLOCK, everyone(), mails)
                .send(id, 1, readers, () -> Long.MAX_VALUE, 1));
        String at = "stopped before call " + stopBefore;
        assertAddsUp(store.find(id).orElseThrow().counts(), at);
        sender(aws.dynamo(), Clock.offset(CLOCK, Duration.ofMinutes(9)), everyone(), mails)
                .send(id, 1, readers, () -> Long.MAX_VALUE, 1);

        CampaignCounts counts = store.find(id).orElseThrow().counts();
        at += ": " + counts;
        assertAddsUp(counts, at);
        assertEquals(0, counts.failed(), at);
        assertEquals(1, counts.sent() + counts.givenUp(), at);
        assertEquals(1, counts.handled(), at);
        assertEquals(1, mailsTo(mails, readers.get(0)), at);
    }

    /**
     * The DynamoDB calls that the stops above try one by one (so that none goes untried): a batch reads
     * the campaign at its start and once more at its end, only when it counted someone in the pass
     * (not after every mail), and finishes the campaign when that read finds the pass complete.
     */
    @Test
    void aBatchReadsTheCampaignOnceMoreAtItsEndOnlyWhenItCountedSomeoneInThePass() {
        List<String> readers = readers(3);
        String id = dispatched(readers);
        List<Email> mails = Collections.synchronizedList(new ArrayList<>());
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        DynamoDbClient recording = aws.dynamo(calls::add);

        sender(recording, CLOCK, everyone(), mails).send(id, 1, readers.subList(0, 2), () -> Long.MAX_VALUE, 1);
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems", "UpdateItem", "TransactWriteItems",
                "GetItem"), calls, "the read, two claims and outcomes, one read at the end");
        calls.clear();
        sender(recording, CLOCK, everyone(), mails).send(id, 1, readers.subList(2, 3), () -> Long.MAX_VALUE, 1);
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems", "GetItem", "UpdateItem"), calls,
                "the last one's batch finishes the campaign (stops 1 to 5)");
        assertEquals(Campaign.Status.SENT, store.find(id).orElseThrow().status());
        calls.clear();
        sender(recording, CLOCK, everyone(), mails).send(id, 1, readers.subList(2, 3), () -> Long.MAX_VALUE, 2);
        assertEquals(List.of("GetItem", "UpdateItem", "GetItem"), calls,
                "its redelivery: the claim refused, the record read, nothing counted and nothing read after");

        // A recipient failed on their last receive, whose redrive fails again, then sends.
        List<String> failing = readers(1);
        String failedId = dispatched(failing);
        CampaignMailer refusing = (email, campaignId) -> {
            throw new IllegalStateException("MessageRejected");
        };
        calls.clear();
        assertThrows(IllegalStateException.class, () -> sender(recording, CLOCK, everyone(), refusing)
                .send(failedId, 1, failing, () -> Long.MAX_VALUE, 5));
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems", "GetItem", "UpdateItem"), calls,
                "counted failed in the pass: the read finds it complete");
        calls.clear();
        assertThrows(IllegalStateException.class, () -> sender(recording, CLOCK, everyone(), refusing)
                .send(failedId, 1, failing, () -> Long.MAX_VALUE, 5));
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems", "UpdateItem"), calls,
                "failed again, handled in the pass already: the record alone, and no read");
        calls.clear();
        sender(recording, CLOCK, everyone(), mails).send(failedId, 1, failing, () -> Long.MAX_VALUE, 1);
        assertEquals(List.of("GetItem", "UpdateItem", "TransactWriteItems", "TransactWriteItems"), calls,
                "sent on the redrive: from failed to sent, no read (stops 1 to 4)");
        assertEquals(1, mailsTo(mails, failing.get(0)));

        // A claim left by a sender stopped after SES accepted the mail, given up by the redelivery.
        List<String> left = readers(1);
        String leftId = dispatched(left);
        stoppedBefore(3, () -> sender(stoppable, CLOCK, everyone(), mails).send(leftId, 1, left, () -> Long.MAX_VALUE, 1));
        calls.clear();
        sender(recording, Clock.offset(CLOCK, Duration.ofMinutes(9)), everyone(), mails)
                .send(leftId, 1, left, () -> Long.MAX_VALUE, 2);
        assertEquals(List.of("GetItem", "UpdateItem", "GetItem", "TransactWriteItems", "GetItem", "UpdateItem"), calls,
                "the claim refused, the record read, given up, the read that finds the pass complete (stops 1 to 6)");
        assertEquals(Campaign.Status.SENT, store.find(leftId).orElseThrow().status());
    }

    /**
     * Runs {@code run} with {@link #stoppable} stopped before its {@code call}-th call from now (1: the
     * first) and every call after it: a crash or a timeout runs nothing after, not even a catch's
     * release. What the run throws is dropped: a stopped function answers nobody, and what it left
     * written is what the test looks at.
     */
    private static void stoppedBefore(int call, Runnable run) {
        stopping.stoppedBefore(call, run);
    }

    /** The send record of {@code addressHash} as the table has it (empty: none). */
    private static Map<String, AttributeValue> record(String id, String addressHash) {
        return aws.dynamo().getItem(b -> b.tableName(table)
                .key(DynamoItems.key(DynamoSendRecords.pk(id, addressHash))).consistentRead(true)).item();
    }

    private static void assertAddsUp(CampaignCounts counts, String at) {
        assertEquals(counts.recipients(), counts.sent() + counts.skipped() + counts.failed() + counts.givenUp(),
                "sent + skipped + failed + givenUp = recipients: " + at + " " + counts);
    }

    private static long mailsTo(List<Email> mails, String address) {
        return mails.stream().filter(m -> m.to().value().equals(address)).count();
    }

    private static SendService sender(DynamoDbClient dynamo, Clock clock, Recipients recipients, List<Email> mails) {
        return sender(dynamo, clock, recipients, (email, campaignId) -> {
            mails.add(email);
            return "ses-" + UUID.randomUUID();
        });
    }

    private static SendService sender(DynamoDbClient dynamo, Clock clock, Recipients recipients, CampaignMailer mailer) {
        return new SendService(new DynamoCampaignStore(dynamo, table, clock), new DynamoSendRecords(dynamo, table),
                hash -> false, recipients, new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1_000_000, Pacer.SYSTEM), clock, 5);
    }

    @Test
    void sesEventsAfterTheCampaignIsSentStillCount() {
        String id = dispatched(readers(0));
        assertTrue(store.finish(id, 1, CLOCK.instant()));
        Instant now = CLOCK.instant();
        assertTrue(feedback.firstTimeCounted("ses-1", "Delivery", "reader", now, id, "delivered"));
        assertTrue(feedback.firstTimeCounted("ses-1", "Bounce-Permanent", "reader", now, id, "bounced"));
        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(1, campaign.counts().delivered());
        assertEquals(1, campaign.counts().bounced());
    }

    private static List<String> readers(int count) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            readers.add("reader" + i + "-" + tag + "@example.com");
        }
        return readers;
    }

    /** A campaign whose pass 1 queued {@code readers}, as the owner and the dispatcher leave it. */
    private static String dispatched(List<String> readers) {
        String id = UUID.randomUUID().toString();
        Instant now = CLOCK.instant();
        owners.create(new Campaign(id, "Finish " + id, "<p>Hi</p>", "Hi", Campaign.Status.DRAFT, null, now, "owner", 0,
                CampaignCounts.NONE, null), new AdminAction("CAMPAIGN#" + id, now, "owner", null, "campaign.created", null,
                "{}", RetentionSchedule.CAMPAIGN.expiresAt(now)));
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.DRAFT), Campaign.Status.SCHEDULED, now, true));
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false));
        assertTrue(store.dispatched(id, 1, readers.size()));
        return id;
    }

    /** Paused and resumed: a new pass, {@code queued} of it queued. */
    private static void newPass(String id, int queued) {
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.DISPATCHED, Campaign.Status.SENT),
                Campaign.Status.PAUSED, null, false));
        assertTrue(store.transition(id, EnumSet.of(Campaign.Status.PAUSED), Campaign.Status.SENDING, CLOCK.instant(),
                true));
        assertTrue(store.dispatched(id, store.find(id).orElseThrow().pass(), queued));
    }

    private static SendService sender(CampaignStore campaigns, List<Email> mails) {
        CampaignMailer mailer = (email, campaignId) -> {
            mails.add(email);
            return "ses-" + UUID.randomUUID();
        };
        return new SendService(campaigns, records, hash -> false, everyone(),
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1_000_000, Pacer.SYSTEM), CLOCK, 5);
    }

    /** The address hash is the address here; everyone is a confirmed subscriber. */
    private static Recipients everyone() {
        return (hash, campaignId, tokenHash, expiresAt, now) -> Optional.of(new EmailAddress(hash));
    }

    /** The store, counting the calls of finish that made a campaign SENT. */
    private static CampaignStore counting(AtomicInteger madeSent) {
        return (CampaignStore) Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("finish") && Boolean.TRUE.equals(result)) {
                        madeSent.incrementAndGet();
                    }
                    return result;
                });
    }
}
