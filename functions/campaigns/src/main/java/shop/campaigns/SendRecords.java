package shop.campaigns;

import java.time.Instant;

/**
 * One record per campaign and recipient, written before the mail is sent: whatever retries,
 * redeliveries or a stop in the middle do, a second attempt finds it and sends nothing. The record
 * also says in which pass the recipient was counted as handled, so that a pass counts each of its
 * recipients once, whoever and however often they were tried. A recipient whose mail failed on
 * their message's last receive is recorded {@code failed}: their message, redriven from the
 * dead-letter queue, or a later pass (the campaign paused and resumed) may claim them once more.
 * Every write that gives a record its outcome, or counts it in a pass, counts it on the campaign in
 * the same transaction ({@code recipients}, its outcome's counter, {@code handled} while the campaign
 * is on the pass): a stop never leaves the record and the counters saying different things, so the
 * pass ends and {@code sent + skipped + failed + givenUp = recipients} holds at every moment.
 */
public interface SendRecords {
    /** What {@link #claim} got. */
    enum Claim {
        /** A new record: the recipient was not tried before; claimed in the pass given. */
        NEW,
        /**
         * A recipient recorded {@code failed}, taken for one more attempt (a redriven message, or a
         * later pass): no one else tries them until it ends.
         */
        RETRY,
        /**
         * A recipient recorded {@code failed} whom another attempt holds: still being sent, or left
         * by a sender that stopped between that claim and SES's answer ({@link #giveUp}).
         */
        RETRYING,
        /** Tried before (sent, skipped, given up, or being sent the first time): nothing to send. */
        TAKEN
    }

    /** What {@link #adopt} did. */
    enum Adopted {
        /** Nothing: counted in this pass already, or still being sent. */
        NOTHING,
        /**
         * No record any more: the claim that refused ours was released since (its sender failed before SES
         * accepted the mail, so nobody mailed them): claim again.
         */
        GONE,
        /** Counted in this pass now: reached (or failed) in an earlier pass; their counter has them already. */
        COUNTED,
        /**
         * Given up, and counted {@code givenUp}: their claim was left without an outcome by a sender
         * that stopped (handled in this pass too, unless the campaign has gone on to another).
         */
        GIVEN_UP
    }

    /** Claims the recipient for a mail in {@code pass}: a new record, or a failed one taken for a retry. */
    Claim claim(String campaignId, String addressHash, int pass, Instant at);

    /**
     * SES accepted the mail: the record says so and, in the same transaction, the campaign counts them
     * {@code sent} (a {@link Claim#NEW} one in {@code recipients} too, a {@link Claim#RETRY} one out of
     * {@code failed}), and {@code handled} while the campaign is on {@code pass} and no pass counted
     * them in {@code pass} or later. True when they were counted handled in {@code pass} now (the pass
     * may be complete).
     */
    boolean sent(String campaignId, String addressHash, int pass, Claim claim, String messageId, Instant at);

    /** Not mailed ({@code why}): as {@link #sent}, counted {@code skipped}. */
    boolean skipped(String campaignId, String addressHash, int pass, Claim claim, String why);

    /**
     * The attempt failed on the message's last receive ({@code why}: the kind of failure): the
     * recipient may be claimed again ({@link Claim#RETRY}) when their message is redriven. For a
     * {@link Claim#NEW} claim, the same transaction counts them on the campaign: {@code recipients},
     * {@code failed}, and {@code handled} as {@link #sent} says. A {@link Claim#RETRY} is failed as it
     * was, and only handled in {@code pass} when an earlier pass counted them. True when they were
     * counted handled in {@code pass} now. {@code attemptAt}: when this attempt claimed them ({@link #claim}'s {@code at}).
     */
    boolean failed(String campaignId, String addressHash, int pass, Claim claim, String why, Instant attemptAt);

    /**
     * The attempt failed before SES accepted the mail (nothing went out), and the message will be
     * received again: a {@link Claim#NEW} record goes (only while it has no outcome: the campaign
     * counts nothing for a claim until its outcome), a {@link Claim#RETRY} is failed again as it was,
     * so that the next receive may claim them.
     */
    void release(String campaignId, String addressHash, Claim claim);

    /**
     * For a recipient whose record was there already ({@link #claim} TAKEN or RETRYING): counts them
     * handled in {@code pass}, record and campaign in one transaction. Nothing when they are counted in
     * this pass already, or still being sent by another sender of this pass. A record counted in an
     * earlier pass counts again in this one (that pass reached them, or they failed in it); a claim
     * older than {@code abandonedBefore} with no outcome was left by a sender that stopped between the
     * claim and SES's answer: no SES API says whether that mail went out, so the person is given up for
     * good, counted {@code recipients} and {@code givenUp} (and handled while the campaign is on
     * {@code pass}).
     */
    Adopted adopt(String campaignId, String addressHash, int pass, Instant abandonedBefore);

    /**
     * For a {@link Claim#RETRYING} recipient: when that attempt began before {@code abandonedBefore},
     * its sender stopped between the claim and SES's answer, and whether the mail went out is
     * unknown: at most once, they are given up, never claimed again, and in the same transaction
     * moved on the campaign from {@code failed} to {@code givenUp}. True when this call did.
     */
    boolean giveUp(String campaignId, String addressHash, Instant abandonedBefore);
}
