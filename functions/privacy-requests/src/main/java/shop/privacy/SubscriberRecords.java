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
     * The newsletter's unsubscribe, as of {@code asOf} (when the person's wish was made certain,
     * not when it is carried out: a request tried again days later must not undo a signup made
     * since): a suppression entry ({@code reason}, one of {@code shop.core.mail.Suppression}'s,
     * since {@code asOf}, unless one as late or later is there), and the subscriber, if its signup
     * was requested at or before {@code asOf}, removed with its link tokens. A subscription
     * requested after {@code asOf} (pending or confirmed) is the person's later wish: it stays, with
     * its tokens and the suppression entry as they are, and nothing is written.
     */
    Unsubscribed unsubscribe(String addressHash, Instant asOf, String reason);

    /** What {@link #unsubscribe} found. */
    enum Unsubscribed {
        /** A subscriber (pending or confirmed) signed up at or before the moment was removed. */
        REMOVED,
        /** There was no subscriber to remove. */
        NOT_SUBSCRIBED,
        /** The subscription was requested after the moment, so it stays. */
        NEWER_SUBSCRIPTION_KEPT
    }

    /**
     * Erasure, as of {@code asOf} as {@link #unsubscribe} is: everything removed except the
     * suppression entry, written with reason erasure (unless one as late or later is there). A
     * subscription requested after {@code asOf} is the person's later wish: it stays, with its
     * tokens and the suppression entry as they are; the deactivation is removed all the same.
     */
    Erased erase(String addressHash, Instant asOf);

    /** What {@link #erase} did: how many items that held personal data it removed, and whether it left a newer subscription. */
    record Erased(int items, boolean newerSubscriptionKept) {
    }

    /** Closes checkout to the address until {@link #reactivate}. */
    void deactivate(String addressHash, String requestId, Instant at);

    /** True when the address was deactivated (and now is not). */
    boolean reactivate(String addressHash);
}
