package shop.core.mail;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The claims of a mail that goes out once a day (UTC), so that a schedule firing twice, or a
 * retry of a run that mailed, mails once: claimed before sending, marked sent after. A claim whose
 * holder vanished (stopped between claim and send) is taken over once it is stale. Each daily mail
 * has its own (the owner's morning mail of what waits, the privacy digest); {@link OnceADayMail}
 * sends through them.
 */
public interface DayClaims {
    /** Claims {@code day}'s mail with {@code token}; a claim older than {@code staleBefore} may be taken over. */
    SendClaim claim(LocalDate day, String token, Instant now, Instant staleBefore);

    /** SES accepted the day's mail as {@code messageId}. */
    void markSent(LocalDate day, String messageId, Instant at);

    /** The send failed: lets the retry claim the day again at once (only if {@code token} still holds it). */
    void release(LocalDate day, String token);
}
