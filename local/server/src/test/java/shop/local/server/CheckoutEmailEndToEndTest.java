package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * Deactivation cannot be walked around (issue 13, finding 7): checkout asks for the email and
 * gives it to Stripe as the session's {@code customer_email}, which the payment page shows
 * read-only, so the address checked against the deactivation list is the one paid with.
 */
@ExtendWith(LocalAwsExtension.class)
class CheckoutEmailEndToEndTest {
    private static RunningShop running;
    private static ShopClient shop;
    private static LocalAws aws;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        running = RunningShop.start(new LocalFunctions(aws, aws.template(), Map.of()));
        shop = running.shop();
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aCheckoutWithoutAnEmailIs400HoldingNothingAndWithOneStripeGetsItAsCustomerEmail() throws Exception {
        String sku = shop.piece(1);
        int sessions = aws.stripe().sessionCount();

        HttpResponse<String> refused = shop.checkout(sku, 1, null);

        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("email", ShopClient.json(refused).get("field").asText());
        assertEquals("in_stock", shop.availability(sku));
        assertEquals(sessions, aws.stripe().sessionCount(), "no Stripe session");

        String email = ShopClient.email();
        String id = shop.startCheckout(sku, email);
        assertEquals(email, aws.stripe().session(id).orElseThrow().customerEmail());
    }
}
