package shop.adminorders;

import java.util.Optional;

/**
 * The people of the back office as the trail should name them. The user pool signs in by email,
 * so the {@code username} an access token carries (and the trail, a shipment or a refund records)
 * is Cognito's generated id, not the address people know each other by.
 */
public interface AdminNames {

    /** The account's sign-in address; empty when no account has that username (deleted, or not a person). */
    Optional<String> signInAddress(String username);
}
