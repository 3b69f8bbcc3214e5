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
     * Creates the pending signup, or refreshes one still pending, remembering the new token
     * hashes; returns false (and changes nothing) when the address is already confirmed.
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
     * Removes the subscriber and every token issued to it except {@code keepTokenHash}
     * (marked used, so a repeated one-click POST still answers), and records the suppression
     * (reason {@link Suppression#UNSUBSCRIBE}, since {@code at}).
     */
    void unsubscribe(String addressHash, String keepTokenHash, Instant at);

    Optional<Suppression> suppression(String addressHash);
}
