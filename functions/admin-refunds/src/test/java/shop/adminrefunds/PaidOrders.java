package shop.adminrefunds;

import com.stripe.StripeClient;
import com.stripe.param.checkout.SessionCreateParams;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import shop.commerce.Money;
import shop.commerce.catalog.DynamoProductStore;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.Order;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderNumber;
import shop.commerce.orders.OrderStatus;
import shop.commerce.orders.OrderTotals;
import shop.commerce.testing.Samples;
import shop.core.retention.RetentionSchedule;
import shop.local.stack.LocalAws;
import shop.local.stack.StripeStandIn;

/** Orders to refund: real Checkout Sessions on the Stripe stand-in, paid, and recorded as the webhook records them. */
final class PaidOrders {
    private PaidOrders() {
    }

    /** A new one-of-a-kind piece ({@code skuPrefix}-...) sold for $197.00; returns the order's id (the session's). */
    static String paidOrder(LocalAws aws, StripeClient stripe, DynamoProductStore products, DynamoOrderStore orders,
                            String skuPrefix) throws Exception {
        return paidOrder(aws, stripe, products, orders, skuPrefix, 1);
    }

    /** {@code lines} new pieces ({@code skuPrefix}-...), one of each, sold for $197.00 each. */
    static String paidOrder(LocalAws aws, StripeClient stripe, DynamoProductStore products, DynamoOrderStore orders,
                            String skuPrefix, int lines) throws Exception {
        var params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://shop.example.com/ok");
        Money price = Money.of(19700, "USD");
        List<OrderItem> items = new java.util.ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String sku = skuPrefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
            products.save(Samples.product(sku, 18500, 0), true);
            params.addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L)
                    .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(19700L)
                            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName("Piece " + sku).putMetadata("sku", sku).build()).build()).build());
            items.add(new OrderItem(sku, "Piece " + sku, 1, price, price));
        }
        var session = stripe.v1().checkout().sessions().create(params.build());
        aws.stripe().pay(session.getId(), StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        String paymentIntent = stripe.v1().checkout().sessions().retrieve(session.getId()).getPaymentIntent();
        Money total = Money.of(19700L * lines, "USD");
        Instant now = Instant.now();
        // As the webhook records a paid checkout: it names the reservation whose pieces it sold.
        orders.create(new Order(session.getId(), OrderNumber.of(session.getId()), OrderStatus.PAID,
                "res_" + items.get(0).sku(), "Ada Lovelace", "ada@example.com", Samples.address("Ada Lovelace"),
                Samples.address("Ada Lovelace"), items,
                new OrderTotals(total, Money.of(0, "USD"), Money.of(0, "USD"), Money.of(0, "USD"), total), 0,
                paymentIntent, false, now, now, Set.of(), null), RetentionSchedule.ORDER_PAID.expiresAt(now));
        return session.getId();
    }
}
