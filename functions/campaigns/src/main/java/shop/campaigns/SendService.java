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
 * claim and before SES accepted the mail gives the claim back, so the message's retry sends it.
 * No recipient is claimed unless there is time left to send their mail: Lambda stopping the
 * function at its timeout runs no code, and a claim it left behind would keep that person from
 * the campaign for good.
 */
public final class SendService {
    static final long STATUS_READ_NANOS = 2_000_000_000L;
    /** Beyond the pacer's wait: a claim, the link's transaction, SES's answer and the notes, retries included. */
    static final long TIME_TO_SEND_ONE_MILLIS = 10_000;

    private final CampaignStore campaigns;
    private final SendRecords records;
    private final SuppressionList suppressions;
    private final Recipients recipients;
    private final CampaignMails mails;
    private final CampaignMailer mailer;
    private final Pacer pacer;
    private final Clock clock;

    public SendService(CampaignStore campaigns, SendRecords records, SuppressionList suppressions, Recipients recipients,
                       CampaignMails mails, CampaignMailer mailer, Pacer pacer, Clock clock) {
        this.campaigns = campaigns;
        this.records = records;
        this.suppressions = suppressions;
        this.recipients = recipients;
        this.mails = mails;
        this.mailer = mailer;
        this.pacer = pacer;
        this.clock = clock;
    }

    /**
     * Sends to each of {@code addressHashes} that should get it; returns how many mails went out.
     * When {@code remainingMillis} (the invocation's time left) is too short to send one more, it
     * stops with {@link OutOfTimeException}, before claiming anyone: the message comes back, and
     * its retry skips those already sent.
     */
    public int send(String campaignId, List<String> addressHashes, LongSupplier remainingMillis) {
        long started = System.nanoTime();
        int sent = 0;
        Campaign campaign = null;
        long readAt = 0;
        for (String addressHash : addressHashes) {
            // Read again every STATUS_READ_NANOS: a pause or cancel takes effect within two seconds,
            // without reading the whole campaign (its HTML) once per mail.
            if (campaign == null || System.nanoTime() - readAt > STATUS_READ_NANOS) {
                Optional<Campaign> current = campaigns.find(campaignId);
                readAt = System.nanoTime();
                if (current.isEmpty() || !current.get().status().sends()) {
                    Log.info("campaign_batch_dropped", Map.of("campaign", campaignId,
                            "status", current.map(c -> c.status().name()).orElse("GONE")));
                    break;
                }
                campaign = current.get();
            }
            if (remainingMillis.getAsLong() < pacer.intervalMillis() + TIME_TO_SEND_ONE_MILLIS) {
                Log.info("campaign_batch_out_of_time", Map.of("campaign", campaignId, "sent", sent));
                throw new OutOfTimeException(campaignId);
            }
            if (sendOne(campaign, addressHash)) {
                sent++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Log.info("campaign_batch_sent", Map.of("campaign", campaignId, "recipients", addressHashes.size(),
                "sent", sent, "seconds", Math.round(seconds * 1000) / 1000.0,
                "pacePerSecond", pacer.mailsPerSecond()));
        return sent;
    }

    /** Too little of the invocation is left to send one more mail; the batch's message is retried. */
    public static final class OutOfTimeException extends RuntimeException {
        OutOfTimeException(String campaignId) {
            super("Out of time in a batch of campaign " + campaignId + "; its message is retried");
        }
    }

    private boolean sendOne(Campaign campaign, String addressHash) {
        if (suppressions.suppressed(addressHash)) {
            return false;
        }
        Instant now = clock.instant();
        if (!records.claim(campaign.id(), addressHash, now)) {
            return false;
        }
        // From the claim until SES answers, any failure (the link's write cancelled or throttled, a
        // counter, SES refusing) means nothing went out: the claim goes, so the retry sends it.
        boolean counted = false;
        String messageId;
        try {
            campaigns.count(campaign.id(), "recipients", 1);
            counted = true;
            String token = Tokens.newToken();
            Optional<EmailAddress> to = recipients.issueUnsubscribeLink(addressHash, campaign.id(), Tokens.hash(token),
                    Instant.ofEpochSecond(RetentionSchedule.NEWSLETTER_UNSUBSCRIBE_TOKEN.expiresAt(now)), now);
            if (to.isEmpty()) {
                records.skipped(campaign.id(), addressHash, "not subscribed");
                campaigns.count(campaign.id(), "skipped", 1);
                return false;
            }
            pacer.acquire();
            messageId = mailer.send(mails.mail(to.get(), campaign, token), campaign.id());
        } catch (RuntimeException beforeSesAccepted) {
            try {
                records.release(campaign.id(), addressHash);
                if (counted) {
                    campaigns.count(campaign.id(), "recipients", -1);
                }
            } catch (RuntimeException releaseFailed) {
                beforeSesAccepted.addSuppressed(releaseFailed);
            }
            throw beforeSesAccepted;
        }
        records.sent(campaign.id(), addressHash, messageId, clock.instant());
        campaigns.count(campaign.id(), "sent", 1);
        return true;
    }
}
