package shop.newsletter;

import java.time.Instant;
import java.util.Optional;
import shop.core.mail.Suppression;

/**
 * Where subscribers, their link tokens and the suppression list live. Every write that must
 * go with another is one transaction with it, and each is conditional, so concurrent and
 * repeated requests and a stop in the middle leave them consistent. Reads never return an item
 * whose retention has passed.
 */
public interface SubscriberStore {
    /** What {@link #confirm} did. */
    enum Confirmation {
        CONFIRMED,
        /** Nothing: the signup is no longer pending (confirmed meanwhile, or gone). */
        NOT_PENDING,
        /** Nothing: a suppression was recorded after the caller judged it, and it stands. */
        SUPPRESSED_MEANWHILE
    }

    Optional<Subscriber> find(String addressHash);

    /**
     * Writes the signup's tokens, then creates the pending signup or refreshes one still pending;
     * returns false (and changes the subscriber not at all) when the address is already confirmed.
     */
    boolean savePending(Subscriber pending, Instant expiresAt, LinkToken... tokens);

    Optional<LinkToken> findToken(String tokenHash);

    /**
     * Pending → confirmed with the full consent proof, TTL removed, together with the removal of
     * {@code lifted}, the suppression the caller found and judged lifted by this signup (empty:
     * there was none). If a suppression other than that one is there now, nothing is written.
     */
    Confirmation confirm(String addressHash, ConsentProof consent, Optional<Suppression> lifted);

    void markUsed(String tokenHash, Instant at);

    /**
     * In one transaction: records the suppression (reason {@link Suppression#UNSUBSCRIBE}, since
     * {@code at}), removes the subscriber, marks {@code link} used (kept, so that a
     * repeated one-click POST still answers) and counts the unsubscribe on the campaign whose
     * link it was; then removes every other live token naming the address (the newsletter's and
     * each campaign mail's) but unsubscribe links used before.
     */
    void unsubscribe(LinkToken link, Instant at);

    Optional<Suppression> suppression(String addressHash);
}
