package shop.privacy;

import java.util.List;
import java.util.Set;

/** Customer objects at the payment provider (Stripe), which hold a name, an address and an email. */
public interface PaymentCustomers {
    /** The ids of the customers whose email is one of {@code emails} (exact spellings). */
    List<String> findByEmail(Set<String> emails);

    /**
     * Deletes the customer: true when this call deleted it, false when it was gone already (a
     * retried erasure finds the customers its first run deleted, and must not count them again).
     */
    boolean deleteCustomer(String customerId);
}
