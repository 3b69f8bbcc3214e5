package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.errors.UpstreamException;
import shop.local.stack.StripeStandIn;
import shop.stripe.StripeClients;

/** Erasure's Stripe calls through stripe-java against the Stripe stand-in. */
class StripeCustomersTest {
    /** Generous, for a busy test machine; no retry, so that every failure shows as it happens. */
    private static final StripeClients.Timeouts TIMEOUTS = new StripeClients.Timeouts(5_000, 20_000, 0);
    private StripeStandIn stripe;
    private StripeCustomers customers;

    @BeforeEach
    void start() {
        stripe = StripeStandIn.start(Clock.systemUTC(), () -> URI.create("http://127.0.0.1:9"));
        customers = customers(StripeStandIn.SECRET_KEY);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void findsCustomersUnderEverySpellingAndDeletesThem() {
        String lower = stripe.createCustomer("ada@example.com");
        String mixed = stripe.createCustomer("Ada@Example.com");
        String other = stripe.createCustomer("grace@example.com");

        List<String> found = customers.findByEmail(Set.of("ada@example.com", "Ada@Example.com"));
        found.forEach(customers::deleteCustomer);

        assertEquals(Set.of(lower, mixed), Set.copyOf(found));
        assertEquals(Set.of(other), stripe.customerIds());
    }

    @Test
    void anEmailWithNoCustomerFindsNone() {
        stripe.createCustomer("ada@example.com");
        assertTrue(customers.findByEmail(Set.of("ADA@example.com", "ada+x@example.com")).isEmpty());
    }

    @Test
    void aCustomerAlreadyGoneCountsAsDeleted() {
        String id = stripe.createCustomer("ada@example.com");
        assertTrue(customers.deleteCustomer(id), "deleted by this call");
        assertFalse(customers.deleteCustomer(id), "gone already: a retry does not count it again");
        assertFalse(stripe.customerIds().contains(id));
    }

    @Test
    void aFailingStripeOrAWrongKeyIsAnUpstreamFailureNotAnEmptyAnswer() {
        String id = stripe.createCustomer("ada@example.com");
        stripe.failing(true);
        assertThrows(UpstreamException.class, () -> customers.findByEmail(Set.of("ada@example.com")));
        assertThrows(UpstreamException.class, () -> customers.deleteCustomer(id));
        stripe.failing(false);
        var wrongKey = customers("sk_test_wrong");
        assertThrows(UpstreamException.class, () -> wrongKey.findByEmail(Set.of("ada@example.com")));
        assertThrows(UpstreamException.class, () -> wrongKey.deleteCustomer(id));
        assertEquals(Set.of(id), stripe.customerIds());
    }

    @Test
    void anIdThatIsNotAStripeCustomerIdIsNeverSent() {
        assertThrows(IllegalArgumentException.class, () -> customers.deleteCustomer("cus_../charges"));
    }

    private StripeCustomers customers(String key) {
        var client = StripeClients.build(key, stripe.apiBase().toString(), TIMEOUTS);
        return new StripeCustomers(() -> client);
    }
}
