package shop.privacy.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import shop.core.email.EmailAddress;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.UnauthorizedException;
import shop.core.logging.Log;
import shop.core.mail.Mailer;
import shop.core.ratelimit.RateLimiter;
import shop.core.retention.RetentionSchedule;
import shop.core.security.AddressHasher;
import shop.core.security.Tokens;

/**
 * Sign-in without a password: a 6-digit code mailed to the address, then a session token.
 * Asking for a code does the same work for every address, known to the shop or not: nothing
 * here reads what the shop holds, so no answer, mail or timing can tell the two apart.
 */
public final class SignInService {
    static final int CODE_TRIES = 5;
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration MAX_SESSION = Duration.ofHours(12);
    static final int CODES_PER_ADDRESS_PER_HOUR = 5;
    static final int CODES_PER_IP_PER_HOUR = 30;
    static final int CODE_TRIES_PER_IP_PER_HOUR = 60;
    static final String WRONG_CODE = "The code is wrong, used or expired. Ask for a new code if this one has expired"
            + " or was tried too often.";
    static final String SIGNED_OUT = "Not signed in, or the session has ended. Sign in again with a new code.";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");

    private final AccountStore store;
    private final Mailer mailer;
    private final AccountMails mails;
    private final RateLimiter rateLimiter;
    private final AddressHasher hasher;
    private final Clock clock;

