package shop.adminrefunds;

import com.stripe.StripeClient;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import java.util.Map;
import java.util.function.Supplier;
import shop.core.errors.ConflictException;
import shop.core.errors.UpstreamException;
import shop.core.logging.Log;
import shop.stripe.StripeClients;

/**
 * {@link PaymentRefunds} through stripe-java: {@code RefundCreateParams} with the order's payment
 * intent, amount, reason and metadata (orderId, and the idempotency key, so that Stripe's
 * {@code charge.refunded} echo says which back-office request made it), sent with that key.
 */
final class StripeRefunds implements PaymentRefunds {
    static final String ORDER_METADATA = "orderId";
    static final String REQUEST_KEY_METADATA = "requestKey";

    private final Supplier<StripeClient> stripe;

    /** {@code stripe} is built on first use, when its key is read. */
    StripeRefunds(Supplier<StripeClient> stripe) {
        this.stripe = stripe;
    }

    /**
     * Two tries of at most 2 + 5 seconds fit the function's 15; the retry repeats the idempotency
     * key, so it cannot refund twice.
     */
    static final StripeClients.Timeouts TIMEOUTS = new StripeClients.Timeouts(2_000, 5_000, 1);

    @Override
    public MadeRefund create(String paymentIntentId, Long amount, String reason, String orderId, String idempotencyKey) {
        RefundCreateParams params = params(paymentIntentId, amount, reason, orderId, idempotencyKey);
        try {
            Refund refund = stripe.get().v1().refunds().create(params,
                    RequestOptions.builder().setIdempotencyKey(idempotencyKey).build());
            return new MadeRefund(refund.getId(), refund.getAmount(), refund.getCurrency(), refund.getStatus());
        } catch (IdempotencyException e) {
            throw new ConflictException("This refund form was sent before with other values; reload the order and"
                    + " start a new refund.");
        } catch (InvalidRequestException e) {
            log(e, orderId);
            throw new ConflictException("Stripe refused the refund: " + e.getStripeError().getMessage());
        } catch (StripeException e) {
            log(e, orderId);
            throw new UpstreamException("Stripe did not answer; nothing was recorded. Sending the same form again is"
                    + " safe: it cannot refund twice.", e);
        }
    }

    static RefundCreateParams params(String paymentIntentId, Long amount, String reason, String orderId,
                                     String idempotencyKey) {
        var builder = RefundCreateParams.builder()
                .setPaymentIntent(paymentIntentId)
                .setReason(switch (reason) {
                    case "duplicate" -> RefundCreateParams.Reason.DUPLICATE;
                    case "fraudulent" -> RefundCreateParams.Reason.FRAUDULENT;
                    default -> RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER;
                })
                .putMetadata(ORDER_METADATA, orderId)
                .putMetadata(REQUEST_KEY_METADATA, idempotencyKey);
        if (amount != null) {
            builder.setAmount(amount);
        }
        return builder.build();
    }

    /**
     * SnapStart priming, offline (no key is read and nothing is sent): a refund made through all
     * of stripe-java on a client that answers from memory, as Stripe answers one.
     */
    static void prime() {
        StripeClient offline = StripeClients.offline(request -> "{\"id\":\"re_priming\",\"object\":\"refund\","
                + "\"amount\":100,\"currency\":\"usd\",\"status\":\"succeeded\",\"metadata\":{}}");
        new StripeRefunds(() -> offline).create("pi_priming", 100L, "requested_by_customer", "cs_priming", "refund-priming");
    }

    private static void log(StripeException e, String orderId) {
        Log.warn("stripe_refund_failed", Map.of("orderId", orderId, "stripeError", e.getClass().getSimpleName(),
                "code", String.valueOf(e.getCode()), "status", String.valueOf(e.getStatusCode()),
                "requestId", String.valueOf(e.getRequestId())));
    }
}
