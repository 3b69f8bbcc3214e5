package shop.newsletter;

import java.time.Instant;

/**
 * A link token as stored: its hash, what it may do, for whom, when the signup that issued it
 * was requested (null on tokens stored before that was recorded), and whether it was used.
 */
public record LinkToken(String tokenHash, Purpose purpose, String addressHash, Instant expiresAt, Instant usedAt,
                        Instant requestedAt) {
    public enum Purpose { CONFIRM, UNSUBSCRIBE }

    public boolean used() {
        return usedAt != null;
    }

    LinkToken usedAt(Instant at) {
        return new LinkToken(tokenHash, purpose, addressHash, expiresAt, at, requestedAt);
    }
}
