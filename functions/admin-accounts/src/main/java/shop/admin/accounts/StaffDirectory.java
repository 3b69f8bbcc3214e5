package shop.admin.accounts;

import java.util.List;
import java.util.Optional;

/**
 * The back office's accounts and their groups (the Cognito user pool). A call that changes an
 * account and fails throws {@link Failed}, naming the call and the pool's error code, so the
 * audit trail can say what went wrong.
 */
public interface StaffDirectory {

    /** The account signed in as {@code username} (its email or its Cognito username), if it exists. */
    Optional<StaffMember> find(String username);

    /** The groups the account is in. */
    List<String> groupsOf(String username);

    /** Everyone in {@code group}. */
    List<StaffMember> inGroup(String group);

    /**
     * Creates the account and adds it to {@code group}; the pool mails the person a temporary
     * password. Fails with {@link AlreadyExists} when the address has an account.
     */
    StaffMember invite(String email, String group);

    /**
     * Adds the account to {@code group}; nothing is mailed. What finishes an invitation whose
     * account was made and whose group was not (the pool failed between the two calls).
     */
    void addToGroup(String username, String group);

    /** Disables the account and signs it out everywhere (its refresh tokens stop working). */
    void disable(String username);

    /** Lets a disabled account sign in again, with the password and authenticator it had. */
    void enable(String username);

    /**
     * Mails the account's invitation again with a new temporary password (the old one stops
     * working) and a new expiry. Fails with {@link NotInvited} when the account has signed in
     * since (the pool resends only to an account that never did).
     */
    StaffMember resendInvitation(String username);

    /** The address already has an account. */
    final class AlreadyExists extends RuntimeException {
        public AlreadyExists() {
            super("account exists");
        }
    }

    /** A call that changes an account failed or got no answer: which call, and the pool's error code. */
    class Failed extends RuntimeException {
        private final String call;
        private final String code;

        public Failed(String call, String code, Throwable cause) {
            super(call + " failed: " + code, cause);
            this.call = call;
            this.code = code;
        }

        public String call() {
            return call;
        }

        public String code() {
            return code;
        }
    }

    /** The pool refused to resend: the account is no longer waiting for its first sign-in. */
    final class NotInvited extends Failed {
        public NotInvited(String call, String code, Throwable cause) {
            super(call, code, cause);
        }
    }
}
