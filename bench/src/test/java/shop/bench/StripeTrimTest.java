package shop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.StripeStandIn;
import shop.local.stack.StripeStandIn.PaymentMethod;

/**
 * The trimmed stripe-java of checkout.jar, stripe-webhook.jar and privacy-requests.jar (their
 * poms keep only part of it) still does every Stripe call and handles every Stripe event these
 * functions use: each jar is loaded alone, in a class loader of its own, and driven against the
 * Stripe stand-in and the local AWS stand-ins. Calls: create a Checkout Session (checkout);
 * retrieve a session with its line items, prices and products expanded, list sessions by payment
 * intent, retrieve a charge (webhook); list customers by email and delete them, one already gone
 * (privacy-requests' erasure). Events: checkout.session.completed (paid and unpaid),
 * checkout.session.async_payment_succeeded and _failed, checkout.session.expired,
 * charge.refunded, and a type the webhook ignores. (Listing a session's further line items,
 * past the first page of ten, is StripePaymentRecordsTest's; its service and parameter classes
 * are kept whole with Checkout's.) Priming through stripe-java in each jar is proved by
 * BenchQuickTest's primed starts.
 */
class StripeTrimTest {
    private static LocalAws aws;
    private static InProcess checkout;
    private static InProcess webhook;
    private static OrderPipeline orders;

    @BeforeAll
    static void start() throws Exception {
        CfnTemplate template = CfnTemplate.load();
        aws = LocalAws.start(template.file());
        HelperJars jars = HelperJars.write(Files.createTempDirectory("stripe-trim"));
        Map<String, InProcess> hosts = new LinkedHashMap<>();
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        for (FunctionUnderTest f : FunctionUnderTest.discover(template)) {
            if (f.logicalId().equals(OrderPipeline.CHECKOUT) || f.logicalId().equals(OrderPipeline.WEBHOOK)
                    || f.logicalId().equals(OrderPipeline.NOTIFICATION)) {
                assertTrue(Files.isRegularFile(f.jar()), "build " + f.jar() + " first (mvn package)");
                Map<String, String> environment = aws.functionEnvironment(f.logicalId(), Map.of());
                hosts.put(f.logicalId(), InProcess.start(f, jars, environment));
                environments.put(f.logicalId(), environment);
            }
        }
        checkout = hosts.get(OrderPipeline.CHECKOUT);
        webhook = hosts.get(OrderPipeline.WEBHOOK);
        orders = OrderPipeline.of(aws, new EventSamples(), hosts, environments).orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        checkout.close();
        webhook.close();
        aws.close();
    }

    @Test
    void aCardPaymentThenItsRefund() throws Exception {
        String session = openSession(s -> aws.stripe().pay(s, PaymentMethod.CARD, customer()));
        assertProcessed(aws.stripe().refund(session));
    }

    @Test
    void aBankDebitThatSettles() throws Exception {
        String session = openSession(s -> aws.stripe().pay(s, PaymentMethod.BANK_DEBIT, customer()));
        assertProcessed(aws.stripe().succeedPayment(session));
    }

    @Test
    void aBankDebitThatBounces() throws Exception {
        String session = openSession(s -> aws.stripe().pay(s, PaymentMethod.BANK_DEBIT, customer()));
        assertProcessed(aws.stripe().failPayment(session));
    }

    @Test
    void aSessionThatExpires() throws Exception {
        String session = created();
        assertProcessed(aws.stripe().expire(session));
    }

    @Test
    void anEventTypeTheShopDoesNotHandleIsAcknowledged() throws Exception {
        var answer = webhook.invoke(orders.webhookEvent(aws.stripe().event("customer.created", Map.of("id", "cus_trim"))));
        assertEquals("HTTP_200", answer.outcome(), answer.answer());
    }

    /** Erasure's customer calls, through privacy-requests.jar's own StripeClients and StripeCustomers. */
    @Test
    void anErasureFindsAndDeletesTheCustomersThroughThePrivacyJarAlone() throws Exception {
        FunctionUnderTest privacy = FunctionUnderTest.discover(CfnTemplate.load()).stream()
                .filter(f -> f.logicalId().equals("PrivacyRequestsFunction")).findFirst().orElseThrow();
        assertTrue(Files.isRegularFile(privacy.jar()), "build " + privacy.jar() + " first (mvn package)");
        String kept = aws.stripe().createCustomer("trim-keep@example.com");
        String lower = aws.stripe().createCustomer("trim-erase@example.com");
        String mixed = aws.stripe().createCustomer("Trim-Erase@example.com");
        try (var loader = new URLClassLoader("privacy-trim", new URL[] {privacy.jar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> clients = loader.loadClass("shop.stripe.StripeClients");
            Class<?> timeouts = loader.loadClass("shop.stripe.StripeClients$Timeouts");
            Object client = clients.getMethod("build", String.class, String.class, timeouts).invoke(null,
                    StripeStandIn.SECRET_KEY, aws.stripe().apiBase().toString(),
                    timeouts.getConstructor(int.class, int.class, int.class).newInstance(5_000, 20_000, 0));
            Class<?> type = loader.loadClass("shop.privacy.stores.StripeCustomers");
            Object customers = type.getConstructor(Supplier.class)
                    .newInstance((Supplier<Object>) () -> client);

            Object found = type.getMethod("findByEmail", Set.class)
                    .invoke(customers, Set.of("trim-erase@example.com", "Trim-Erase@example.com"));
            for (Object id : (List<?>) found) {
                assertEquals(true, type.getMethod("deleteCustomer", String.class).invoke(customers, id));
            }
            // Already gone (the 404 read through the trimmed jar): done, and said to be so.
            assertEquals(false, type.getMethod("deleteCustomer", String.class).invoke(customers, lower));

            assertEquals(Set.of(lower, mixed), Set.copyOf((List<?>) found));
            assertTrue(aws.stripe().customerIds().contains(kept));
            assertFalse(aws.stripe().customerIds().contains(lower) || aws.stripe().customerIds().contains(mixed));
        }
    }

    /** A session made by checkout (the create call), then the first event of paying it. */
    private static String openSession(Function<String, StripeStandIn.SignedEvent> pay) throws Exception {
        String session = created();
        assertProcessed(pay.apply(session));
        return session;
    }

    private static String created() throws Exception {
        OrderPipeline.Checkout cart = orders.checkout();
        InProcess.Invocation answer = checkout.invoke(cart.event());
        assertEquals("HTTP_201", answer.outcome(), answer.answer());
        return EventSamples.JSON.readTree(EventSamples.JSON.readTree(answer.answer()).get("body").asText()).get("id").asText();
    }

    private static void assertProcessed(StripeStandIn.SignedEvent event) throws Exception {
        InProcess.Invocation answer = webhook.invoke(orders.webhookEvent(event));
        assertEquals("HTTP_200", answer.outcome(), event.type() + ": " + answer.answer());
        assertTrue(answer.answer().contains("processed"), event.type() + ": " + answer.answer());
    }

    private static StripeStandIn.Customer customer() {
        return StripeStandIn.Customer.SAMPLE.withEmail("trim@example.com");
    }
}
