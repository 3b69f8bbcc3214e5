package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.dynamo.DynamoAuditTrail;
import shop.core.email.EmailAddress;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.mail.Email;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.StoppingDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The owner's campaign changes and their trail lines on the local stand-in's campaigns and audit
 * tables, through the service and the function's own adapters: a change stopped before any of its
 * DynamoDB calls (as a Lambda timeout or a crash stops it) leaves the campaign changed with its
 * line or neither; a refused change writes no line.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoCampaignStoreTest {
    private static final AdminCaller OWNER = new AdminCaller("sub-owner", "owner@localhost.test", Set.of("owners"));
    private static final Clock CLOCK = Clock.systemUTC();
    /** Every DynamoDB operation the adapters send. */
    private static final List<String> operations = new CopyOnWriteArrayList<>();
    /** Stops the code under test before its n-th DynamoDB call, as a function stopped there. */
    private static StoppingDynamo stopping;
    /** The test mails SES took. */
    private static final List<Email> mails = new CopyOnWriteArrayList<>();
    private static volatile RuntimeException sesFails;
    private static LocalAws aws;
    private static DynamoCampaignStore campaigns;
    private static DynamoAuditTrail trail;
    private static CampaignService service;
    private static CampaignService stoppable;
    /** A subject no other test uses: finds a campaign whose creation was stopped before it had an id to show. */
    private String tag;

    @BeforeAll
    static void connect(LocalAws localAws) {
        aws = localAws;
        campaigns = new DynamoCampaignStore(aws.dynamo(), aws.physicalName("CampaignsTable"), CLOCK);
        trail = new DynamoAuditTrail(aws.dynamo(), aws.physicalName("AdminAuditTable"), CLOCK);
        service = service(aws.dynamo(operations::add));
        stopping = new StoppingDynamo(aws);
        stoppable = service(stopping.client());
    }

    /** The owner's service wired as {@link CampaignDependencies#owner} wires it, on {@code dynamo}. */
    private static CampaignService service(DynamoDbClient dynamo) {
        var lines = new DynamoAuditTrail(dynamo, aws.physicalName("AdminAuditTable"), CLOCK);
        var subscribers = new DynamoSubscribers(dynamo, aws.physicalName("SubscribersTable"));
        return new CampaignService(new DynamoCampaignStore(dynamo, aws.physicalName("CampaignsTable"), lines, CLOCK),
                subscribers, subscribers,
                new CampaignMails("Shop", "1 Main St", "https://api.example.com"), email -> {
                    RuntimeException failure = sesFails;
                    if (failure != null) {
                        sesFails = null;
                        throw failure;
                    }
                    mails.add(email);
                    return "ses-" + UUID.randomUUID();
                }, new EmailAddress("owner@localhost.test"), lines, CLOCK);
    }

    @BeforeEach
    void campaign() {
        tag = "Audit " + UUID.randomUUID();
        operations.clear();
    }

    /** Each change of a campaign: the state it starts from, and whether the campaign shows it done. */
    enum Change {
        CREATE("campaign.created", null),
        UPDATE("campaign.updated", Campaign.Status.DRAFT),
        SCHEDULE("campaign.scheduled", Campaign.Status.DRAFT),
        PAUSE("campaign.paused", Campaign.Status.SCHEDULED),
        RESUME("campaign.resumed", Campaign.Status.PAUSED),
        CANCEL("campaign.cancelled", Campaign.Status.SCHEDULED);

        final String action;
        final Campaign.Status from;

        Change(String action, Campaign.Status from) {
            this.action = action;
            this.from = from;
        }

        void run(CampaignService on, String tag, String id) {
            switch (this) {
                case CREATE -> on.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null));
                case UPDATE -> on.update(OWNER, id, new CampaignDraft(tag + " edited", "<p>Hello</p>", null));
                case SCHEDULE -> on.send(OWNER, id, LATER);
                case PAUSE -> on.pause(OWNER, id);
                case RESUME -> on.resume(OWNER, id);
                case CANCEL -> on.cancel(OWNER, id);
            }
        }

        /** The page, read again, shows the change made (for CREATE: the draft is in the list). */
        boolean done(Campaign campaign) {
            return switch (this) {
                case CREATE -> campaign != null;
                case UPDATE -> campaign.subject().endsWith(" edited") && campaign.html().equals("<p>Hello</p>");
                case SCHEDULE -> campaign.status() == Campaign.Status.SCHEDULED && campaign.sendAt().equals(LATER);
                case PAUSE -> campaign.status() == Campaign.Status.PAUSED;
                case RESUME -> campaign.status() == Campaign.Status.SCHEDULED;
                case CANCEL -> campaign.status() == Campaign.Status.CANCELLED;
            };
        }

        /**
         * Pause, resume and cancel sent again after they took effect are refused (409). A draft
         * written again, a campaign scheduled again or created again is a change of its own, with a
         * line of its own: the owner's page sends those again only when it does not show them done.
         */
        boolean repeatIsRefused() {
            return this == PAUSE || this == RESUME || this == CANCEL;
        }
    }

    /** A day ahead, to the second (the store keeps seconds): a schedule that waits, so resume waits again. */
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    static Stream<Arguments> stops() {
        // Up to seven calls (resume: two reads, the transaction, the read after it); the last runs to the end.
        return Stream.of(Change.values()).flatMap(change -> IntStream.rangeClosed(1, 8)
                .mapToObj(stop -> Arguments.of(change, stop)));
    }

    /**
     * The change stopped before each of its DynamoDB calls in turn, then sent again as the owner's
     * page sends it: right after the stop the campaign shows it exactly when its line is there; in
     * the end it is done once, with one line.
     */
    @ParameterizedTest(name = "{0} stopped before call {1}")
    @MethodSource("stops")
    void aChangeStoppedAnywhereIsWrittenWithItsLineOrNotAtAllAndItsRepeatRecordsItOnce(Change change, int stopBefore) {
        String id = change == Change.CREATE ? null : campaignAt(change.from);
        stopping.stoppedBefore(stopBefore, () -> change.run(stoppable, tag, id));

        boolean done = change.done(find(change, id));
        assertEquals(done ? List.of(change.action) : List.of(), lines(change, id),
                "the change and its line are both there or neither");

        if (!done || change.repeatIsRefused()) {
            try {
                change.run(service, tag, id);
            } catch (ConflictException doneAlready) {
                assertTrue(done, "refused only when the first one was written: " + doneAlready.getMessage());
            }
        }
        assertTrue(change.done(find(change, id)));
        assertEquals(List.of(change.action), lines(change, id), "one line for one change");
        if (change == Change.CREATE) {
            assertEquals(1, withTag().size(), "one draft");
        }
    }

    @Test
    void theListPagesNewestFirstFromWhereThePageBeforeEnded() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(0, service.create(OWNER, new CampaignDraft(tag + " " + i, "<p>Hi</p>", null)).id());
        }

        List<Campaign> seen = new ArrayList<>();
        Optional<String> page = Optional.empty();
        int pages = 0;
        do {
            CampaignStore.Page listed = service.list(page);
            seen.addAll(listed.campaigns());
            page = listed.next().map(CampaignService::pageToken);
            pages++;
        } while (page.isPresent() && pages < 100);

        List<String> ids = seen.stream().map(Campaign::id).toList();
        assertTrue(ids.containsAll(mine), "every campaign on some page");
        assertEquals(ids.size(), Set.copyOf(ids).size(), "no campaign on two pages");
        for (int i = 1; i < seen.size(); i++) {
            assertFalse(seen.get(i).createdAt().isAfter(seen.get(i - 1).createdAt()), "newest first");
        }
        CampaignStore.Page twoNewest = campaigns.list(2, Optional.empty());
        CampaignStore.Page after = campaigns.list(2, twoNewest.next());
        assertTrue(twoNewest.next().isPresent());
        assertFalse(after.campaigns().stream().anyMatch(twoNewest.campaigns()::contains), "the next page starts after");
        assertTrue(after.campaigns().get(0).createdAt().compareTo(twoNewest.campaigns().get(1).createdAt()) <= 0);
    }

    /** An id no campaign can have (ids are lower-case UUIDs) is 404 before DynamoDB is asked, whatever its length. */
    @ParameterizedTest
    @MethodSource("idsNoCampaignHas")
    void anIdNoCampaignCanHaveIs404WithNothingReadOrWritten(String id) {
        List<Runnable> routes = List.of(() -> service.get(id), () -> service.preview(id, "https://api.example.com"),
                () -> service.update(OWNER, id, new CampaignDraft(tag, "<p>Hi</p>", null)),
                () -> service.sendTest(OWNER, id, "https://api.example.com"), () -> service.send(OWNER, id, null),
                () -> service.pause(OWNER, id), () -> service.resume(OWNER, id), () -> service.cancel(OWNER, id));
        int mailed = mails.size();
        for (Runnable route : routes) {
            assertThrows(NotFoundException.class, route::run);
        }
        assertEquals(List.of(), operations);
        assertEquals(mailed, mails.size());
    }

    static Stream<String> idsNoCampaignHas() {
        return Stream.of("x".repeat(3000), UUID.randomUUID().toString().toUpperCase(), "../" + UUID.randomUUID(), "");
    }

    /**
     * A draft is one item, at most 400 KB: an HTML body under its own limit whose text part is made from it (as long
     * as its words) did not fit, and DynamoDB's refusal was a 500 for the owner. Now 400 with nothing written, and
     * the largest draft accepted is stored whole.
     */
    @Test
    void aDraftTooLargeForItsItemIsBadInputAndTheLargestAcceptedIsStoredWhole() {
        InvalidInputException tooLarge = assertThrows(InvalidInputException.class,
                () -> new CampaignDraft(tag, "<p>" + "word ".repeat(CampaignDraft.MAX_BODY / 5 - 2) + "</p>", null));
        assertTrue(tooLarge.getMessage().contains("384 KiB"), tooLarge.getMessage());
        assertTrue(service.list(Optional.empty()).campaigns().stream().noneMatch(c -> c.subject().equals(tag)));

        // Both parts at the limit: HTML of 2-byte characters, and the text made from it.
        String words = "\u00e9".repeat(CampaignDraft.MAX_STORED_BYTES / 4);
        CampaignDraft largest = new CampaignDraft(tag, words, null);
        Campaign created = service.create(OWNER, largest);
        Campaign stored = service.get(created.id());
        assertEquals(words, stored.html());
        assertEquals(words, stored.text());
        assertThrows(InvalidInputException.class, () -> new CampaignDraft(tag, words + "x", null));
    }

    @Test
    void aRefusedChangeWritesNothingAndNoLineAndAnswersAsBefore() {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        service.cancel(OWNER, id);
        List<String> before = actions(id);

        var pause = assertThrows(ConflictException.class, () -> service.pause(OWNER, id));
        assertEquals("A cancelled campaign cannot be paused.", pause.getMessage());
        var resume = assertThrows(ConflictException.class, () -> service.resume(OWNER, id));
        assertEquals("A cancelled campaign cannot be sending.", resume.getMessage());
        var cancel = assertThrows(ConflictException.class, () -> service.cancel(OWNER, id));
        assertEquals("A cancelled campaign cannot be cancelled.", cancel.getMessage());
        var send = assertThrows(ConflictException.class, () -> service.send(OWNER, id, null));
        assertEquals("Only a draft or a scheduled campaign can be sent; this one is CANCELLED.", send.getMessage());
        var update = assertThrows(ConflictException.class,
                () -> service.update(OWNER, id, new CampaignDraft(tag + " edited", "<p>Hello</p>", null)));
        assertEquals("Only a draft can be changed; this campaign is CANCELLED.", update.getMessage());

        Campaign stored = campaigns.find(id).orElseThrow();
        assertEquals(Campaign.Status.CANCELLED, stored.status());
        assertEquals(tag, stored.subject());
        assertEquals(List.of("campaign.created", "campaign.cancelled"), before);
        assertEquals(before, actions(id), "no line for a refused change");
    }

    /**
     * The dispatcher's count of a page is written only from the place it read: a second run that read the same place,
     * or the same write sent again after its answer was lost, counts nothing, so {@code queued} is the audience and the
     * campaign can end.
     */
    @Test
    void aPageIsCountedInQueuedOnlyFromThePlaceItsRunRead() {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        service.send(OWNER, id, null);
        assertTrue(campaigns.transition(id, EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false));

        assertTrue(campaigns.advance(id, 1, Optional.empty(), "page-1", 1000));
        assertFalse(campaigns.advance(id, 1, Optional.empty(), "page-1", 1000), "the same page again");
        assertTrue(campaigns.advance(id, 1, Optional.of("page-1"), "page-2", 1000));
        assertFalse(campaigns.advance(id, 1, Optional.of("page-1"), "page-2", 1000), "the same page again");
        assertFalse(campaigns.advance(id, 1, Optional.empty(), "page-1", 1000), "a run that read the start");
        assertEquals(Optional.of("page-2"), campaigns.cursor(id));
        assertTrue(campaigns.dispatched(id, 1, 500));

        Campaign dispatched = campaigns.find(id).orElseThrow();
        assertEquals(Campaign.Status.DISPATCHED, dispatched.status());
        assertEquals(2500, dispatched.counts().queued());
    }

    /**
     * The dispatcher stopped before any of its DynamoDB calls for a campaign with no one to send to, the sixth being
     * its finish right after its DISPATCHED write: no sender will ever count anyone, and the campaign stayed
     * DISPATCHED for good. It keeps {@code due}, and the next run makes it SENT, once, and takes {@code due} away.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void aDispatcherStoppedAnywhereLeavesTheCampaignToTheNextRunWhichMakesItSentOnce(int stopBefore) {
        // Due long ago, at a time no other test's campaign is due: the runs below see this one only.
        Instant sendAt = Instant.parse("2001-01-01T00:00:00Z").minus(Duration.ofDays(stopBefore));
        String id = dueAt(sendAt);
        Clock then = Clock.fixed(sendAt, java.time.ZoneOffset.UTC);
        var table = aws.physicalName("CampaignsTable");

        stopping.stoppedBefore(stopBefore, () -> new DispatchService(new DynamoCampaignStore(stopping.client(), table,
                CLOCK), new Fakes.People(), new Fakes.Queue(), then).run(() -> 60_000));
        if (stopBefore == 6) {
            assertEquals(Campaign.Status.DISPATCHED, campaigns.find(id).orElseThrow().status(),
                    "stopped between its DISPATCHED write and its finish");
            assertTrue(item(id).containsKey("due"), "still due");
        }
        List<String> madeSent = new CopyOnWriteArrayList<>();
        var dispatcher = new DispatchService(finishes(madeSent), new Fakes.People(), new Fakes.Queue(), then);
        dispatcher.run(() -> 60_000);
        dispatcher.run(() -> 60_000);

        Campaign campaign = campaigns.find(id).orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(sendAt, campaign.finishedAt());
        assertEquals(List.of(id), madeSent, "made SENT once");
        assertFalse(item(id).containsKey("due"), "no longer in the due index");
    }

    /**
     * A dispatched campaign stays due while it is being sent, and its finish holds only once every queued recipient is
     * handled: a dispatcher's run before that leaves it DISPATCHED; the run after makes it SENT and takes it out of
     * the due index.
     */
    @Test
    void aDispatchedCampaignIsFinishedByTheDispatcherOnlyOnceEveryQueuedRecipientIsHandled() {
        Instant sendAt = Instant.parse("2000-06-01T00:00:00Z");
        String id = dueAt(sendAt);
        Clock then = Clock.fixed(sendAt, java.time.ZoneOffset.UTC);
        assertTrue(campaigns.transition(id, EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false));
        assertTrue(campaigns.dispatched(id, 1, 2));
        var dispatcher = new DispatchService(campaigns, new Fakes.People(), new Fakes.Queue(), then);
        assertTrue(campaigns.due(sendAt).stream().anyMatch(c -> c.id().equals(id)), "still due");

        handled(id);
        assertEquals(0, dispatcher.run(() -> 60_000), "no one queued again");
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find(id).orElseThrow().status(), "1 of 2 handled");
        assertFalse(campaigns.finish(id, 1, sendAt), "1 of 2 handled");
        assertTrue(item(id).containsKey("due"));

        handled(id);
        assertEquals(0, dispatcher.run(() -> 60_000));
        assertEquals(Campaign.Status.SENT, campaigns.find(id).orElseThrow().status());
        assertFalse(item(id).containsKey("due"));
        assertTrue(campaigns.due(sendAt).stream().noneMatch(c -> c.id().equals(id)), "no longer due");
    }

    /** A pause and a cancel take a dispatched campaign out of the due index: the dispatcher never makes it SENT. */
    @Test
    void aPausedOrCancelledDispatchedCampaignIsNotDueAndNotFinished() {
        Instant sendAt = Instant.parse("2000-03-01T00:00:00Z");
        String id = dueAt(sendAt);
        assertTrue(campaigns.transition(id, EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false));
        assertTrue(campaigns.dispatched(id, 1, 0));
        var dispatcher = new DispatchService(campaigns, new Fakes.People(), new Fakes.Queue(),
                Clock.fixed(sendAt, java.time.ZoneOffset.UTC));

        service.pause(OWNER, id);
        assertFalse(item(id).containsKey("due"));
        dispatcher.run(() -> 60_000);
        assertEquals(Campaign.Status.PAUSED, campaigns.find(id).orElseThrow().status());

        service.resume(OWNER, id);
        assertTrue(item(id).containsKey("due"), "sending again");
        service.cancel(OWNER, id);
        assertFalse(item(id).containsKey("due"));
        dispatcher.run(() -> 60_000);
        assertEquals(Campaign.Status.CANCELLED, campaigns.find(id).orElseThrow().status());
    }

    @Test
    void aSentCampaignRefusesEveryChangeWithoutALine() {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        service.send(OWNER, id, null);
        // The dispatcher's and the senders' own moves, with no line: an audience of none is sent at once.
        assertTrue(campaigns.transition(id, EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING, null, false));
        assertTrue(campaigns.dispatched(id, 1, 0));
        assertTrue(campaigns.finish(id, 1, CLOCK.instant()));
        List<String> before = actions(id);

        for (Consumer<String> change : List.<Consumer<String>>of(id1 -> service.pause(OWNER, id1),
                id1 -> service.resume(OWNER, id1), id1 -> service.cancel(OWNER, id1),
                id1 -> service.send(OWNER, id1, null))) {
            var refused = assertThrows(ConflictException.class, () -> change.accept(id));
            assertTrue(refused.getMessage().startsWith("This campaign has been sent to all its recipients"),
                    refused.getMessage());
        }
        assertEquals(Campaign.Status.SENT, campaigns.find(id).orElseThrow().status());
        assertEquals(List.of("campaign.created", "campaign.scheduled"), before);
        assertEquals(before, actions(id));
    }

    @Test
    void eachChangeIsOneTransactionOfTheCampaignAndItsLine() {
        List<String> id = new ArrayList<>();
        Consumer<Runnable> oneTransaction = change -> {
            operations.clear();
            change.run();
            assertEquals(1, operations.stream().filter("TransactWriteItems"::equals).count(), operations.toString());
            assertFalse(operations.contains("PutItem") || operations.contains("UpdateItem"), operations.toString());
        };
        oneTransaction.accept(() -> id.add(service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id()));
        oneTransaction.accept(() -> service.update(OWNER, id.get(0), new CampaignDraft(tag, "<p>Hello</p>", null)));
        oneTransaction.accept(() -> service.send(OWNER, id.get(0), LATER));
        oneTransaction.accept(() -> service.pause(OWNER, id.get(0)));
        oneTransaction.accept(() -> service.resume(OWNER, id.get(0)));
        oneTransaction.accept(() -> service.cancel(OWNER, id.get(0)));
        assertEquals(List.of("campaign.created", "campaign.updated", "campaign.scheduled", "campaign.paused",
                "campaign.resumed", "campaign.cancelled"), actions(id.get(0)));
    }

    /**
     * A test mail is SES's, not DynamoDB's: it cannot share a transaction with its line, so its
     * request is recorded before the send and its outcome after: sent, or failed when SES refused.
     */
    @Test
    void aTestSendIsRecordedAsRequestedBeforeSesAndAsSentOrFailedAfter() {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        sesFails = new IllegalStateException("SES is down");
        int mailsBefore = mails.size();
        assertThrows(IllegalStateException.class, () -> service.sendTest(OWNER, id, "https://api.example.com"));
        assertEquals(mailsBefore, mails.size());
        assertEquals(List.of("campaign.created", "campaign.test_requested", "campaign.test_failed"), actions(id));

        operations.clear();
        service.sendTest(OWNER, id, "https://api.example.com");
        assertEquals(mailsBefore + 1, mails.size());
        assertEquals("PutItem", operations.get(operations.size() - 1), "the outcome's line, last: " + operations);
        assertEquals(List.of("campaign.created", "campaign.test_requested", "campaign.test_failed",
                "campaign.test_requested", "campaign.test_sent"), actions(id));
    }

    /** Stopped before each of its DynamoDB calls, a test send never leaves a mail without its request's line. */
    @Test
    void aTestSendStoppedAnywhereLeavesNoMailWithoutALine() {
        operations.clear();
        String counted = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        operations.clear();
        service.sendTest(OWNER, counted, "https://api.example.com");
        int calls = operations.size();
        for (int call = 1; call <= calls; call++) {
            String id = service.create(OWNER, new CampaignDraft(tag + " " + call, "<p>Hi</p>", null)).id();
            int mailsBefore = mails.size();
            stopping.stoppedBefore(call, () -> stoppable.sendTest(OWNER, id, "https://api.example.com"));
            List<String> lines = actions(id);
            if (mails.size() > mailsBefore) {
                assertTrue(lines.contains("campaign.test_requested"), "stopped before call " + call + ": " + lines);
            }
            if (call == calls) {
                assertEquals(mailsBefore + 1, mails.size(), "the last call is the outcome's line, after SES");
                assertEquals(List.of("campaign.created", "campaign.test_requested"), lines,
                        "an attempt whose outcome the trail does not know, never a missing one");
            }
        }
    }

    /** SnapStart's priming runs an owner's change through the transaction's whole path, refused: nothing is written. */
    @Test
    void primingWritesNeitherACampaignNorALine() {
        String id = "priming-" + UUID.randomUUID();
        var owners = new DynamoCampaignStore(aws.dynamo(operations::add), aws.physicalName("CampaignsTable"), trail, CLOCK);

        owners.prime(id);

        assertEquals(List.of("TransactWriteItems"), operations);
        assertTrue(campaigns.find(id).isEmpty());
        assertEquals(List.of(), actions(id));
    }

    /** A campaign of the owner's, scheduled at {@code sendAt} (in the past: the owner's service refuses it). */
    private String dueAt(Instant sendAt) {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        assertTrue(campaigns.transition(id, EnumSet.of(Campaign.Status.DRAFT), Campaign.Status.SCHEDULED, sendAt, true));
        return id;
    }

    /** One more recipient of pass 1 handled, with the counters' write a sender makes with their record. */
    private static void handled(String id) {
        aws.dynamo().updateItem(DynamoCampaignStore.countersWrite(id, Map.of("sent", 1L), 1)
                .single(aws.physicalName("CampaignsTable")));
    }

    private static Map<String, AttributeValue> item(String id) {
        return aws.dynamo().getItem(b -> b.tableName(aws.physicalName("CampaignsTable"))
                .key(shop.core.dynamo.DynamoItems.key("CAMPAIGN#" + id)).consistentRead(true)).item();
    }

    /** The campaigns store, adding to {@code madeSent} each campaign a call of finish made SENT. */
    private static CampaignStore finishes(List<String> madeSent) {
        return (CampaignStore) java.lang.reflect.Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(campaigns, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("finish") && Boolean.TRUE.equals(result)) {
                        madeSent.add((String) args[0]);
                    }
                    return result;
                });
    }

    /** A campaign at {@code status}, made through the owner's service. */
    private String campaignAt(Campaign.Status status) {
        String id = service.create(OWNER, new CampaignDraft(tag, "<p>Hi</p>", null)).id();
        if (status != Campaign.Status.DRAFT) {
            service.send(OWNER, id, LATER);
        }
        if (status == Campaign.Status.PAUSED) {
            service.pause(OWNER, id);
        }
        assertEquals(status, campaigns.find(id).orElseThrow().status());
        return id;
    }

    private Campaign find(Change change, String id) {
        if (change == Change.CREATE) {
            List<Campaign> drafts = withTag();
            return drafts.isEmpty() ? null : drafts.get(0);
        }
        return campaigns.find(id).orElseThrow();
    }

    /** The lines of {@code change}'s action on its campaign; for a creation, on any campaign of this test's subject. */
    private List<String> lines(Change change, String id) {
        if (change != Change.CREATE) {
            return actions(id).stream().filter(change.action::equals).toList();
        }
        List<String> lines = new ArrayList<>();
        for (var page : aws.dynamo().scanPaginator(b -> b.tableName(aws.physicalName("AdminAuditTable"))
                .filterExpression("#action = :created AND contains(#after, :tag)")
                .expressionAttributeNames(Map.of("#action", "action", "#after", "after"))
                .expressionAttributeValues(Map.of(":created", AttributeValue.fromS("campaign.created"),
                        ":tag", AttributeValue.fromS(tag))))) {
            page.items().forEach(item -> lines.add(item.get("action").s()));
        }
        return lines;
    }

    /** The campaigns of this test's subject, read from the table itself. */
    private List<Campaign> withTag() {
        List<Campaign> found = new ArrayList<>();
        for (var page : aws.dynamo().scanPaginator(b -> b.tableName(aws.physicalName("CampaignsTable"))
                .filterExpression("#subject = :tag")
                .expressionAttributeNames(Map.of("#subject", "subject"))
                .expressionAttributeValues(Map.of(":tag", AttributeValue.fromS(tag))))) {
            page.items().forEach(item -> campaigns.find(item.get("pk").s().substring("CAMPAIGN#".length()))
                    .ifPresent(found::add));
        }
        return found;
    }

    private static List<String> actions(String id) {
        return trail.of("CAMPAIGN#" + id).stream().map(AdminAction::action).toList();
    }
}
