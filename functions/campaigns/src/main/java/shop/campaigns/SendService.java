package shop.campaigns;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import shop.core.email.EmailAddress;
import shop.core.logging.Log;
import shop.core.mail.SuppressionList;
import shop.core.retention.RetentionSchedule;
import shop.core.security.Tokens;

/**
 * Sends one queued batch of a campaign, paced to this sender's share of the SES rate, while the
 * campaign is still sending (read every 2 seconds). For each recipient, at the moment of sending:
 * the address must not be suppressed, the send record is claimed (a second try of the same person stops here), and
 * the person must still be a confirmed subscriber, which also stores their unsubscribe link. A failure after the
 * claim and before SES accepted the mail gives the claim back, so the message's retry sends it;
 * on the message's last receive the recipient is counted {@code failed} instead (the record and the
 * counters in one transaction), and the message, redriven from the dead-letter queue, claims them
 * once more, as does a later pass (a paused campaign drops every message it receives, redriven ones
 * too, and its resume queues the audience again). No recipient is claimed unless there
 * is time left to send their mail: Lambda stopping the function at its timeout runs no code, and a claim it left behind would keep that person from
 * the campaign for good.
 *
 * <p>Each recipient of a pass is counted once as handled (sent, skipped, failed or given up), in one
 * transaction with their send record's outcome and its counters ({@link SendRecords}), so that a stop
 * anywhere leaves the pass able to end; a failed one sent or skipped on a retry moves from
 * {@code failed} to that counter in the same way (handled again only when the retry is a later
 * pass's), and one whose sender stopped before SES answered is given up, once its claim is old:
 * whether that mail went out is unknown. A batch that counted anyone reads the campaign at its end
 * and, when it is DISPATCHED on this pass with every queued recipient handled, makes it SENT with a
 * conditional write, so exactly one of the senders does, whatever the order.
 */
public final class SendService {
    static final long STATUS_READ_NANOS = 2_000_000_000L;
    /** Beyond the pacer's wait: a claim, the link's transaction, SES's answer and the notes, retries included. */
    static final long TIME_TO_SEND_ONE_MILLIS = 10_000;
    /**
     * A claim this old without an outcome was left by a sender that stopped (template.yaml's
     * CampaignSendFunction times out after 90 s, and no claim is made without time to finish it).
     */
    static final long ABANDONED_AFTER_MILLIS = 5 * 60_000;

    private final CampaignStore campaigns;
    private final SendRecords records;
    private final SuppressionList suppressions;
    private final Recipients recipients;
    private final CampaignMails mails;
    private final CampaignMailer mailer;
    private final Pacer pacer;
    private final Clock clock;
    private final int maxReceives;

    /**
     * @param maxReceives the recipients queue's {@code maxReceiveCount} (template.yaml's RedrivePolicy):
     *                    the receive after which a failing message goes to the dead-letter queue
     */
    public SendService(CampaignStore campaigns, SendRecords records, SuppressionList suppressions, Recipients recipients,
                       CampaignMails mails, CampaignMailer mailer, Pacer pacer, Clock clock, int maxReceives) {
        this.campaigns = campaigns;
        this.records = records;
        this.suppressions = suppressions;
        this.recipients = recipients;
        this.mails = mails;
        this.mailer = mailer;
        this.pacer = pacer;
        this.clock = clock;
        if (maxReceives < 1) {
            throw new IllegalArgumentException("maxReceives must be at least 1: " + maxReceives);
        }
        this.maxReceives = maxReceives;
    }

