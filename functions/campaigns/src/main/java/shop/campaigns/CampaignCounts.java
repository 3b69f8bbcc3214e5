package shop.campaigns;

/**
 * What the owner sees of a campaign's sending. No opens or clicks: the shop does not track them.
 *
 * @param queued       recipients queued by the dispatcher in the current pass
 * @param handled      recipients of the current pass a sender is done with (sent, skipped, failed or
 *                     given up); the campaign is {@link Campaign.Status#SENT} once it reaches
 *                     {@code queued} after dispatch
 * @param recipients   people a send record has an outcome for (counted with it, in one transaction)
 * @param sent         mails SES accepted
 * @param skipped      recipients who unsubscribed or were suppressed between queueing and sending
 * @param failed       recipients whose mail could not be sent on their message's last receive: handled
 *                     for the pass, waiting in the dead-letter queue; a redrive that mails one moves it
 *                     from {@code failed} to {@code sent}, and a resumed campaign's new pass retries them too
 * @param givenUp      recipients whose claim was left by a sender stopped between the claim and SES's
 *                     answer (a crash of its execution environment): whether their mail went out is
 *                     unknown, and at most once they are not tried again. At every moment,
 *                     {@code sent + skipped + failed + givenUp = recipients}
 * @param delivered    delivery events from SES
 * @param bounced      permanent bounces (the address is suppressed)
 * @param softBounced  transient bounces (counted only)
 * @param complained   spam complaints (the address is suppressed)
 * @param unsubscribed unsubscribes through this campaign's link
 */
public record CampaignCounts(long queued, long handled, long recipients, long sent, long skipped, long failed,
                             long givenUp, long delivered, long bounced, long softBounced, long complained, long unsubscribed) {
    public static final CampaignCounts NONE = new CampaignCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public CampaignCounts withUnsubscribed(long count) {
        return new CampaignCounts(queued, handled, recipients, sent, skipped, failed, givenUp, delivered, bounced, softBounced,
                complained, count);
    }
}
