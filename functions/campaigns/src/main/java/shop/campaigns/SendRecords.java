package shop.campaigns;

import java.time.Instant;

/**
 * One record per campaign and recipient, written before the mail is sent: whatever retries,
 * redeliveries or a stop in the middle do, a second attempt finds it and sends nothing.
 */
public interface SendRecords {
    /** True when this call made the record (the recipient was not tried before). */
    boolean claim(String campaignId, String addressHash, Instant at);

    void sent(String campaignId, String addressHash, String messageId, Instant at);

    void skipped(String campaignId, String addressHash, String why);

    /** SES refused the mail (nothing went out): the record goes, so a retry may send it. */
    void release(String campaignId, String addressHash);
}
