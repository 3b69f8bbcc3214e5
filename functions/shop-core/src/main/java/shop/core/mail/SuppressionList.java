package shop.core.mail;

/**
 * Addresses that must get no marketing mail until they opt in afresh: unsubscribed, opted out or
 * erased. Keyed by the address's keyed hash, so the list itself never holds an address.
 */
public interface SuppressionList {
    boolean suppressed(String addressHash);
}
