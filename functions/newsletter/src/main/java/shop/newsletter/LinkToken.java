package shop.newsletter;

import java.time.Instant;

/** A link token as stored: its hash, what it may do, for whom, and whether it was used. */
public record LinkToken(String tokenHash, Purpose purpose, String addressHash, Instant expiresAt, Instant usedAt) {
    public enum Purpose { CONFIRM, UNSUBSCRIBE }

    public boolean used() {
        return usedAt != null;
    }
}
