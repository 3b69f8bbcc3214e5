package shop.campaigns;

/** How many people unsubscribed through a campaign's link (counted by the newsletter's unsubscribe). */
public interface UnsubscribeCounts {
    long of(String campaignId);
}
