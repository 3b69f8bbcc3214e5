package shop.core.privacy;

import shop.core.email.EmailAddress;

/**
 * Addresses whose owner opted out and asked for their account to be deactivated: the shop takes
 * no order placed with them until a verified reactivation (the privacy-requests function
 * writes and lifts the marker).
 */
@FunctionalInterface
public interface DeactivatedAddresses {
    boolean deactivated(EmailAddress address);
}
