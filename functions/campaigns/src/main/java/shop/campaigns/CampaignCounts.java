package shop.campaigns;

/**
 * What the owner sees of a campaign's sending. No opens or clicks: the shop does not track them.
 *
 * @param queued       recipients queued by the dispatcher in the current pass
 * @param recipients   people a mail was addressed to (one send record each)
 * @param sent         mails SES accepted
 * @param skipped      recipients who unsubscribed or were suppressed between queueing and sending
 * @param delivered    delivery events from SES
 * @param bounced      permanent bounces (the address is suppressed)
 * @param softBounced  transient bounces (counted only)
 * @param complained   spam complaints (the address is suppressed)
 * @param unsubscribed unsubscribes through this campaign's link
 */
public record CampaignCounts(long queued, long recipients, long sent, long skipped, long delivered, long bounced,
                             long softBounced, long complained, long unsubscribed) {
    public static final CampaignCounts NONE = new CampaignCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    public CampaignCounts withUnsubscribed(long count) {
        return new CampaignCounts(queued, recipients, sent, skipped, delivered, bounced, softBounced, complained, count);
    }
}
