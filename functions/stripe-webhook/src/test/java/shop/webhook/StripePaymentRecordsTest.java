package shop.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.param.checkout.SessionCreateParams;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import shop.commerce.orders.OrderItem;
import shop.core.errors.UpstreamException;
import shop.local.stack.StripeStandIn;
import shop.stripe.StripeClients;

/** The webhook's reads of Stripe's records, through stripe-java's services and models against the Stripe stand-in. */
class StripePaymentRecordsTest {
    private static StripeStandIn stripe;
    private static StripeClient client;
    private static StripePaymentRecords records;

    @BeforeAll
    static void start() {
        stripe = StripeStandIn.start(Clock.systemUTC(), () -> URI.create("http://127.0.0.1:9"));
        client = StripeClients.build(StripeStandIn.SECRET_KEY, stripe.apiBase().toString(),
                new StripeClients.Timeouts(5_000, 20_000, 0));
        records = new StripePaymentRecords(() -> client);
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @Test
    void aPaidSessionWithMoreLinesThanOnePageIsReadWhole() throws Exception {
        String id = session(12);
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);

        CheckoutSnapshot snapshot = records.session(id);

        assertEquals(IntStream.rangeClosed(1, 12).mapToObj(i -> "SKU-" + i).toList(),
                snapshot.items().stream().map(OrderItem::sku).toList(), "all pages, in order, each with its product's SKU");
        assertEquals(2, snapshot.items().get(1).quantity());
        assertEquals(200, snapshot.items().get(1).unitPrice().amount());
        assertEquals(400, snapshot.items().get(1).total().amount());
        long subtotal = IntStream.rangeClosed(1, 12).mapToLong(i -> 100L * i * i).sum();
        assertEquals(subtotal, snapshot.totals().subtotal().amount());
        assertEquals(subtotal + 500, snapshot.totals().total().amount());
        assertEquals(500, snapshot.totals().shipping().amount());
        assertEquals("USD", snapshot.totals().total().currency());
        assertTrue(snapshot.complete() && snapshot.paid());
        assertEquals("res_test", snapshot.reservationId());
        assertEquals("Ada Lovelace", snapshot.customerName());
        assertEquals("ada@example.com", snapshot.customerEmail());
        assertEquals("12 Harbor Road", snapshot.shipping().line1());
        assertEquals("US", snapshot.billing().country());
        assertFalse(snapshot.livemode());

        assertEquals(Optional.of(id), records.sessionForPaymentIntent(snapshot.paymentIntentId()));
        assertEquals(Optional.empty(), records.sessionForPaymentIntent("pi_unknown"));
    }

    @Test
    void anOpenSessionHasNoCustomerYet() throws Exception {
        CheckoutSnapshot snapshot = records.session(session(1));
        assertFalse(snapshot.complete());
        assertNull(snapshot.customerName());
        assertNull(snapshot.shipping());
        assertNull(snapshot.paymentIntentId());
    }

    @Test
    void aRefundedChargeReadsAsFullyRefunded() throws Exception {
        String id = session(1);
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        var refunded = stripe.refund(id);
        String chargeId = com.google.gson.JsonParser.parseString(refunded.payload()).getAsJsonObject()
                .getAsJsonObject("data").getAsJsonObject("object").get("id").getAsString();

        ChargeSnapshot charge = records.charge(chargeId);

        assertEquals(chargeId, charge.id());
        assertEquals(records.session(id).paymentIntentId(), charge.paymentIntentId());
        assertEquals(100 + 500, charge.amountRefunded());
        assertTrue(charge.fullyRefunded());
    }

