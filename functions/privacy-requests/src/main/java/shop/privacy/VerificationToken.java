package shop.privacy;

import java.time.Instant;

/** The link that proves a request comes from the mailbox: stored as its SHA-256 only, used once. */
public record VerificationToken(String tokenHash, String requestId, Instant expiresAt, Instant usedAt) {
    public boolean used() {
        return usedAt != null;
    }
}
