package shop.webhook;

import com.stripe.param.checkout.SessionCreateParams;
import java.time.Instant;

/** The Checkout Session the shop's checkout opens for one piece: $185.00, $12.00 insured shipping to the US. */
final class PieceSessions {
    private PieceSessions() {
    }

    /** The session's parameters for one of {@code sku}; the caller adds the reservation to its metadata, or not. */
    static SessionCreateParams.Builder forOnePiece(String sku) {
        return SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://shop.example.com/ok")
                .setExpiresAt(Instant.now().plusSeconds(31 * 60).getEpochSecond())
                .setShippingAddressCollection(SessionCreateParams.ShippingAddressCollection.builder()
                        .addAllowedCountry(SessionCreateParams.ShippingAddressCollection.AllowedCountry.US).build())
                .addShippingOption(SessionCreateParams.ShippingOption.builder().setShippingRateData(
                        SessionCreateParams.ShippingOption.ShippingRateData.builder()
                                .setType(SessionCreateParams.ShippingOption.ShippingRateData.Type.FIXED_AMOUNT)
                                .setDisplayName("Insured shipping")
                                .setFixedAmount(SessionCreateParams.ShippingOption.ShippingRateData.FixedAmount.builder()
                                        .setAmount(1200L).setCurrency("usd").build()).build()).build())
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(18500L)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Piece " + sku).putMetadata("sku", sku).build()).build()).build());
    }
}
