package shop.campaigns;

import java.time.Instant;

/**
 * One record per campaign and recipient, written before the mail is sent: whatever retries,
 * redeliveries or a stop in the middle do, a second attempt finds it and sends nothing. The record
 * also says in which pass the recipient was counted as handled, so that a pass counts each of its
 * recipients once, whoever and however often they were tried.
 */
public interface SendRecords {
    /** True when this call made the record (the recipient was not tried before), claimed in {@code pass}. */
    boolean claim(String campaignId, String addressHash, int pass, Instant at);

    /** SES accepted the mail; the recipient is handled in {@code pass} (unless an earlier call said so already). */
    void sent(String campaignId, String addressHash, int pass, String messageId, Instant at);

    /** Not mailed ({@code why}); the recipient is handled in {@code pass} (unless an earlier call said so already). */
    void skipped(String campaignId, String addressHash, int pass, String why);

    /** SES refused the mail (nothing went out): the record goes, so a retry may send it. */
    void release(String campaignId, String addressHash);

    /**
     * For a recipient whose record was there already ({@link #claim} false): marks them handled in
     * {@code pass}; true when this call did, and the caller counts them. Nothing when they are
     * counted in this pass already, or still being sent by another sender of this pass. A record
     * of an earlier pass counts again in this one (that pass reached them); a claim of this pass
     * older than {@code abandonedBefore} was left by a sender that stopped between the claim and
     * SES's answer: no SES API says whether that mail went out, so the person is given up for good.
     */
    boolean adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore);
}
