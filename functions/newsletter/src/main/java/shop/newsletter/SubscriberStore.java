package shop.newsletter;

import java.time.Instant;
import java.util.Optional;
import shop.core.mail.Suppression;

/**
 * Where subscribers, their link tokens and the suppression list live. Every method is one
 * conditional single-item write or read, so concurrent and repeated requests stay consistent.
 * Reads never return an item whose retention has passed.
 */
public interface SubscriberStore {
    Optional<Subscriber> find(String addressHash);

    /**
     * Writes the signup's tokens, then creates the pending signup or refreshes one still pending;
     * returns false (and changes the subscriber not at all) when the address is already confirmed.
     */
    boolean savePending(Subscriber pending, Instant expiresAt, LinkToken... tokens);

    Optional<LinkToken> findToken(String tokenHash);

    /**
     * Pending → confirmed with the full consent proof, TTL removed; {@code lifted}, the
     * suppression the caller found and judged lifted by this signup, is removed only if it is
     * still that one (a suppression recorded meanwhile stays).
     */
    boolean confirm(String addressHash, ConsentProof consent, Optional<Suppression> lifted);

    void markUsed(String tokenHash, Instant at);

    /**
     * Removes the subscriber and every live token naming the address (the newsletter's and each
     * campaign mail's) except {@code keepTokenHash}, marked used so that a repeated one-click POST
     * still answers, and unsubscribe links used before; counts the unsubscribe on the campaign
     * whose link it was; records the suppression (reason {@link Suppression#UNSUBSCRIBE}, since {@code at}).
     */
    void unsubscribe(String addressHash, String keepTokenHash, Instant at);

    Optional<Suppression> suppression(String addressHash);
}
