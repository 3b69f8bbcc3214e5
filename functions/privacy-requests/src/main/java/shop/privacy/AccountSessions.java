package shop.privacy;

/**
 * The customer account's sessions of an address (template.yaml's CustomerAccountsTable, found
 * through its sparse index SessionsByAddress): an erasure, or a move of the account to another
 * address, ends every one of them, on every device, not only the one that asked.
 */
@FunctionalInterface
public interface AccountSessions {
    /** Ends every live session of the address; returns how many there were. Doing it twice ends nothing more. */
    int endAll(String addressHash);
}
