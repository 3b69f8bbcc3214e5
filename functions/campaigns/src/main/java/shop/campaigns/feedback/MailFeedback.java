package shop.campaigns.feedback;

import java.time.Instant;
import shop.core.mail.SendClaim;

/** What SES's feedback changes in the shop's data (template.yaml's CampaignsTable and SubscribersTable). */
public interface MailFeedback {
    /**
     * Records that this event was handled for this recipient; false when it was before (SES
     * delivers events at least once). For the events that count on no campaign and mail no one.
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
     * Claims the owner's mail about this event (an order mail's permanent bounce) with
     * {@code token}, in the event's record: granted when the event was not handled before, or
     * when it was claimed before {@code staleBefore} and never marked sent (its holder stopped).
     */
    SendClaim claimOwnerMail(String messageId, String type, String addressHash, String token, Instant now,
                             Instant staleBefore);

    /** SES accepted the owner's mail about this event as {@code ownerMessageId}: it is handled. */
    void ownerMailSent(String messageId, String type, String addressHash, String ownerMessageId, Instant at);

    /**
     * Unsubscribes and suppresses the address, giving {@code reason} and the event's time, unless
     * the person confirmed a fresh signup after {@code at} (a late event must not undo a newer
     * opt-in). Doing it twice changes nothing more.
     */
    void suppress(String addressHash, String reason, Instant at);
}
