package shop.campaigns.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import shop.core.email.EmailAddress;
import shop.core.json.Json;
import shop.core.mail.Email;
import shop.core.security.AddressHasher;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.MutableClock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SES feedback on the local stack's tables. The suppression entry: the latest suppression stands
 * (shop.core.mail.Suppression), because a confirm lifts it only for a signup requested after its
 * {@code since}. A campaign's counts: each event counted once, whatever stops in between.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoMailFeedbackTest {
    private static final Instant UNSUBSCRIBED = Instant.parse("2026-12-01T10:00:00.123456Z");

    private static DynamoDbClient dynamo;
    private static String subscribers;
    private static String campaigns;
    private static DynamoMailFeedback feedback;
    private static final AddressHasher HASHER = new AddressHasher("test-key-test-key-test-key-test-key-0123");
    private static final List<String> COUNTERS = List.of("delivered", "bounced", "softBounced", "complained");

    /** Every DynamoDB call of the stoppable service, and the one from which on it is stopped. */
    private static final List<String> calls = new CopyOnWriteArrayList<>();
    private static final AtomicInteger callsUntilStop = new AtomicInteger(Integer.MAX_VALUE);
    /** The feedback function on a client that fails every call from the n-th on, as a function stopped there. */
    private static FeedbackService stoppable;
    /** The function again, as EventBridge's retry or a duplicate event reaches it. */
    private static FeedbackService service;
    /** The mails SES accepted from the order-mail services below. */
    private static final List<Email> ownerMails = new CopyOnWriteArrayList<>();
    /** Their clock: a retry comes a minute or more after the failed delivery. */
    private static final MutableClock clock = new MutableClock(Instant.now());
    /** The feedback function for an order mail's events, stopped (DynamoDB or SES) from the n-th call on. */
    private static FeedbackService stoppableOrders;
    /** That function again, as Lambda's retry or SES's duplicate reaches it. */
    private static FeedbackService orders;

    @BeforeAll
    static void connect(LocalAws aws) {
        dynamo = aws.dynamo();
        subscribers = aws.physicalName("SubscribersTable");
        campaigns = aws.physicalName("CampaignsTable");
        feedback = new DynamoMailFeedback(dynamo, campaigns, subscribers);
        service = service(feedback);
        DynamoMailFeedback stopped = new DynamoMailFeedback(aws.dynamo(DynamoMailFeedbackTest::call), campaigns, subscribers);
        stoppable = service(stopped);
        stoppableOrders = new FeedbackService(stopped, mail -> {
            call("SendEmail");
            ownerMails.add(mail);
            return "owner-mail-" + ownerMails.size();
        }, new EmailAddress("owner@example.com"), HASHER, clock);
        orders = new FeedbackService(feedback, mail -> {
            ownerMails.add(mail);
            return "owner-mail-" + ownerMails.size();
        }, new EmailAddress("owner@example.com"), HASHER, clock);
    }

    /** Records a call of the stoppable function, and stops it there if its turn has come. */
    private static void call(String operation) {
        calls.add(operation);
        if (callsUntilStop.decrementAndGet() <= 0) {
            throw new IllegalStateException("stopped before " + operation);
        }
    }

    private static FeedbackService service(MailFeedback feedback) {
        return new FeedbackService(feedback, mail -> fail("a campaign mail's event mails no one"),
                new EmailAddress("owner@example.com"), HASHER, Clock.systemUTC());
    }

    /**
     * A campaign mail's event stopped before each of its DynamoDB calls in turn (the suppression's
     * reads and writes for a bounce or a complaint, the record with the count), then delivered
     * again, then once more: counted exactly once on its campaign after every stop point, never
     * seen but uncounted.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"delivery.json, delivered", "bounce-permanent.json, bounced", "bounce-transient.json, softBounced",
            "complaint.json, complained"})
    void anEventStoppedBeforeAnyOfItsCallsIsCountedOnceWhenItComesAgain(String sample, String counter) throws Exception {
        SesEvent undisturbed = campaignEvent(sample, campaign());
        calls.clear();
        stoppable.handle(undisturbed);
        List<String> all = List.copyOf(calls);
        assertEquals(expected(counter), counts(undisturbed), all.toString());

        for (int stopBefore = 1; stopBefore <= all.size(); stopBefore++) {
            SesEvent event = campaignEvent(sample, campaign());
            String where = "stopped before call " + stopBefore + " of " + all;
            callsUntilStop.set(stopBefore);
            try {
                assertThrows(IllegalStateException.class, () -> stoppable.handle(event), where);
            } finally {
                callsUntilStop.set(Integer.MAX_VALUE);
            }
            service.handle(event);
            assertEquals(expected(counter), counts(event), where + ", then delivered again");
            service.handle(event);
            assertEquals(expected(counter), counts(event), where + ", then a duplicate");
        }
    }

    @Test
    void anEventOfACampaignPastItsRetentionIsRecordedOnceAndCountsNothing() throws Exception {
        SesEvent event = campaignEvent("delivery.json", UUID.randomUUID().toString());
        String recipient = HASHER.hash(new EmailAddress(event.recipients().get(0)));
        String record = "FEEDBACK#" + event.messageId() + "#Delivery#" + recipient;
        calls.clear();
        callsUntilStop.set(2);
        try {
            assertThrows(IllegalStateException.class, () -> stoppable.handle(event), "stopped before the record alone");
        } finally {
            callsUntilStop.set(Integer.MAX_VALUE);
        }
        assertEquals(List.of("TransactWriteItems", "PutItem"), calls);
        assertNull(item(campaigns, record), "nothing recorded before the stop");

        service.handle(event);
        Map<String, AttributeValue> recorded = item(campaigns, record);
        assertNotNull(recorded, "handled: a redelivery changes nothing more");
        service.handle(event);
        assertEquals(recorded, item(campaigns, record));
        assertNull(item(campaigns, "CAMPAIGN#" + event.campaignId().orElseThrow()), "no campaign made up to count on");

        String another = campaign();
        assertFalse(feedback.firstTimeCounted(event.messageId(), "Delivery", recipient, Instant.now(), another,
                "delivered"), "seen before, whatever the campaign");
        assertEquals("0", item(campaigns, "CAMPAIGN#" + another).get("delivered").n(), "and nothing counted");
    }

    /**
     * An order mail's permanent bounce stopped before each of its calls in turn (the suppression's
     * reads and write, the claim of the owner's mail, SES's send, the mark that it was sent), then
     * delivered again a minute later (Lambda's first retry of a failed asynchronous invocation),
     * then once more an hour later (a duplicate from SES): the owner is mailed exactly once, or
     * twice only when stopped after SES accepted the mail and before it was marked sent.
     */
    @Test
    void anOrderMailsBounceStoppedBeforeAnyOfItsCallsTellsTheOwnerWhenItComesAgain() throws Exception {
        SesEvent undisturbed = orderBounce();
        calls.clear();
        stoppableOrders.handle(undisturbed);
        List<String> all = List.copyOf(calls);
        assertEquals(List.of("UpdateItem", "SendEmail", "UpdateItem"), all.subList(all.size() - 3, all.size()),
                "the claim, SES, the mark: " + all);
        assertEquals(1, ownerMails(undisturbed), all.toString());

        for (int stopBefore = 1; stopBefore <= all.size(); stopBefore++) {
            SesEvent event = orderBounce();
            String where = "stopped before call " + stopBefore + " of " + all;
            boolean afterSesAccepted = stopBefore == all.size();
            calls.clear();
            callsUntilStop.set(stopBefore);
            try {
                stoppableOrders.handle(event);
                assertTrue(afterSesAccepted, where + ": only the failed mark is not thrown (SES has the mail)");
            } catch (IllegalStateException stopped) {
                assertTrue(stopped.getMessage().startsWith("stopped before"), where + ": " + stopped);
            } finally {
                callsUntilStop.set(Integer.MAX_VALUE);
            }
            assertEquals(stopBefore, calls.size(), where);
            assertEquals(afterSesAccepted ? 1 : 0, ownerMails(event), where);

            clock.advance(Duration.ofMinutes(1));
            orders.handle(event);
            int expected = afterSesAccepted ? 2 : 1;
            assertEquals(expected, ownerMails(event), where + ", then retried a minute later");
            Map<String, AttributeValue> record = item(campaigns, orderRecord(event));
            assertEquals("SENT", record.get("status").s(), where);

            clock.advance(Duration.ofHours(1));
            orders.handle(event);
            assertEquals(expected, ownerMails(event), where + ", then a duplicate");
            assertEquals(record, item(campaigns, orderRecord(event)), where + ": the duplicate changes nothing");
        }
    }

    /**
     * A duplicate of the event while the owner's mail is claimed by a delivery that may still be
     * sending it (the claim younger than the stale limit) mails nothing and fails, for Lambda to
     * retry it; the retry past the stale limit mails the owner.
     */
    @Test
    void aDuplicateWithinTheStaleLimitOfAStoppedClaimFailsAndItsRetryMails() throws Exception {
        SesEvent event = orderBounce();
        calls.clear();
        callsUntilStop.set(Integer.MAX_VALUE);
        stoppableOrders.handle(orderBounce());
        int sendCall = calls.indexOf("SendEmail") + 1;
        callsUntilStop.set(sendCall);
        try {
            assertThrows(IllegalStateException.class, () -> stoppableOrders.handle(event), "stopped before SES");
        } finally {
            callsUntilStop.set(Integer.MAX_VALUE);
        }
        clock.advance(FeedbackService.OWNER_MAIL_STALE_AFTER.minusSeconds(1));
        IllegalStateException held = assertThrows(IllegalStateException.class, () -> orders.handle(event));
        assertTrue(held.getMessage().contains("another invocation"), held.getMessage());
        assertEquals(0, ownerMails(event));
        clock.advance(Duration.ofSeconds(2));
        orders.handle(event);
        assertEquals(1, ownerMails(event));
    }

    /** An order mail's permanent bounce as SES reports it, with its own message id and address. */
    private static SesEvent orderBounce() throws Exception {
        SesEvent event = SesEvents.parse(Json.mapper().readTree(Files.readString(
                Path.of("../../events/campaigns/ses-order-mail-bounce.json"))));
        String address = "buyer-" + UUID.randomUUID() + "@example.com";
        return new SesEvent(event.type(), "ses-" + UUID.randomUUID(), event.bounceType(), List.of(address), event.at(),
                Optional.empty(), event.orderNumber(), event.subject(), event.diagnostic());
    }

    private static String orderRecord(SesEvent event) {
        return "FEEDBACK#" + event.messageId() + "#Bounce-Permanent#"
                + HASHER.hash(new EmailAddress(event.recipients().get(0)));
    }

    /** The owner's mails about this event's bounce that SES accepted. */
    private static long ownerMails(SesEvent event) {
        return ownerMails.stream().filter(mail -> mail.to().value().equals("owner@example.com"))
                .filter(mail -> mail.text().contains(event.recipients().get(0))).count();
    }

    /** A campaign as the owner's function writes it: every counter at zero. */
    private static String campaign() {
        String id = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS("CAMPAIGN#" + id),
                "status", AttributeValue.fromS("SENDING")));
        COUNTERS.forEach(counter -> item.put(counter, AttributeValue.fromN("0")));
        dynamo.putItem(b -> b.tableName(campaigns).item(item));
        return id;
    }

    /**
     * The sample event, as SES sends it about a mail of {@code campaignId} to a new confirmed
     * subscriber (so that a bounce or a complaint suppresses and removes someone).
     */
    private static SesEvent campaignEvent(String sample, String campaignId) throws Exception {
        SesEvent event = SesEvents.parse(Json.mapper().readTree(Files.readString(
                Path.of("../../events/campaigns/ses-" + sample))));
        String address = "reader-" + UUID.randomUUID() + "@example.com";
        dynamo.putItem(b -> b.tableName(subscribers).item(Map.of(
                "pk", AttributeValue.fromS("SUBSCRIBER#" + HASHER.hash(new EmailAddress(address))),
                "status", AttributeValue.fromS("CONFIRMED"),
                "consent", AttributeValue.fromM(Map.of("confirmedAt", AttributeValue.fromS("2026-11-01T00:00:00Z"))))));
        return new SesEvent(event.type(), "ses-" + UUID.randomUUID(), event.bounceType(), List.of(address), event.at(),
                Optional.of(campaignId), Optional.empty(), event.subject(), event.diagnostic());
    }

    private static Map<String, Long> expected(String counter) {
        Map<String, Long> counts = new HashMap<>();
        COUNTERS.forEach(name -> counts.put(name, name.equals(counter) ? 1L : 0L));
        return counts;
    }

    /** The campaign's counters as stored. */
    private static Map<String, Long> counts(SesEvent event) {
        Map<String, AttributeValue> item = item(campaigns, "CAMPAIGN#" + event.campaignId().orElseThrow());
        Map<String, Long> counts = new HashMap<>();
        COUNTERS.forEach(name -> counts.put(name, Long.parseLong(item.get(name).n())));
        return counts;
    }

    private static Map<String, AttributeValue> item(String table, String pk) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    @Test
    void aComplaintAfterAnEarlierUnsubscribeMovesTheEntryToItsTimeAndReason() {
        String hash = unsubscribed();
        // A whole second later, written without a fraction: as a string it sorts before the earlier time.
        Instant complained = Instant.parse("2026-12-01T10:00:01Z");
        feedback.suppress(hash, "complaint", complained);
        assertEquals(Map.of("reason", "complaint", "since", complained.toString()), entry(hash));
    }

    @Test
    void anOlderOrRepeatedEventLeavesTheLaterEntryAsItIs() {
        String hash = unsubscribed();
        feedback.suppress(hash, "bounce", UNSUBSCRIBED.minusSeconds(3600));
        feedback.suppress(hash, "complaint", UNSUBSCRIBED);
        assertEquals(Map.of("reason", "unsubscribe", "since", UNSUBSCRIBED.toString()), entry(hash));
    }

    @Test
    void aFirstEventWritesTheEntryAndDeletesAPendingSubscriber() {
        String hash = UUID.randomUUID().toString().replace("-", "");
        dynamo.putItem(b -> b.tableName(subscribers).item(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash),
                "status", AttributeValue.fromS("PENDING"))));
        Instant bounced = Instant.parse("2026-12-02T08:00:00Z");
        feedback.suppress(hash, "bounce", bounced);
        feedback.suppress(hash, "bounce", bounced);
        assertEquals(Map.of("reason", "bounce", "since", bounced.toString()), entry(hash));
        var subscriber = dynamo.getItem(b -> b.tableName(subscribers)
                .key(Map.of("pk", AttributeValue.fromS("SUBSCRIBER#" + hash))).consistentRead(true)).item();
        assertTrue(subscriber == null || subscriber.isEmpty(), "the pending subscriber is deleted");
    }

    private static String unsubscribed() {
        String hash = UUID.randomUUID().toString().replace("-", "");
        dynamo.putItem(b -> b.tableName(subscribers).item(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash),
                "reason", AttributeValue.fromS("unsubscribe"), "since", AttributeValue.fromS(UNSUBSCRIBED.toString()))));
        return hash;
    }

    private static Map<String, String> entry(String hash) {
        var item = dynamo.getItem(b -> b.tableName(subscribers).key(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash)))
                .consistentRead(true)).item();
        return Map.of("reason", item.get("reason").s(), "since", item.get("since").s());
    }
}
