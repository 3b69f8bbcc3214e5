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
 * A dispatched campaign stays due until it is SENT: each run finishes one whose every queued
 * recipient is handled, so a run stopped between its DISPATCHED write and its finish (when the
 * senders were through first, or there was no one to send to) leaves that to the next run.
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
        for (Campaign campaign : store.due(now)) {
            if (campaign.status() == Campaign.Status.DISPATCHED) {
                // Read just now: finished here only when no sender is left to do it (or one was stopped first).
                finishIfComplete(campaign, campaign.pass());
                continue;
            }
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
                // The senders may have handled everyone before this (or there was no one to queue): then no
                // sender's count comes after, and finishing it falls to here. Also when the write was refused
                // because it was made already (its answer lost and the SDK's retry refused, or another run's).
                // Read first, as a refused write is billed as the whole item. A run stopped before this leaves
                // it to the next run, which finds the campaign still due.
                if (store.dispatched(id, pass, page.addressHashes().size())) {
                    Log.info("campaign_dispatched", Map.of("campaign", id, "pass", pass, "queuedThisRun", queued));
                    finish(id, pass);
                } else {
                    store.find(id).ifPresent(c -> finishIfComplete(c, pass));
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

    private void finishIfComplete(Campaign campaign, int pass) {
        if (campaign.status() == Campaign.Status.DISPATCHED && campaign.pass() == pass
                && campaign.counts().handled() >= campaign.counts().queued()) {
            finish(campaign.id(), pass);
        }
    }

    private void finish(String id, int pass) {
        if (store.finish(id, pass, clock.instant())) {
            Log.info("campaign_sent", Map.of("campaign", id, "pass", pass));
        }
    }
}
