package shop.privacy;

import java.time.Instant;
import java.util.Map;

/**
 * What the subscribers table holds about one address (template.yaml's SubscribersTable): the
 * subscriber with its consent proof, newsletter link tokens, the suppression entry and the
 * deactivation marker. Keyed by the address's keyed hash.
 */
public interface SubscriberRecords {
    /**
     * Everything held, as plain values (strings, numbers, booleans, lists, maps) under the keys
     * {@code subscriber}, {@code linkTokens}, {@code suppression}, {@code deactivation}.
     */
    Map<String, Object> export(String addressHash);

    /**
     * The newsletter's unsubscribe: a suppression entry ({@code reason}, one of
     * {@code shop.core.mail.Suppression}'s, since {@code at}: a newer suppression replaces an
     * older one), then the subscriber and its link tokens removed. True when there was a subscriber.
     */
    boolean unsubscribe(String addressHash, Instant at, String reason);

    /**
     * Erasure: everything removed except the suppression entry, written with reason erasure.
     * Returns how many items that held personal data were removed.
     */
    int erase(String addressHash, Instant at);

    /** Closes checkout to the address until {@link #reactivate}. */
    void deactivate(String addressHash, String requestId, Instant at);

    /** True when the address was deactivated (and now is not). */
    boolean reactivate(String addressHash);
}
