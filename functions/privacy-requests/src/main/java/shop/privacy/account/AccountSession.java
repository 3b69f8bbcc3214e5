package shop.privacy.account;

import java.time.Instant;
import shop.core.email.EmailAddress;

/** A signed-in customer: who, since when, and when they were last heard from. Stored by its token's hash. */
public record AccountSession(String tokenHash, EmailAddress email, String addressHash, Instant startedAt,
                             Instant lastSeenAt) {
    @Override
    public String toString() {
        return "AccountSession[redacted]";
    }
}
