package shop.privacy.stores;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.param.CustomerListParams;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import shop.core.errors.UpstreamException;
import shop.core.logging.Log;
import shop.privacy.PaymentCustomers;

/**
 * Stripe customers through stripe-java's customer service: listed by email
 * ({@code GET /v1/customers?email=}, every page) and deleted by id. Stripe's email filter is
 * exact and case-sensitive, so every spelling the orders carry is asked for. The list is
 * consistent at once, where Stripe's search API may lag a new customer by a minute.
 */
public final class StripeCustomers implements PaymentCustomers {
    private static final Pattern CUSTOMER_ID = Pattern.compile("cus_[A-Za-z0-9]+");

    private final Supplier<StripeClient> stripe;

    /** {@code stripe} is built on first use, when its key is read (only erasures talk to Stripe). */
    public StripeCustomers(Supplier<StripeClient> stripe) {
        this.stripe = stripe;
    }

    @Override
    public List<String> findByEmail(Set<String> emails) {
        Set<String> ids = new LinkedHashSet<>();
        for (String email : emails) {
            try {
                var params = CustomerListParams.builder().setEmail(email).setLimit(100L).build();
                for (Customer customer : stripe.get().v1().customers().list(params).autoPagingIterable()) {
                    if (customer.getId() != null && CUSTOMER_ID.matcher(customer.getId()).matches()) {
                        ids.add(customer.getId());
                    }
                }
            } catch (StripeException e) {
                throw failed("list_customers", e);
            } catch (RuntimeException e) {
                // stripe-java's paging wraps a later page's failure in a RuntimeException.
                if (e.getCause() instanceof StripeException cause) {
                    throw failed("list_customers", cause);
                }
                throw e;
            }
        }
        return new ArrayList<>(ids);
    }

    @Override
    public boolean deleteCustomer(String customerId) {
        if (!CUSTOMER_ID.matcher(customerId).matches()) {
            throw new IllegalArgumentException("Not a Stripe customer id");
        }
        try {
            stripe.get().v1().customers().delete(customerId);
            return true;
        } catch (InvalidRequestException e) {
            // A customer deleted meanwhile (or twice) is what we wanted.
            if (e.getStatusCode() != null && e.getStatusCode() == 404 && "resource_missing".equals(e.getCode())) {
                return false;
            }
            throw failed("delete_customer", e);
        } catch (StripeException e) {
            throw failed("delete_customer", e);
        }
    }

    private static UpstreamException failed(String call, StripeException e) {
        Log.warn("stripe_call_failed", Map.of("call", call, "stripeError", e.getClass().getSimpleName(),
                "status", String.valueOf(e.getStatusCode()), "requestId", String.valueOf(e.getRequestId())));
        return new UpstreamException("Stripe answered " + e.getStatusCode() + " ("
                + (e.getCode() == null ? "no code" : e.getCode()) + ").", e);
    }
}
