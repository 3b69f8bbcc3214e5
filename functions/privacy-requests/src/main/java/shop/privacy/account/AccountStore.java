package shop.privacy.account;

import java.time.Instant;
import java.util.Optional;
import shop.privacy.AccountSessions;

/**
 * Sign-in codes and sessions (template.yaml's CustomerAccountsTable). Codes are kept as a keyed
 * hash, sessions under the SHA-256 of their token: a copy of the table signs nobody in. Every
 * write is one conditional single-item write; reads never return an item whose TTL has passed.
 */
public interface AccountStore extends AccountSessions {
    /** Stores a code under {@code key}, replacing an earlier one there: only the newest code works. */
    void saveCode(String key, String codeHash, Instant expiresAt);

    /**
     * Counts one try of the code under {@code key}, if it is live and has had fewer than
     * {@code maxTries}; returns its hash then, empty when there is no such code or its tries are used up.
     */
    Optional<String> tryCode(String key, int maxTries, Instant now);

    /** Removes the code if it is still the one hashed {@code codeHash}; false when it was used or replaced. */
    boolean useCode(String key, String codeHash);

    void createSession(AccountSession session, Instant expiresAt);

    /**
     * The session, its last use moved to {@code now}, if it was last used after {@code idleSince}
     * and began after {@code startedAfter}; empty otherwise (or when signed out).
     */
    Optional<AccountSession> touchSession(String tokenHash, Instant now, Instant idleSince, Instant startedAfter);

    void deleteSession(String tokenHash);
}
