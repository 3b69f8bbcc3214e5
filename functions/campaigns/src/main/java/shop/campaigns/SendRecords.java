package shop.campaigns;

import java.time.Instant;

/**
 * One record per campaign and recipient, written before the mail is sent: whatever retries,
 * redeliveries or a stop in the middle do, a second attempt finds it and sends nothing. The record
 * also says in which pass the recipient was counted as handled, so that a pass counts each of its
 * recipients once, whoever and however often they were tried. A recipient whose mail failed on
 * their message's last receive is recorded {@code failed}: their message, redriven from the
 * dead-letter queue, may claim them once more.
 */
public interface SendRecords {
    /** What {@link #claim} got. */
    enum Claim {
        /** A new record: the recipient was not tried before; claimed in the pass given. */
        NEW,
        /**
         * A recipient recorded {@code failed}, counted in this pass or a later one, taken for one more
         * attempt (a redriven message): no one else tries them until it ends.
         */
        RETRY,
        /** Tried before (sent, skipped, being sent, or failed and being retried): nothing to send. */
        TAKEN
    }

    /** Claims the recipient for a mail in {@code pass}: a new record, or a failed one taken for a retry. */
    Claim claim(String campaignId, String addressHash, int pass, Instant at);

    /** SES accepted the mail; the recipient is handled in {@code pass} (unless an earlier call said so already). */
    void sent(String campaignId, String addressHash, int pass, String messageId, Instant at);

    /** Not mailed ({@code why}); the recipient is handled in {@code pass} (unless an earlier call said so already). */
    void skipped(String campaignId, String addressHash, int pass, String why);

    /**
     * The attempt failed on the message's last receive ({@code why}: the kind of failure): the
     * recipient is handled in {@code pass} (unless an earlier call said so already) and may be
     * claimed again ({@link Claim#RETRY}) when their message is redriven.
     */
    void failed(String campaignId, String addressHash, int pass, String why);

    /**
     * The attempt failed before SES accepted the mail (nothing went out), and the message will be
     * received again: a {@link Claim#NEW} record goes, a {@link Claim#RETRY} is failed again as it
     * was, so that the next receive may claim them.
     */
    void release(String campaignId, String addressHash, Claim claim);

    /**
     * For a recipient whose record was there already ({@link #claim} TAKEN): marks them handled in
     * {@code pass}; true when this call did, and the caller counts them. Nothing when they are
     * counted in this pass already, or still being sent by another sender of this pass. A record
     * of an earlier pass counts again in this one (that pass reached them, or they failed in it); a
     * claim of this pass older than {@code abandonedBefore} was left by a sender that stopped between
     * the claim and SES's answer: no SES API says whether that mail went out, so the person is given
     * up for good.
     */
    boolean adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore);
}
