package shop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LocalAws;
import shop.local.stack.StripeStandIn;
import shop.local.stack.StripeStandIn.PaymentMethod;

/**
 * The trimmed stripe-java of checkout.jar and stripe-webhook.jar (their poms keep only part of
 * it) still does every Stripe call and handles every Stripe event these functions use: each jar
 * is loaded alone, in a class loader of its own, and driven against the Stripe stand-in and the
 * local AWS stand-ins. Calls: create a Checkout Session (checkout); retrieve a session with its
 * line items, prices and products expanded, list sessions by payment intent, retrieve a charge
 * (webhook). Events: checkout.session.completed (paid and unpaid),
 * checkout.session.async_payment_succeeded and _failed, checkout.session.expired,
 * charge.refunded, and a type the webhook ignores. (Listing a session's further line items is
 * only needed past Stripe's first page, which the stand-in never has; it is a GET through the
 * same raw request as the calls above.)
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