    public SignInService(AccountStore store, Mailer mailer, AccountMails mails, RateLimiter rateLimiter,
                         AddressHasher hasher, Clock clock) {
        this.store = store;
        this.mailer = mailer;
        this.mails = mails;
        this.rateLimiter = rateLimiter;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** A new session: the token goes to the browser once, only its hash is kept. */
    public record NewSession(String token, Instant idleUntil, Instant endsAt) {
        @Override
        public String toString() {
            return "NewSession[redacted]";
        }
    }

    /** Mails a fresh code (the earlier one stops working); over a limit, nothing is written or sent. */
    public void requestCode(EmailAddress email, String sourceIp) {
        String addressHash = hasher.hash(email);
        if (!rateLimiter.tryAcquire("account:ip:" + hasher.hashNetwork(sourceIp), CODES_PER_IP_PER_HOUR,
                Duration.ofHours(1))) {
            Log.warn("account_code_rate_limited", Map.of("by", "ip"));
            return;
        }
        if (!rateLimiter.tryAcquire("account:address:" + addressHash, CODES_PER_ADDRESS_PER_HOUR, Duration.ofHours(1))) {
            Log.warn("account_code_rate_limited", Map.of("by", "address", "address", addressHash));
            return;
        }
        Instant now = clock.instant();
        String code = newCode();
        store.saveCode(codeKey(addressHash), codeHash(addressHash, code),
                Instant.ofEpochSecond(RetentionSchedule.SIGN_IN_CODE.expiresAt(now)));
        String messageId = mailer.send(mails.signInCode(email, code));
        Log.info("account_code_sent", Map.of("address", addressHash, "messageId", messageId));
    }

    /** Trades the mailed code for a session; each try counts, the fifth wrong one ends the code. */
    public NewSession verify(EmailAddress email, String code, String sourceIp) {
        requireCodeShape(code);
        String addressHash = hasher.hash(email);
        if (!rateLimiter.tryAcquire("account:ip:tries:" + hasher.hashNetwork(sourceIp), CODE_TRIES_PER_IP_PER_HOUR,
                Duration.ofHours(1))) {
            Log.warn("account_code_rate_limited", Map.of("by", "ip", "step", "verify"));
            throw new UnauthorizedException(WRONG_CODE);
        }
        Instant now = clock.instant();
        String key = codeKey(addressHash);
        Optional<String> stored = store.tryCode(key, CODE_TRIES, now);
        String offered = codeHash(addressHash, code);
        if (stored.isEmpty() || !MessageDigest.isEqual(stored.get().getBytes(StandardCharsets.US_ASCII),
                offered.getBytes(StandardCharsets.US_ASCII)) || !store.useCode(key, offered)) {
            Log.info("account_code_refused", Map.of("address", addressHash));
            throw new UnauthorizedException(WRONG_CODE);
        }
        String token = Tokens.newToken();
        store.createSession(new AccountSession(Tokens.hash(token), email, addressHash, now, now),
                Instant.ofEpochSecond(RetentionSchedule.ACCOUNT_SESSION.expiresAt(now)));
        Log.info("account_signed_in", Map.of("address", addressHash));
        return new NewSession(token, now.plus(IDLE_TIMEOUT), now.plus(MAX_SESSION));
    }

    /**
     * Mails a code to the new address the signed-in person wants; nothing moves until that code
     * comes back. Limited as sign-in codes are, per new address and per IP.
     */
    public void requestAddressCode(AccountSession session, EmailAddress newEmail, String sourceIp) {
        String newHash = hasher.hash(newEmail);
        if (!rateLimiter.tryAcquire("account:ip:" + hasher.hashNetwork(sourceIp), CODES_PER_IP_PER_HOUR, Duration.ofHours(1))
                || !rateLimiter.tryAcquire("account:address:" + newHash, CODES_PER_ADDRESS_PER_HOUR, Duration.ofHours(1))) {
            Log.warn("account_code_rate_limited", Map.of("step", "new_address", "address", session.addressHash()));
            return;
        }
        Instant now = clock.instant();
        String code = newCode();
        store.saveCode(addressCodeKey(session), addressCodeHash(session, newHash, code),
                Instant.ofEpochSecond(RetentionSchedule.SIGN_IN_CODE.expiresAt(now)));
        String messageId = mailer.send(mails.newAddressCode(newEmail, code));
        Log.info("account_new_address_code_sent", Map.of("address", session.addressHash(), "messageId", messageId));
    }

    /** Whether {@code code} is the one mailed to {@code newEmail} for this session; each try counts, 5 at most. */
    void proveAddress(AccountSession session, EmailAddress newEmail, String code, String sourceIp) {
        requireCodeShape(code);
        if (!rateLimiter.tryAcquire("account:ip:tries:" + hasher.hashNetwork(sourceIp), CODE_TRIES_PER_IP_PER_HOUR,
                Duration.ofHours(1))) {
            throw new UnauthorizedException(WRONG_CODE);
        }
        String key = addressCodeKey(session);
        String offered = addressCodeHash(session, hasher.hash(newEmail), code);
        Optional<String> stored = store.tryCode(key, CODE_TRIES, clock.instant());
        if (stored.isEmpty() || !MessageDigest.isEqual(stored.get().getBytes(StandardCharsets.US_ASCII),
                offered.getBytes(StandardCharsets.US_ASCII)) || !store.useCode(key, offered)) {
            throw new ForbiddenException("The code for the new address is wrong, used or expired. Ask for a new code"
                    + " if this one has expired or was tried too often.");
        }
    }

    private static String addressCodeKey(AccountSession session) {
        return "NEWADDRESS#" + session.tokenHash();
    }

    /** Bound to the session and the new address: a code proves that mailbox, for this session only. */
    private String addressCodeHash(AccountSession session, String newHash, String code) {
        return hasher.hash("new-address-code", session.tokenHash() + ":" + newHash + ":" + code);
    }

    /** The session a bearer token names, if it is live; each use restarts its idle time. */
    public AccountSession authenticate(String token) {
        if (!Tokens.wellFormed(token)) {
            throw new UnauthorizedException(SIGNED_OUT);
        }
        Instant now = clock.instant();
        return store.touchSession(Tokens.hash(token), now, now.minus(IDLE_TIMEOUT), now.minus(MAX_SESSION))
                .orElseThrow(() -> new UnauthorizedException(SIGNED_OUT));
    }

    /** Ends the session; the token is refused from then on. Signing out twice is fine. */
    public void signOut(String token) {
        if (!Tokens.wellFormed(token)) {
            throw new UnauthorizedException(SIGNED_OUT);
        }
        store.deleteSession(Tokens.hash(token));
    }

    /** Ends a session already authenticated (after an erasure nothing is left to show). */
    void end(AccountSession session) {
        store.deleteSession(session.tokenHash());
    }

    /**
     * Ends every session of the address, on every device (the account moved to another address):
     * found through the index, and this one directly, since the index may not show it yet.
     */
    void endAll(AccountSession session) {
        store.endAll(session.addressHash());
        store.deleteSession(session.tokenHash());
    }

    /** A code is 6 ASCII digits; anything else is refused before a try is counted. */
    static String requireCodeShape(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new InvalidInputException("code", "\"code\" is the 6 digits from the mail.");
        }
        return code;
    }

    static String codeKey(String addressHash) {
        return "SIGNIN#" + addressHash;
    }

    /** Keyed: a million codes are quickly hashed, so a plain hash of one would be no protection. */
    private String codeHash(String addressHash, String code) {
        return hasher.hash("sign-in-code", addressHash + ":" + code);
    }

    private static String newCode() {
        return String.format("%06d", RANDOM.nextInt(1_000_000));
    }
}