    @Test
    void aChargesRefundsAndADisputeAreReadIntoStripeJavasModels() throws Exception {
        String id = session(1);
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        var refunded = stripe.dashboardRefund(id, 250L);
        String chargeId = StripeStandIn.objectId(refunded);

        List<RefundSnapshot> refunds = records.refunds(chargeId);

        assertEquals(1, refunds.size());
        assertEquals(stripe.refunds(id).get(0).id(), refunds.get(0).id());
        assertEquals(250, refunds.get(0).amount());
        assertEquals("usd", refunds.get(0).currency());
        assertTrue(refunds.get(0).returnsMoney());
        assertNull(refunds.get(0).requestKey(), "a Dashboard refund carries no back-office key");

        String disputeId = StripeStandIn.objectId(stripe.dispute(id, "fraudulent"));
        DisputeSnapshot dispute = records.dispute(disputeId);
        assertEquals(disputeId, dispute.id());
        assertEquals("fraudulent", dispute.reason());
        assertTrue(dispute.chargeId() != null || dispute.paymentIntentId() != null, "it names what was disputed");
        assertTrue(dispute.amount() > 0);
        assertTrue(dispute.evidenceDueBy() != null && dispute.evidenceDueBy() > 0, "an open dispute has a deadline");
    }

    @Test
    void aRefundIsReadWithWhatItRefundsAndOnceFailedWhy() throws Exception {
        String id = session(1);
        stripe.pay(id, StripeStandIn.PaymentMethod.CARD, StripeStandIn.Customer.SAMPLE);
        String chargeId = StripeStandIn.objectId(stripe.dashboardRefund(id, 250L));
        String refundId = stripe.refunds(id).get(0).id();
        assertTrue(records.refund(refundId).returnsMoney());
        assertNull(records.refund(refundId).failureReason());

        stripe.failRefund(refundId, "lost_or_stolen_card");
        RefundSnapshot refund = records.refund(refundId);

        assertEquals(refundId, refund.id());
        assertEquals(250, refund.amount());
        assertEquals("failed", refund.status());
        assertFalse(refund.returnsMoney());
        assertEquals("lost_or_stolen_card", refund.failureReason());
        assertEquals(chargeId, refund.chargeId());
        assertEquals(records.session(id).paymentIntentId(), refund.paymentIntentId());
        assertThrows(UpstreamException.class, () -> records.refund("re_unknown"));
    }

    @Test
    void anUnknownObjectOrAFailingStripeIsAnUpstreamFailure() {
        assertThrows(UpstreamException.class, () -> records.session("cs_test_unknown"));
        assertThrows(UpstreamException.class, () -> records.charge("ch_unknown"));
        stripe.failing(true);
        try {
            assertThrows(UpstreamException.class, () -> records.sessionForPaymentIntent("pi_any"));
        } finally {
            stripe.failing(false);
        }
    }

    @Test
    void primingSendsNothingAndReadsNoKey() {
        int before = stripe.sessionCount();
        new StripePaymentRecords(() -> {
            throw new AssertionError("priming must not build the real client");
        }).prime();
        assertEquals(before, stripe.sessionCount());
    }

    /** A session of {@code lines} lines, line i of quantity i at i × 100 cents, made as checkout makes one. */
    private static String session(int lines) throws Exception {
        var params = SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl("https://shop.example.com/ok")
                .putMetadata(StripePaymentRecords.RESERVATION_METADATA, "res_test").setExpiresAt(Instant.now().plusSeconds(3600).getEpochSecond())
                .addShippingOption(SessionCreateParams.ShippingOption.builder().setShippingRateData(
                        SessionCreateParams.ShippingOption.ShippingRateData.builder()
                                .setType(SessionCreateParams.ShippingOption.ShippingRateData.Type.FIXED_AMOUNT)
                                .setDisplayName("Shipping")
                                .setFixedAmount(SessionCreateParams.ShippingOption.ShippingRateData.FixedAmount.builder()
                                        .setAmount(500L).setCurrency("usd").build()).build()).build());
        for (int i = 1; i <= lines; i++) {
            params.addLineItem(SessionCreateParams.LineItem.builder().setQuantity((long) i)
                    .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(100L * i)
                            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName("Piece " + i).putMetadata("sku", "SKU-" + i).build()).build()).build());
        }
        return client.v1().checkout().sessions().create(params.build()).getId();
    }
}