    /**
     * Sends to each of {@code addressHashes} that should get it; returns how many mails went out.
     * When {@code remainingMillis} (the invocation's time left) is too short to send one more, it
     * stops with {@link OutOfTimeException}, before claiming anyone: the message comes back, and
     * its retry skips those already sent.
     *
     * <p>On the message's last receive ({@code receiveCount} has reached the queue's
     * {@code maxReceiveCount}: failing now sends it to the dead-letter queue) a recipient whose
     * attempt fails before SES accepted the mail, or who is not reached for want of time, is
     * counted {@code failed} and handled for the pass, and the batch goes on with the next one; the
     * message still fails at the end, so it waits in the dead-letter queue, and its redrive sends
     * to them (once: their record is claimed again only while it says failed).
     *
     * @param pass         the pass that queued them (as the dispatcher wrote it in the message); 0 when
     *                     the message does not say, and then the campaign's current pass
     * @param receiveCount how many times SQS has handed this message out, this time included
     */
    public int send(String campaignId, int pass, List<String> addressHashes, LongSupplier remainingMillis,
                    int receiveCount) {
        boolean lastReceive = receiveCount >= maxReceives;
        long started = System.nanoTime();
        int sent = 0;
        int failed = 0;
        RuntimeException failure = null;
        Campaign campaign = null;
        long readAt = 0;
        // Set when this batch counted a recipient in the pass, who may be its last: checked once, with
        // one read, at the end of the batch rather than after every mail.
        boolean mayBeLast = false;
        boolean outOfTime = false;
        for (String addressHash : addressHashes) {
            // Read again every STATUS_READ_NANOS: a pause or cancel takes effect within two seconds,
            // without reading the whole campaign (its HTML) once per mail.
            if (campaign == null || System.nanoTime() - readAt > STATUS_READ_NANOS) {
                Optional<Campaign> current = campaigns.find(campaignId);
                readAt = System.nanoTime();
                // A SENT campaign still takes its redriven messages: their failed recipients are sent.
                if (current.isEmpty()
                        || !current.get().status().sends() && current.get().status() != Campaign.Status.SENT) {
                    Log.info("campaign_batch_dropped", Map.of("campaign", campaignId,
                            "status", current.map(c -> c.status().name()).orElse("GONE")));
                    if (failure != null) {
                        // Paused during a last receive: those counted failed keep their message for a redrive.
                        throw failure;
                    }
                    return sent;
                }
                campaign = current.get();
                if (pass <= 0) {
                    pass = campaign.pass();
                }
            }
            if (!outOfTime && remainingMillis.getAsLong() < pacer.intervalMillis() + TIME_TO_SEND_ONE_MILLIS) {
                Log.info("campaign_batch_out_of_time", Map.of("campaign", campaignId, "sent", sent,
                        "lastReceive", lastReceive));
                if (!lastReceive) {
                    endOfBatch(campaign, pass, mayBeLast);
                    throw new OutOfTimeException(campaignId);
                }
                // The last receive: those not reached are counted failed (no mail), so the pass can end.
                outOfTime = true;
                failure = new OutOfTimeException(campaignId);
            }
            Outcome outcome;
            try {
                outcome = sendOne(campaign, pass, addressHash, lastReceive, outOfTime);
            } catch (RuntimeException notRecorded) {
                if (!lastReceive) {
                    throw notRecorded;
                }
                // Nothing could be recorded for this one (DynamoDB refused): the others are still tried.
                failure = failure == null ? notRecorded : failure;
                continue;
            }
            if (outcome.failure() != null) {
                failed++;
                failure = failure == null ? outcome.failure() : failure;
            }
            if (outcome.mailed()) {
                sent++;
            }
            // Counted in a transaction, which does not answer the count: the batch's end reads it.
            mayBeLast |= outcome.counted();
        }
        endOfBatch(campaign, pass, mayBeLast);
        double seconds = (System.nanoTime() - started) / 1e9;
        Log.info("campaign_batch_sent", Map.of("campaign", campaignId, "recipients", addressHashes.size(),
                "sent", sent, "failed", failed, "seconds", Math.round(seconds * 1000) / 1000.0,
                "pacePerSecond", pacer.mailsPerSecond()));
        if (failure != null) {
            // The message fails all the same: it waits in the dead-letter queue for a redrive.
            Log.error("campaign_batch_failed_on_last_receive", Map.of("campaign", campaignId, "failed", failed,
                    "exception", failure.getClass().getName()));
            throw failure;
        }
        return sent;
    }

    /**
     * Finishes the campaign if it is complete: as read, when the batch that counted the last one
     * stopped before it could finish it and this is that message's retry; or read once more, after
     * this batch's last count, when this batch counted anyone (a transaction answers no count). The
     * sender whose count comes last reads after it, and so does the dispatcher after DISPATCHED:
     * one of them finds the pass complete. A read rather than trying the write: a refused
     * conditional write is billed as a write of the whole campaign item.
     */
    private void endOfBatch(Campaign campaign, int pass, boolean mayBeLast) {
        if (campaign == null) {
            return;
        }
        Optional<Campaign> now = complete(campaign, pass) || !mayBeLast ? Optional.of(campaign)
                : campaigns.find(campaign.id());
        if (now.filter(c -> complete(c, pass)).isPresent()) {
            finish(campaign.id(), pass);
        }
    }

    private static boolean complete(Campaign campaign, int pass) {
        return campaign.status() == Campaign.Status.DISPATCHED && campaign.pass() == pass
                && campaign.counts().handled() >= campaign.counts().queued();
    }

    private void finish(String campaignId, int pass) {
        if (campaigns.finish(campaignId, pass, clock.instant())) {
            Log.info("campaign_sent", Map.of("campaign", campaignId, "pass", pass));
        }
    }

    /** Too little of the invocation is left to send one more mail; the batch's message is retried. */
    public static final class OutOfTimeException extends RuntimeException {
        OutOfTimeException(String campaignId) {
            super("Out of time in a batch of campaign " + campaignId + "; its message is retried");
        }
    }

    /**
     * What became of one recipient: mailed or not, counted handled in the pass now (the pass may be
     * complete), and why the attempt failed when they were counted {@code failed}.
     */
    private record Outcome(boolean mailed, boolean counted, RuntimeException failure) {
        static final Outcome NOTHING = new Outcome(false, false, null);
    }

