package shop.privacy.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import shop.privacy.account.AccountSession;
import shop.privacy.account.AccountStore;

/** The account table in memory, with the conditions of DynamoAccountStore. */
public final class InMemoryAccountStore implements AccountStore {
    public final Map<String, Code> codes = new HashMap<>();
    public final Map<String, AccountSession> sessions = new HashMap<>();
    private final Map<String, Instant> sessionExpiry = new HashMap<>();

    public record Code(String hash, int tries, Instant expiresAt) {
    }

    @Override
    public void saveCode(String key, String codeHash, Instant expiresAt) {
        codes.put(key, new Code(codeHash, 0, expiresAt));
    }

    @Override
    public Optional<String> tryCode(String key, int maxTries, Instant now) {
        Code code = codes.get(key);
        if (code == null || code.tries() >= maxTries || !code.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        codes.put(key, new Code(code.hash(), code.tries() + 1, code.expiresAt()));
        return Optional.of(code.hash());
    }

    @Override
    public boolean useCode(String key, String codeHash) {
        Code code = codes.get(key);
        if (code == null || !code.hash().equals(codeHash)) {
            return false;
        }
        codes.remove(key);
        return true;
    }

    @Override
    public void createSession(AccountSession session, Instant expiresAt) {
        sessions.put(session.tokenHash(), session);
        sessionExpiry.put(session.tokenHash(), expiresAt);
    }

    @Override
    public Optional<AccountSession> touchSession(String tokenHash, Instant now, Instant idleSince, Instant startedAfter) {
        AccountSession session = sessions.get(tokenHash);
        if (session == null || !session.lastSeenAt().isAfter(idleSince) || !session.startedAt().isAfter(startedAfter)
                || !sessionExpiry.get(tokenHash).isAfter(now)) {
            return Optional.empty();
        }
        AccountSession touched = new AccountSession(tokenHash, session.email(), session.addressHash(), session.startedAt(), now);
        sessions.put(tokenHash, touched);
        return Optional.of(touched);
    }

    @Override
    public void deleteSession(String tokenHash) {
        sessions.remove(tokenHash);
    }

    @Override
    public int endAll(String addressHash) {
        var ended = sessions.values().stream().filter(s -> s.addressHash().equals(addressHash))
                .map(AccountSession::tokenHash).toList();
        ended.forEach(sessions::remove);
        return ended.size();
    }
}
