package shop.webhook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import shop.commerce.Money;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderTotals;
import shop.commerce.testing.Samples;
import shop.core.errors.UpstreamException;

/** Stripe's records as a test sets them; can be made to fail a number of calls. */
final class FakePaymentRecords implements PaymentRecords {
    final Map<String, CheckoutSnapshot> sessions = new ConcurrentHashMap<>();
    final Map<String, ChargeSnapshot> charges = new ConcurrentHashMap<>();
    final Map<String, List<RefundSnapshot>> refunds = new ConcurrentHashMap<>();
    final Map<String, DisputeSnapshot> disputes = new ConcurrentHashMap<>();
    /** Single refunds by id, as {@code GET /v1/refunds/{id}} answers them. */
    final Map<String, RefundSnapshot> refundsById = new ConcurrentHashMap<>();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    static CheckoutSnapshot session(String id, String status, String paymentStatus, String reservationId) {
        Money price = Money.of(18500, "USD");
        Money shipping = Money.of(1200, "USD");
        return new CheckoutSnapshot(id, status, paymentStatus, reservationId, "Ada Lovelace", "ada@example.com",
                Samples.address("Ada Lovelace"), Samples.address("Ada Lovelace"),
                List.of(new OrderItem("RING-ARIA", "Aria ring", 1, price, price)),
                new OrderTotals(price, shipping, Money.of(0, "USD"), Money.of(0, "USD"), Money.of(19700, "USD")),
                "pi_" + id.substring(3), false);
    }

    void put(CheckoutSnapshot session) {
        sessions.put(session.id(), session);
    }

    @Override
    public CheckoutSnapshot session(String sessionId) {
        maybeFail();
        CheckoutSnapshot session = sessions.get(sessionId);
        if (session == null) {
            throw new UpstreamException("no such session", null);
        }
        return session;
    }

    @Override
    public Optional<String> sessionForPaymentIntent(String paymentIntentId) {
        maybeFail();
        return sessions.values().stream().filter(s -> paymentIntentId.equals(s.paymentIntentId()))
                .map(CheckoutSnapshot::id).findFirst();
    }

    @Override
    public ChargeSnapshot charge(String chargeId) {
        maybeFail();
        return charges.get(chargeId);
    }

    @Override
    public List<RefundSnapshot> refunds(String chargeId) {
        maybeFail();
        return refunds.getOrDefault(chargeId, List.of());
    }

    @Override
    public RefundSnapshot refund(String refundId) {
        maybeFail();
        RefundSnapshot refund = refundsById.get(refundId);
        if (refund == null) {
            throw new UpstreamException("no such refund", null);
        }
        return refund;
    }

    @Override
    public DisputeSnapshot dispute(String disputeId) {
        maybeFail();
        DisputeSnapshot dispute = disputes.get(disputeId);
        if (dispute == null) {
            throw new UpstreamException("no such dispute", null);
        }
        return dispute;
    }

    private void maybeFail() {
        calls.incrementAndGet();
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new UpstreamException("Stripe is down", null);
        }
    }
}
