package shop.notification;

import java.time.Instant;
import shop.core.mail.SendClaim;

/**
 * Who sends which order mail. Claimed with a conditional write before sending and marked sent
 * after, so concurrent or repeated messages send each mail once. A claim whose holder vanished
 * (its function timed out between claim and send) can be taken over once it is stale; that
 * holder's own message is retried by SQS and finishes the job.
 */
public interface MailClaims {
    /**
     * Claims {@code kind} of {@code orderId} (for {@code ref}, a refund or dispute id, when the kind
     * goes out once per refund or dispute; else null) with {@code token}; a claim older than
     * {@code staleBefore} may be taken over.
     */
    SendClaim claim(String orderId, MailKind kind, String ref, String token, Instant now, Instant staleBefore);

    void markSent(String orderId, MailKind kind, String ref, String messageId, Instant at);

    /** The send failed: lets the next attempt claim it again at once (only if {@code token} still holds it). */
    void release(String orderId, MailKind kind, String ref, String token);
}
