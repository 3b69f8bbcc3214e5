package shop.privacy.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import shop.privacy.PaymentCustomers;

/** Stripe's customers by exact email, as its list filter matches them. */
public final class RecordingPaymentCustomers implements PaymentCustomers {
    public final Map<String, List<String>> byEmail = new HashMap<>();
    public final List<String> deleted = new ArrayList<>();
    public final List<Set<String>> searches = new ArrayList<>();
    /** Stripe down: every call fails, as StripeCustomers fails on a 500. */
    public boolean failing;

    @Override
    public List<String> findByEmail(Set<String> emails) {
        if (failing) {
            throw new IllegalStateException("Stripe is down");
        }
        searches.add(Set.copyOf(emails));
        return emails.stream().flatMap(e -> byEmail.getOrDefault(e, List.of()).stream()).toList();
    }

    @Override
    public boolean deleteCustomer(String customerId) {
        if (failing) {
            throw new IllegalStateException("Stripe is down");
        }
        if (deleted.contains(customerId)) {
            return false; // as Stripe answers 404 resource_missing
        }
        deleted.add(customerId);
        byEmail.values().forEach(ids -> ids.remove(customerId));
        return true;
    }
}
