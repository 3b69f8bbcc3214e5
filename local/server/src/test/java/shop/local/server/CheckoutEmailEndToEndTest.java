package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;

/**
 * Deactivation cannot be walked around (issue 13, finding 7): checkout asks for the email and
 * gives it to Stripe as the session's {@code customer_email}, which the payment page shows
 * read-only, so the address checked against the deactivation list is the one paid with.
 */
@ExtendWith(RunningShopExtension.class)
class CheckoutEmailEndToEndTest {
    @ShopFixture private static RunningShop running;
    @ShopFixture private static ShopClient shop;
    @ShopFixture private static LocalAws aws;

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
