package shop.newsletter;

import java.time.Instant;

/**
 * A link token as stored: its hash, what it may do, for whom, when the signup that issued it
 * was requested (null on tokens stored before that was recorded), whether it was used, and the
 * campaign whose mail carried it (null for the newsletter's own links).
 */
public record LinkToken(String tokenHash, Purpose purpose, String addressHash, Instant expiresAt, Instant usedAt,
                        Instant requestedAt, String campaignId) {
    public enum Purpose { CONFIRM, UNSUBSCRIBE }

    /** A newsletter link (not a campaign mail's). */
    public LinkToken(String tokenHash, Purpose purpose, String addressHash, Instant expiresAt, Instant usedAt,
                     Instant requestedAt) {
        this(tokenHash, purpose, addressHash, expiresAt, usedAt, requestedAt, null);
    }

    public boolean used() {
        return usedAt != null;
    }

    LinkToken usedAt(Instant at) {
        return new LinkToken(tokenHash, purpose, addressHash, expiresAt, at, requestedAt, campaignId);
    }
}
