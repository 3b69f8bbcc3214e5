package shop.local.server;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.param.checkout.SessionCreateParams;
import java.time.Instant;
import java.util.Map;
import shop.local.stack.LocalAws;

/**
 * Checkout Sessions made in the shop's Stripe account by something other than the shop's
 * checkout (a Payment Link, the Dashboard, another integration), through stripe-java against the
 * Stripe stand-in: one piece, a US shipping address collected, and none of the shop's metadata
 * unless a reservation is named.
 */
final class OtherIntegration {
    private final StripeClient stripe;

    OtherIntegration(LocalAws aws) {
        Map<String, String> environment = aws.functionEnvironment("StripeWebhookFunction", Map.of());
        this.stripe = StripeClient.builder().setApiKey(environment.get("STRIPE_SECRET_KEY"))
                .setApiBase(environment.get("STRIPE_API_BASE")).build();
    }

    /** A session for one {@code sku} at {@code unitAmount} cents; {@code reservationId} (or null) in its metadata. */
    String session(String sku, String email, long unitAmount, String reservationId) throws StripeException {
        var params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://elsewhere.example.com/ok")
                .setCustomerEmail(email)
                .setExpiresAt(Instant.now().plusSeconds(31 * 60).getEpochSecond())
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllowedCountry(SessionCreateParams.ShippingAddressCollection.AllowedCountry.US).build())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd")
                                .setUnitAmount(unitAmount)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Piece " + sku).putMetadata("sku", sku).build()).build()).build());
        if (reservationId != null) {
            params.putMetadata("reservation_id", reservationId);
        }
        return stripe.v1().checkout().sessions().create(params.build()).getId();
    }
}
