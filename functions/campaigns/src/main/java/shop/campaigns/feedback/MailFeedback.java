package shop.campaigns.feedback;

import java.time.Instant;

/** What SES's feedback changes in the shop's data (template.yaml's CampaignsTable and SubscribersTable). */
public interface MailFeedback {
    /**
     * Records that this event was handled for this recipient; false when it was before (SES
     * delivers events at least once).
     */
    boolean firstTime(String messageId, String type, String addressHash, Instant now);

    /** Undoes {@link #firstTime} when handling failed, so the redelivery does the work. */
    void forget(String messageId, String type, String addressHash);

    /**
     * Unsubscribes and suppresses the address, giving {@code reason} and the event's time, unless
     * the person confirmed a fresh signup after {@code at} (a late event must not undo a newer
     * opt-in). Doing it twice changes nothing more.
     */
    void suppress(String addressHash, String reason, Instant at);

    /** Adds one to a campaign's counter. */
    void count(String campaignId, String counter);
}
