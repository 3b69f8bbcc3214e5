package shop.campaigns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatchServiceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void aDueCampaignIsQueuedPageByPageAndOnlyOnce() {
        var campaigns = new Fakes.Campaigns();
        var people = confirmed(2500);
        var queue = new Fakes.Queue();
        campaigns.create(scheduledNow("c1"));
        campaigns.create(new Campaign("later", "s", "<p>h</p>", "h", Campaign.Status.SCHEDULED,
                CLOCK.instant().plusSeconds(3600), CLOCK.instant(), "owner", 1, CampaignCounts.NONE, null));
        var service = new DispatchService(campaigns, people, queue, CLOCK);

        assertEquals(2500, service.run(() -> 60_000));
        assertEquals(3, queue.messages.size(), "three pages of at most 1000");
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c1").orElseThrow().status());
        assertEquals(Campaign.Status.SCHEDULED, campaigns.find("later").orElseThrow().status(), "not due yet");
        assertEquals(0, service.run(() -> 60_000), "a dispatched campaign is not queued again");
    }

    @Test
    void aRunOutOfTimeLeavesTheRestToTheNextRunFromWhereItStopped() {
        var campaigns = new Fakes.Campaigns();
        var people = confirmed(2500);
        var queue = new Fakes.Queue();
        campaigns.create(scheduledNow("c1"));
        var service = new DispatchService(campaigns, people, queue, CLOCK);
        long[] calls = {0};
        // Time for one page only.
        service.run(() -> calls[0]++ < 1 ? 60_000 : 1_000);
        assertEquals(1, queue.messages.size());
        assertEquals(Campaign.Status.SENDING, campaigns.find("c1").orElseThrow().status());
        service.run(() -> 60_000);
        assertEquals(2500, queue.messages.stream().mapToInt(List::size).sum(), "no one twice, no one left out");
        assertEquals(2500, queue.messages.stream().flatMap(List::stream).distinct().count());
    }

    @Test
    void aCampaignWithNoOneToSendToIsSentAtDispatch() {
        var campaigns = new Fakes.Campaigns();
        var queue = new Fakes.Queue();
        campaigns.create(scheduledNow("c1"));

        assertEquals(0, new DispatchService(campaigns, new Fakes.People(), queue, CLOCK).run(() -> 60_000));

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status(), "no sender will ever count anyone: done at once");
        assertEquals(CLOCK.instant(), campaign.finishedAt());
        assertEquals(0, campaign.counts().queued());
        assertEquals(List.of(), queue.messages);
    }

    /**
     * Two runs of the dispatcher on one campaign at once (a run past its minute, EventBridge delivering the schedule
     * twice; or one run's write retried after its answer was lost): each queued the page it read and counted it in
     * {@code queued}, which then exceeded the audience; {@code handled} never reached it and the campaign stayed
     * DISPATCHED for good. The place each read must still be there for its count to be written.
     */
    @Test
    void twoRunsAtOnceCountEachRecipientOnceInQueuedAndTheCampaignCanEnd() {
        var campaigns = new Fakes.Campaigns();
        var people = confirmed(2500);
        var queue = new Fakes.Queue();
        campaigns.create(scheduledNow("c1"));
        var other = new DispatchService(campaigns, people, queue, CLOCK);
        boolean[] overtaken = {false};
        // While this run reads its first page, the other run queues that page and saves its place after it.
        Audience overtaking = new Audience() {
            @Override
            public Page page(java.util.Optional<String> after, int limit) {
                if (!overtaken[0]) {
                    overtaken[0] = true;
                    long[] calls = {0};
                    other.run(() -> calls[0]++ < 1 ? 60_000 : 1_000);
                }
                return people.page(after, limit);
            }

            @Override
            public long count() {
                return people.count();
            }
        };

        new DispatchService(campaigns, overtaking, queue, CLOCK).run(() -> 60_000);
        other.run(() -> 60_000);

        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.DISPATCHED, campaign.status());
        assertEquals(2500, campaign.counts().queued(), "each recipient counted once, however often queued");
        assertEquals(2500, queue.messages.stream().flatMap(List::stream).distinct().count(), "no one left out");
    }

    /**
     * The dispatcher's last write made but its answer lost (the SDK's retry then refused, as the campaign is
     * DISPATCHED already) with no one to send to, or every sender through first: nobody else would finish the
     * campaign, which stayed DISPATCHED for good and the owner's page refreshing. The refused write is followed by a
     * read, and the campaign finished from it.
     */
    @Test
    void aDispatchWhoseAnswerWasLostStillEndsTheCampaignNoSenderWillFinish() {
        var made = new Fakes.Campaigns();
        CampaignStore answerLost = (CampaignStore) java.lang.reflect.Proxy.newProxyInstance(
                CampaignStore.class.getClassLoader(), new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(made, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    return method.getName().equals("dispatched") ? Boolean.FALSE : result;
                });
        made.create(scheduledNow("c1"));

        new DispatchService(answerLost, new Fakes.People(), new Fakes.Queue(), CLOCK).run(() -> 60_000);

        Campaign campaign = made.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(CLOCK.instant(), campaign.finishedAt());
    }

    /**
     * The dispatcher stopped (its time up, a crash) after its DISPATCHED write and before its own finish, with no one
     * to send to: no sender will ever count anyone, and the campaign stayed DISPATCHED for good, the owner's page
     * polling "sending…". It stays due, and the next run makes it SENT, once.
     */
    @Test
    void aDispatcherStoppedBeforeItsFinishLeavesAnEmptyCampaignToTheNextRunWhichMakesItSentOnce() {
        var campaigns = new Fakes.Campaigns();
        campaigns.create(scheduledNow("c1"));

        stopped(() -> new DispatchService(stoppedAtFinish(campaigns), new Fakes.People(), new Fakes.Queue(), CLOCK)
                .run(() -> 60_000));
        assertEquals(Campaign.Status.DISPATCHED, campaigns.find("c1").orElseThrow().status(), "stopped before its finish");

        var service = new DispatchService(campaigns, new Fakes.People(), new Fakes.Queue(), CLOCK);
        assertEquals(0, service.run(() -> 60_000), "no one queued again");
        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.SENT, campaign.status());
        assertEquals(CLOCK.instant(), campaign.finishedAt());
        service.run(() -> 60_000);
        assertEquals(List.of("c1"), campaigns.finished, "made SENT once");
    }

    /**
     * Every sender through before the DISPATCHED write (their finish refused, as the campaign was still SENDING) and
     * the dispatcher stopped before its own: a later run finishes it only once every queued recipient is handled, and
     * queues no one again. Until then the campaign is still being sent and stays DISPATCHED.
     */
    @Test
    void aLaterRunFinishesADispatchedCampaignOnlyOnceEveryQueuedRecipientIsHandled() {
        var campaigns = new Fakes.Campaigns();
        var people = new Fakes.People();
        people.confirmed.add("a@example.com");
        people.confirmed.add("b@example.com");
        people.confirmed.add("c@example.com");
        campaigns.create(scheduledNow("c1"));
        var queue = new Fakes.Queue();
        // The senders handle all but the last at once, before the dispatcher's DISPATCHED write.
        RecipientQueue sendersFirst = (id, pass, hashes) -> {
            queue.enqueue(id, pass, hashes);
            hashes.subList(0, hashes.size() - 1).forEach(hash -> campaigns.counted(id, pass, Map.of("sent", 1L)));
        };
        stopped(() -> new DispatchService(stoppedAtFinish(campaigns), people, sendersFirst, CLOCK).run(() -> 60_000));
        var service = new DispatchService(campaigns, people, queue, CLOCK);

        assertEquals(0, service.run(() -> 60_000));
        Campaign campaign = campaigns.find("c1").orElseThrow();
        assertEquals(Campaign.Status.DISPATCHED, campaign.status(), "2 of 3 handled: still being sent");
        assertEquals(3, campaign.counts().queued());
        assertEquals(List.of(), campaigns.finished);

        // The last one handled by a sender stopped before its own finish.
        campaigns.counted("c1", 1, Map.of("sent", 1L));
        assertEquals(0, service.run(() -> 60_000));
        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());
        service.run(() -> 60_000);
        assertEquals(List.of("c1"), campaigns.finished, "made SENT once");
        assertEquals(1, queue.messages.size(), "no one queued again");
    }

    /** Two runs at once, each having read the dispatched campaign complete: one of them makes it SENT. */
    @Test
    void twoRunsAtOnceFinishADispatchedCampaignOnce() {
        var campaigns = new Fakes.Campaigns();
        campaigns.create(new Campaign("c1", "s", "<p>h</p>", "h", Campaign.Status.DISPATCHED, CLOCK.instant(),
                CLOCK.instant(), "owner", 1, CampaignCounts.NONE, null));
        var other = new DispatchService(campaigns, new Fakes.People(), new Fakes.Queue(), CLOCK);
        // The other run finishes it between this run's read of the due campaigns and its finish.
        CampaignStore overtaken = proxy(campaigns, (method, result) -> {
            if (method.equals("due")) {
                other.run(() -> 60_000);
            }
        });

        new DispatchService(overtaken, new Fakes.People(), new Fakes.Queue(), CLOCK).run(() -> 60_000);

        assertEquals(Campaign.Status.SENT, campaigns.find("c1").orElseThrow().status());
        assertEquals(List.of("c1"), campaigns.finished, "made SENT once");
    }

    /** The store, as a function stopped before its finish (a crash, its time up) sends nothing more. */
    private static CampaignStore stoppedAtFinish(CampaignStore store) {
        boolean[] stopped = {false};
        return (CampaignStore) java.lang.reflect.Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    if (stopped[0] || method.getName().equals("finish")) {
                        stopped[0] = true;
                        throw new IllegalStateException("stopped before " + method.getName());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The store, calling {@code after} with each method's name and result once it has answered. */
    private static CampaignStore proxy(CampaignStore store, java.util.function.BiConsumer<String, Object> after) {
        return (CampaignStore) java.lang.reflect.Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    after.accept(method.getName(), result);
                    return result;
                });
    }

    private static void stopped(Runnable run) {
        try {
            run.run();
        } catch (IllegalStateException stopped) {
            // as a function stopped there: what it left written is what the test looks at
        }
    }

    /** {@code count} confirmed subscribers, r00000@example.com on. */
    private static Fakes.People confirmed(int count) {
        var people = new Fakes.People();
        for (int i = 0; i < count; i++) {
            people.confirmed.add(String.format("r%05d@example.com", i));
        }
        return people;
    }

    /** A campaign scheduled for now, on its first pass, nothing counted yet. */
    private static Campaign scheduledNow(String id) {
        return new Campaign(id, "s", "<p>h</p>", "h", Campaign.Status.SCHEDULED, CLOCK.instant(), CLOCK.instant(),
                "owner", 1, CampaignCounts.NONE, null);
    }
}
