package shop.campaigns.feedback;

import java.time.Instant;

/** What SES's feedback changes in the shop's data (template.yaml's CampaignsTable and SubscribersTable). */
public interface MailFeedback {
    /**
     * Records that this event was handled for this recipient; false when it was before (SES
     * delivers events at least once). For the events that count on no campaign.
     */
    boolean firstTime(String messageId, String type, String addressHash, Instant now);

    /**
     * {@link #firstTime} and one added to the campaign's {@code counter}, all or nothing: false,
     * and nothing counted, when the event was handled for this recipient before. A campaign that
     * is no longer there (past its retention) is not counted on, and the event is still recorded
     * as handled.
     */
    boolean firstTimeCounted(String messageId, String type, String addressHash, Instant now, String campaignId,
                             String counter);

    /**
     * Undoes {@link #firstTime} when mailing the owner about it failed, so the redelivery mails
     * again. Never after {@link #firstTimeCounted}: the redelivery would count again.
     */
    void forget(String messageId, String type, String addressHash);

    /**
     * Unsubscribes and suppresses the address, giving {@code reason} and the event's time, unless
     * the person confirmed a fresh signup after {@code at} (a late event must not undo a newer
     * opt-in). Doing it twice changes nothing more.
     */
    void suppress(String addressHash, String reason, Instant at);
}