    private Outcome sendOne(Campaign campaign, int pass, String addressHash, boolean lastReceive, boolean outOfTime) {
        Instant now = clock.instant();
        String id = campaign.id();
        boolean suppressed = suppressions.suppressed(addressHash);
        SendRecords.Claim claim;
        // A claim that refused ours and was released before we read it (its sender failed before SES accepted the
        // mail) leaves the person to us: claimed again, at most twice more.
        for (int tries = 1; ; tries++) {
            // Claimed even when suppressed, so that this pass counts them once however often they are queued.
            claim = records.claim(id, addressHash, pass, now);
            if (claim == SendRecords.Claim.RETRYING
                    && records.giveUp(id, addressHash, now.minusMillis(ABANDONED_AFTER_MILLIS))) {
                // A retry's sender stopped between its claim and SES's answer: at most once, never again.
                Log.info("campaign_recipient_given_up", Map.of("campaign", id, "pass", pass, "was", "failed"));
            }
            if (claim != SendRecords.Claim.TAKEN && claim != SendRecords.Claim.RETRYING) {
                break;
            }
            Optional<Outcome> adopted = adopt(id, pass, addressHash, now);
            if (adopted.isPresent() || tries == 3) {
                return adopted.orElse(Outcome.NOTHING);
            }
        }
        // From the claim until SES answers, any failure (the link's write cancelled or throttled, the
        // outcome's write, SES refusing) means nothing went out: the claim goes, so the retry sends it;
        // on the last receive there is no retry, and the recipient is counted failed instead. The
        // campaign counts nothing for a claim until its outcome, which is one transaction with it.
        String messageId;
        try {
            if (suppressed) {
                return new Outcome(false, records.skipped(id, addressHash, pass, claim, "suppressed"), null);
            }
            if (outOfTime) {
                throw new OutOfTimeException(id);
            }
            String token = Tokens.newToken();
            Optional<EmailAddress> to = recipients.issueUnsubscribeLink(addressHash, id, Tokens.hash(token),
                    Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_UNSUBSCRIBE_TOKEN.expiresAt(now)), now);
            if (to.isEmpty()) {
                return new Outcome(false, records.skipped(id, addressHash, pass, claim, "not subscribed"), null);
            }
            pacer.acquire();
            messageId = mailer.send(mails.mail(to.get(), campaign, token), id);
        } catch (RuntimeException beforeSesAccepted) {
            if (lastReceive) {
                return failed(beforeSesAccepted, id, pass, addressHash, claim, now);
            }
            releaseAfter(beforeSesAccepted, id, addressHash, claim);
            throw beforeSesAccepted;
        }
        // The record and its counters in one transaction. Should it fail (or the sender stop before
        // it), the claim stays without an outcome: not mailed again, and given up once it is old.
        return new Outcome(true, records.sent(id, addressHash, pass, claim, messageId, clock.instant()), null);
    }

    /**
     * The last receive's attempt failed: the recipient is recorded failed and, in the same
     * transaction, counted; a retry failed again stays failed, and is handled in {@code pass} when it
     * failed in an earlier one.
     */
    private Outcome failed(RuntimeException failure, String id, int pass, String addressHash, SendRecords.Claim claim,
                           Instant attemptAt) {
        try {
            return new Outcome(false, records.failed(id, addressHash, pass, claim, failure.getClass().getSimpleName(),
                    attemptAt), failure);
        } catch (RuntimeException notRecorded) {
            notRecorded.addSuppressed(failure);
            releaseAfter(notRecorded, id, addressHash, claim);
            throw notRecorded;
        }
    }

    /**
     * Someone tried before: counted in this pass when they were reached (or failed) in an earlier
     * one, or when their claim was left by a sender that stopped mid-send (given up, see
     * {@link SendRecords#adopt}). Empty when the record is gone (released since our claim was refused).
     */
    private Optional<Outcome> adopt(String id, int pass, String addressHash, Instant now) {
        return switch (records.adopt(id, addressHash, pass, now.minusMillis(ABANDONED_AFTER_MILLIS))) {
            case GONE -> Optional.empty();
            case NOTHING -> Optional.of(Outcome.NOTHING);
            case COUNTED -> Optional.of(new Outcome(false, true, null));
            case GIVEN_UP -> {
                Log.info("campaign_recipient_given_up", Map.of("campaign", id, "pass", pass, "was", "claimed"));
                yield Optional.of(new Outcome(false, true, null));
            }
        };
    }

    private void releaseAfter(RuntimeException failure, String id, String addressHash, SendRecords.Claim claim) {
        try {
            records.release(id, addressHash, claim);
        } catch (RuntimeException releaseFailed) {
            failure.addSuppressed(releaseFailed);
        }
    }
}
