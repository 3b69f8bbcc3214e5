package shop.campaigns;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import shop.core.logging.Log;

/**
 * Runs every minute: starts the campaigns whose time has come and queues their audience, page by
 * page from the sparse index, saving its place after each page. A run that ends (its time is up,
 * or it fails) leaves the rest to the next run, which goes on from the saved place; a page queued
 * twice costs nothing but queue messages, as the senders' records keep one mail per person.
 */
public final class DispatchService {
    static final int PAGE_SIZE = 1000;

    private final CampaignStore store;
    private final Audience audience;
    private final RecipientQueue queue;
    private final Clock clock;

    public DispatchService(CampaignStore store, Audience audience, RecipientQueue queue, Clock clock) {
        this.store = store;
        this.audience = audience;
        this.queue = queue;
        this.clock = clock;
    }

    /** Dispatches until done or until {@code remainingMillis} says there is too little time left; returns recipients queued. */
    public long run(LongSupplier remainingMillis) {
        Instant now = clock.instant();
        long queued = 0;
        for (Campaign due : store.due(now)) {
            Campaign campaign = due;
            if (campaign.status() == Campaign.Status.SCHEDULED) {
                if (!store.transition(campaign.id(), EnumSet.of(Campaign.Status.SCHEDULED), Campaign.Status.SENDING,
                        null, false)) {
                    continue;
                }
                Log.info("campaign_started", Map.of("campaign", campaign.id(), "pass", campaign.pass()));
            }
            queued += dispatch(campaign.id(), campaign.pass(), remainingMillis);
            if (remainingMillis.getAsLong() < 5_000) {
                break;
            }
        }
        return queued;
    }

    private long dispatch(String id, int pass, LongSupplier remainingMillis) {
        Optional<String> cursor = store.cursor(id);
        long queued = 0;
        while (remainingMillis.getAsLong() >= 5_000) {
            Audience.Page page = audience.page(cursor, PAGE_SIZE);
            if (!page.addressHashes().isEmpty()) {
                queue.enqueue(id, pass, page.addressHashes());
                queued += page.addressHashes().size();
            }
            if (page.next().isEmpty()) {
                boolean dispatched = store.dispatched(id, pass, page.addressHashes().size());
                if (dispatched) {
                    Log.info("campaign_dispatched", Map.of("campaign", id, "pass", pass, "queuedThisRun", queued));
                }
                // The senders may have handled everyone before this (or there was no one to queue): then no
                // sender's count comes after, and finishing it falls to here. Also when the write was refused
                // because it was made already (its answer lost and the SDK's retry refused, or another run's):
                // no one else would finish it then. Read first, as a refused write is billed as the whole item.
                if ((dispatched || store.find(id).filter(c -> c.status() == Campaign.Status.DISPATCHED
                        && c.pass() == pass && c.counts().handled() >= c.counts().queued()).isPresent())
                        && store.finish(id, pass, clock.instant())) {
                    Log.info("campaign_sent", Map.of("campaign", id, "pass", pass));
                }
                return queued;
            }
            if (!store.advance(id, pass, cursor, page.next().get(), page.addressHashes().size())) {
                Log.info("campaign_dispatch_stopped", Map.of("campaign", id, "pass", pass));
                return queued;
            }
            cursor = page.next();
        }
        return queued;
    }
}
