package shop.privacy.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import shop.core.errors.UpstreamException;
import shop.privacy.testing.StripeCustomersStub;

class StripeRestCustomersTest {
    private StripeCustomersStub stripe;
    private StripeRestCustomers customers;

    @BeforeEach
    void start() throws Exception {
        stripe = new StripeCustomersStub();
        customers = new StripeRestCustomers(stripe.base(), () -> StripeCustomersStub.KEY);
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    @Test
    void findsCustomersUnderEverySpellingAndDeletesThem() {
        stripe.emails.put("cus_Lower", "ada@example.com");
        stripe.emails.put("cus_Mixed", "Ada@Example.com");
        stripe.emails.put("cus_Other", "grace@example.com");

        List<String> found = customers.findByEmail(Set.of("ada@example.com", "Ada@Example.com"));
        found.forEach(customers::delete);

        assertEquals(Set.of("cus_Lower", "cus_Mixed"), Set.copyOf(found));
        assertEquals(Set.of("cus_Other"), stripe.emails.keySet());
        assertTrue(stripe.requests.contains("GET /v1/customers?limit=100&email=Ada%40Example.com"), stripe.requests.toString());
    }

    @Test
    void aCustomerAlreadyGoneCountsAsDeleted() {
        customers.delete("cus_Gone");
        assertEquals(List.of("DELETE /v1/customers/cus_Gone"), stripe.requests);
    }

    @Test
    void aFailingStripeIsAnUpstreamFailureNotAnEmptyAnswer() {
        stripe.failing = true;
        assertThrows(UpstreamException.class, () -> customers.findByEmail(Set.of("ada@example.com")));
        var wrongKey = new StripeRestCustomers(stripe.base(), () -> "sk_test_wrong");
        stripe.failing = false;
        assertThrows(UpstreamException.class, () -> wrongKey.findByEmail(Set.of("ada@example.com")));
    }
}
