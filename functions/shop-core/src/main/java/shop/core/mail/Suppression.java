package shop.core.mail;

import java.time.Instant;

/**
 * Why, and since when, an address gets no marketing mail: the {@code SUPPRESSION#<address hash>}
 * item of the subscribers table ({@code reason}, {@code since}). A newer suppression replaces an
 * older one, so {@code since} is the latest.
 *
 * <p>The one rule for lifting it: only a confirmed signup that was requested after the
 * suppression was recorded lifts it. A confirm of a signup made before (an old pending link, a
 * signup racing an erasure) never does, whatever the reason.
 */
public record Suppression(String reason, Instant since) {
    /** The person's one-click unsubscribe, an unsubscribe mail or an unsubscribe request. */
    public static final String UNSUBSCRIBE = "unsubscribe";
    /** An erasure request: everything about the address was deleted but this hash. */
    public static final String ERASURE = "erasure";
    /** An opt-out of marketing and sale (privacy request). */
    public static final String OPT_OUT = "opt-out";

    public Suppression {
        if (reason == null || reason.isBlank() || since == null) {
            throw new IllegalArgumentException("A suppression needs a reason and a time");
        }
    }

    /** Whether a confirmed signup requested at {@code signupRequestedAt} lifts this suppression. */
    public boolean liftedBySignupRequestedAt(Instant signupRequestedAt) {
        return signupRequestedAt != null && signupRequestedAt.isAfter(since);
    }
}
