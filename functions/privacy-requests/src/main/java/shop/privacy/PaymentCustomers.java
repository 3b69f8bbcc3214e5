package shop.privacy;

import java.util.List;
import java.util.Set;

/** Customer objects at the payment provider (Stripe), which hold a name, an address and an email. */
public interface PaymentCustomers {
    /** The ids of the customers whose email is one of {@code emails} (exact spellings). */
    List<String> findByEmail(Set<String> emails);

    /** Deletes the customer; one already gone counts as deleted. */
    void delete(String customerId);
}
