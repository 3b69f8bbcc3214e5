package shop.core.mail;

/**
 * The answer to claiming a mail that must go out at least once and at most twice: a conditional
 * claim with its time before sending, marked sent after SES accepted it. A claim older than its
 * stale limit (longer than the claimant may run, shorter than the wait before the retry of its
 * message) has no live holder and is taken over; only a stop between SES accepting the mail and
 * marking it sent sends it twice.
 */
public enum SendClaim {
    /** This caller holds it: send now. */
    CLAIMED,
    /** Sent before: nothing to do. */
    ALREADY_SENT,
    /** Claimed by someone else less than the stale limit ago: they are sending it right now. */
    HELD_ELSEWHERE
}
