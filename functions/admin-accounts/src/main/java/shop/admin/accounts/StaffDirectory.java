package shop.admin.accounts;

import java.util.List;
import java.util.Optional;

/** The back office's accounts and their groups (the Cognito user pool). */
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

    /** Disables the account and signs it out everywhere (its refresh tokens stop working). */
    void disable(String username);

    /** The address already has an account. */
    final class AlreadyExists extends RuntimeException {
        public AlreadyExists() {
            super("account exists");
        }
    }
}
