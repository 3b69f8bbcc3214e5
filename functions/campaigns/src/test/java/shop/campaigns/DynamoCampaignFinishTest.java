package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.campaigns.feedback.DynamoMailFeedback;
import shop.core.admin.AdminAction;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.core.mail.Email;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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

    @BeforeAll
    static void connect(LocalAws aws) {
        String table = aws.physicalName("CampaignsTable");
        store = new DynamoCampaignStore(aws.dynamo(), table, CLOCK);
        owners = new DynamoCampaignStore(aws.dynamo(), table,
                new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), CLOCK), CLOCK);
        records = new DynamoSendRecords(aws.dynamo(), table);
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
        assertEquals(-1, store.handled(id, 7, "sent"));
        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(0, campaign.counts().handled());
        assertEquals(1, campaign.counts().sent(), "the mail went out all the same");
        assertEquals(1, store.handled(id, 1, null));
    }

    @Test
    void aNewPassStartsItsCountsAfresh() {
        String id = dispatched(readers(2));
        store.handled(id, 1, "sent");
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
        String id = UUID.randomUUID().toString();
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "reached", 1, now));
        records.sent(id, "reached", 1, "ses-1", now);
        assertFalse(records.adopt(id, "reached", 1, now.minusSeconds(300)), "counted in this pass already");
        assertTrue(records.adopt(id, "reached", 2, now.minusSeconds(300)), "reached in pass 1: counts in pass 2");
        assertFalse(records.adopt(id, "reached", 2, now.minusSeconds(300)), "and only once");

        assertEquals(SendRecords.Claim.NEW, records.claim(id, "in-flight", 1, now));
        assertFalse(records.adopt(id, "in-flight", 1, now.minusSeconds(300)), "another sender is on it");
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "abandoned", 1, now.minusSeconds(600)));
        assertTrue(records.adopt(id, "abandoned", 1, now.minusSeconds(300)), "left by a stopped sender: given up");
        assertFalse(records.adopt(id, "abandoned", 1, now.minusSeconds(300)));

        assertEquals(SendRecords.Claim.NEW, records.claim(id, "skipped", 1, now));
        records.skipped(id, "skipped", 1, "not subscribed");
        assertFalse(records.adopt(id, "skipped", 1, now.minusSeconds(300)));
        assertFalse(records.adopt(id, "nobody", 1, now.minusSeconds(300)), "no record, nothing to count");
    }

    @Test
    void aFailedRecordIsClaimedAgainByOneAttemptAtATimeAndMovesFromFailedToSentOnce() {
        List<String> readers = readers(2);
        String id = dispatched(readers);
        String reader = readers.get(0);
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, reader, 1, now));
        records.failed(id, reader, 1, "MessageRejected");
        assertEquals(1, store.handled(id, 1, "failed"));
        assertEquals(1, store.find(id).orElseThrow().counts().failed());
        assertFalse(records.adopt(id, reader, 1, now.plusSeconds(3600)), "failed is handled in this pass: never twice");

        // The redriven message, twice at once: one attempt claims them, the other finds them taken.
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, reader, 1, now));
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, reader, 1, now));
        records.release(id, reader, SendRecords.Claim.RETRY);
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, reader, 1, now), "released: failed, claimable again");

        records.sent(id, reader, 1, "ses-1", now);
        store.retried(id, "sent");
        Campaign campaign = store.find(id).orElseThrow();
        assertEquals(0, campaign.counts().failed());
        assertEquals(1, campaign.counts().sent());
        assertEquals(1, campaign.counts().handled(), "handled unchanged");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, reader, 1, now), "sent: never claimed again");
        assertFalse(records.adopt(id, reader, 1, now.plusSeconds(3600)));
    }

    @Test
    void aFailedRecipientIsRetriedOnlyByAMessageOfTheirPassOrAnEarlierOne() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "failed", 1, now));
        records.failed(id, "failed", 1, "MessageRejected");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, "failed", 2, now), "a new pass does not mail them");
        assertTrue(records.adopt(id, "failed", 2, now), "it counts them in the pass, still failed");
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "failed", 1, now), "their own message, redriven");

        // Failed again on the redrive's last receive: failed as it was, claimable again, counted once.
        records.failed(id, "failed", 1, "MessageRejected");
        assertFalse(records.adopt(id, "failed", 2, now), "counted in pass 2 already");
        assertEquals(SendRecords.Claim.RETRY, records.claim(id, "failed", 2, now));
        records.skipped(id, "failed", 2, "not subscribed");
        assertEquals(SendRecords.Claim.TAKEN, records.claim(id, "failed", 1, now));
    }

    @Test
    void aNewClaimReleasedIsGoneAndAFailedOneCannotBeMarkedAfterSesAcceptedIt() {
        String id = dispatched(readers(1));
        Instant now = CLOCK.instant();
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "released", 1, now));
        records.release(id, "released", SendRecords.Claim.NEW);
        assertEquals(SendRecords.Claim.NEW, records.claim(id, "released", 1, now), "the retry claims them afresh");

        records.sent(id, "released", 1, "ses-1", now);
        assertThrows(ConditionalCheckFailedException.class, () -> records.failed(id, "released", 1, "late"),
                "a mail SES accepted is never counted failed");
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

    private static SendService sender(CampaignStore campaigns, List<Email> mails) {
        // The address hash is the address here; everyone is a confirmed subscriber.
        Recipients everyone = (hash, campaignId, tokenHash, expiresAt, now) -> Optional.of(new EmailAddress(hash));
        CampaignMailer mailer = (email, campaignId) -> {
            mails.add(email);
            return "ses-" + UUID.randomUUID();
        };
        return new SendService(campaigns, records, hash -> false, everyone,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), mailer,
                new Pacer(1_000_000, Pacer.SYSTEM), CLOCK, 5);
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
