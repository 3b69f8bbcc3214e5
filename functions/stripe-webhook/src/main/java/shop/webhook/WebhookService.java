package shop.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import shop.core.errors.InvalidInputException;
import shop.core.logging.Log;

/**
 * Receives Stripe events: verifies the signature before reading anything, skips events already
 * processed, fetches the current state of what the event is about, and lets
 * {@link OrderLifecycle} act on it. The event is recorded as processed only after its effects,
 * so a failure part-way answers 5xx and Stripe's retry finishes the job.
 */
public final class WebhookService {
    /** What happened to one delivery. */
    public enum Outcome { PROCESSED, DUPLICATE, IGNORED }

    private final WebhookVerifier verifier;
    private final ProcessedEvents processed;
    private final PaymentRecords payments;
    private final OrderLifecycle lifecycle;
    private final BooleanSupplier liveKey;

    /** {@code liveKey}: whether the shop's Stripe key is a live-mode one (read on first use). */
    public WebhookService(WebhookVerifier verifier, ProcessedEvents processed, PaymentRecords payments,
                          OrderLifecycle lifecycle, BooleanSupplier liveKey) {
        this.verifier = verifier;
        this.processed = processed;
        this.payments = payments;
        this.lifecycle = lifecycle;
        this.liveKey = liveKey;
    }

    public Outcome receive(String payload, String signatureHeader) {
        StripeEvent event = verifier.verify(payload, signatureHeader);
        if (event.livemode() != liveKey.getAsBoolean()) {
            // A test-mode endpoint pointed at a live shop, or the reverse: nothing of it is ours to act on.
            Log.warn("stripe_event_of_the_other_mode", Map.of("eventId", event.id(), "livemode", event.livemode()));
            throw new InvalidInputException(null, "This endpoint takes " + (event.livemode() ? "test" : "live")
                    + "-mode events only.");
        }
        if (processed.seen(event.id())) {
            Log.info("stripe_event_duplicate", Map.of("eventId", event.id(), "type", event.type()));
            return Outcome.DUPLICATE;
        }
        boolean handled = switch (event.type()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    onSession(event, session -> lifecycle.checkoutCompleted(session));
            case "checkout.session.async_payment_failed" -> onSession(event, session -> lifecycle.paymentFailed(session));
            case "checkout.session.expired" -> onSession(event, lifecycle::expired);
            case "charge.refunded" -> onRefund(event);
            case "charge.refund.updated" -> onRefundUpdated(event);
            case "charge.dispute.created", "charge.dispute.updated", "charge.dispute.closed" -> onDispute(event);
            default -> false;
        };
        if (!handled) {
            Log.info("stripe_event_ignored", Map.of("eventId", event.id(), "type", event.type()));
            return Outcome.IGNORED;
        }
        processed.record(event.id(), event.type());
        Log.info("stripe_event_processed", Map.of("eventId", event.id(), "type", event.type()));
        return Outcome.PROCESSED;
    }

    private boolean onSession(StripeEvent event, java.util.function.Consumer<CheckoutSnapshot> action) {
        if (event.objectId() == null || !event.objectId().startsWith("cs_")) {
            return false;
        }
        action.accept(payments.session(event.objectId()));
        return true;
    }

    private boolean onRefund(StripeEvent event) {
        if (event.objectId() == null || !event.objectId().startsWith("ch_")) {
            return false;
        }
        ChargeSnapshot charge = payments.charge(event.objectId());
        Optional<String> sessionId = Optional.ofNullable(charge.paymentIntentId())
                .flatMap(payments::sessionForPaymentIntent);
        if (sessionId.isEmpty()) {
            // A payment that did not come through Checkout (made in the dashboard): not an order of ours.
            return false;
        }
        lifecycle.refunded(payments.session(sessionId.get()), charge, payments.refunds(charge.id()));
        return true;
    }

    /**
     * A refund that Stripe failed or canceled after it was made: the refund as Stripe holds it now
     * decides (a {@code succeeded} update, or one for a refund still pending, is nothing to act on),
     * so order and repeats do not matter.
     */
    private boolean onRefundUpdated(StripeEvent event) {
        if (event.objectId() == null || !(event.objectId().startsWith("re_") || event.objectId().startsWith("pyr_"))) {
            return false;
        }
        RefundSnapshot refund = payments.refund(event.objectId());
        if (refund.returnsMoney()) {
            return false;
        }
        String paymentIntent = refund.paymentIntentId() != null ? refund.paymentIntentId()
                : refund.chargeId() == null ? null : payments.charge(refund.chargeId()).paymentIntentId();
        Optional<String> sessionId = Optional.ofNullable(paymentIntent).flatMap(payments::sessionForPaymentIntent);
        if (sessionId.isEmpty()) {
            return false;
        }
        lifecycle.refundFailed(payments.session(sessionId.get()), refund);
        return true;
    }

    /** Created, updated or closed: the dispute as Stripe holds it now decides, so order and repeats do not matter. */
    private boolean onDispute(StripeEvent event) {
        if (event.objectId() == null || !(event.objectId().startsWith("du_") || event.objectId().startsWith("dp_"))) {
            return false;
        }
        DisputeSnapshot dispute = payments.dispute(event.objectId());
        String paymentIntent = dispute.paymentIntentId() != null ? dispute.paymentIntentId()
                : dispute.chargeId() == null ? null : payments.charge(dispute.chargeId()).paymentIntentId();
        Optional<String> sessionId = Optional.ofNullable(paymentIntent).flatMap(payments::sessionForPaymentIntent);
        if (sessionId.isEmpty()) {
            return false;
        }
        lifecycle.disputed(payments.session(sessionId.get()), dispute);
        return true;
    }
}
