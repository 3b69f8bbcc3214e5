package shop.webhook;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Address;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.LineItem;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.model.checkout.Session;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionListParams;
import com.stripe.param.checkout.SessionLineItemListParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import shop.commerce.Money;
import shop.commerce.orders.OrderItem;
import shop.commerce.orders.OrderTotals;
import shop.commerce.orders.PostalAddress;
import shop.core.errors.UpstreamException;
import shop.core.logging.Log;
import shop.stripe.StripeClients;

/**
 * {@link PaymentRecords} from the Stripe API through an injected {@link StripeClient}, read into
 * stripe-java's models: the Checkout Session with its line items and their products expanded,
 * the sessions of a payment intent, a charge. There is no card data in a Checkout Session, and
 * nothing of it is kept beyond what an order needs.
 */
final class StripePaymentRecords implements PaymentRecords {
    static final String RESERVATION_METADATA = "reservation_id";
    /** What the back office (admin-refunds) puts in a refund's metadata: the idempotency key it sent. */
    static final String REQUEST_KEY_METADATA = "requestKey";

    private final Supplier<StripeClient> stripe;

    /** {@code stripe} is built on first use, when its key is read. */
    StripePaymentRecords(Supplier<StripeClient> stripe) {
        this.stripe = stripe;
    }

    /**
     * SnapStart priming, offline (no key is read and nothing is sent): each call of this adapter
     * goes through stripe-java on a client that answers from memory, as Stripe answers them.
     */
    void prime() {
        StripeClient offline = StripeClients.offline(request -> switch (request) {
            case "GET /v1/checkout/sessions/cs_priming" -> PRIMING_SESSION;
            case "GET /v1/checkout/sessions/cs_priming/line_items" ->
                    "{\"object\":\"list\",\"has_more\":false,\"data\":[" + PRIMING_LINE + "]}";
            case "GET /v1/checkout/sessions" -> "{\"object\":\"list\",\"has_more\":false,\"data\":[" + PRIMING_SESSION + "]}";
            case "GET /v1/refunds" -> "{\"object\":\"list\",\"has_more\":false,\"data\":[{\"id\":\"re_priming\","
                    + "\"object\":\"refund\",\"amount\":100,\"currency\":\"usd\",\"status\":\"succeeded\",\"created\":1,"
                    + "\"charge\":\"ch_priming\",\"metadata\":{}}]}";
            case "GET /v1/refunds/re_priming" -> "{\"id\":\"re_priming\",\"object\":\"refund\",\"amount\":100,"
                    + "\"currency\":\"usd\",\"status\":\"failed\",\"failure_reason\":\"expired_or_canceled_card\","
                    + "\"created\":1,\"charge\":\"ch_priming\",\"payment_intent\":\"pi_priming\",\"metadata\":{}}";
            case "GET /v1/disputes/du_priming" -> "{\"id\":\"du_priming\",\"object\":\"dispute\",\"amount\":100,"
                    + "\"currency\":\"usd\",\"charge\":\"ch_priming\",\"payment_intent\":\"pi_priming\","
                    + "\"status\":\"needs_response\",\"reason\":\"fraudulent\",\"created\":1,\"evidence_details\":{\"due_by\":2}}";
            default -> "{\"id\":\"ch_priming\",\"object\":\"charge\",\"payment_intent\":\"pi_priming\",\"amount_refunded\":0,"
                    + "\"refunded\":false}";
        });
        var records = new StripePaymentRecords(() -> offline);
        records.session("cs_priming");
        records.sessionForPaymentIntent("pi_priming");
        records.charge("ch_priming");
        records.refunds("ch_priming");
        records.refund("re_priming");
        records.dispute("du_priming");
    }

    private static final String PRIMING_LINE = "{\"id\":\"li_priming\",\"object\":\"item\",\"description\":\"Priming\","
            + "\"quantity\":1,\"amount_total\":100,\"price\":{\"id\":\"price_priming\",\"object\":\"price\",\"unit_amount\":100,"
            + "\"product\":{\"id\":\"prod_priming\",\"object\":\"product\",\"metadata\":{\"sku\":\"PRIMING\"}}}}";
    private static final String PRIMING_SESSION = "{\"id\":\"cs_priming\",\"object\":\"checkout.session\",\"status\":\"complete\","
            + "\"payment_status\":\"paid\",\"payment_intent\":\"pi_priming\",\"currency\":\"usd\",\"amount_subtotal\":100,"
            + "\"amount_total\":100,\"metadata\":{\"reservation_id\":\"res_priming\"},"
            + "\"customer_details\":{\"name\":\"Priming\",\"email\":\"priming@example.invalid\",\"address\":{\"country\":\"US\"}},"
            + "\"total_details\":{\"amount_shipping\":0,\"amount_discount\":0,\"amount_tax\":0},"
            + "\"collected_information\":{\"shipping_details\":{\"name\":\"Priming\",\"address\":{\"country\":\"US\"}}},"
            + "\"line_items\":{\"object\":\"list\",\"has_more\":true,\"data\":[" + PRIMING_LINE + "]}}";

    @Override
    public CheckoutSnapshot session(String sessionId) {
        var sessions = stripe.get().v1().checkout().sessions();
        Session session = call("retrieve_session", () -> sessions.retrieve(sessionId, SessionRetrieveParams.builder()
                // Line items, and each line's product, whose metadata carries our SKU.
                .addExpand("line_items").addExpand("line_items.data.price.product").build()));
        List<LineItem> lines = new ArrayList<>();
        boolean more = false;
        if (session.getLineItems() != null) {
            lines.addAll(session.getLineItems().getData());
            more = Boolean.TRUE.equals(session.getLineItems().getHasMore());
        }
        while (more && !lines.isEmpty()) {
            String after = lines.get(lines.size() - 1).getId();
            StripeCollection<LineItem> page = call("list_line_items", () -> sessions.lineItems().list(sessionId,
                    SessionLineItemListParams.builder().setLimit(100L).setStartingAfter(after)
                            .addExpand("data.price.product").build()));
            lines.addAll(page.getData());
            more = Boolean.TRUE.equals(page.getHasMore());
        }
        return snapshot(session, lines);
    }

    @Override
    public Optional<String> sessionForPaymentIntent(String paymentIntentId) {
        StripeCollection<Session> sessions = call("list_sessions", () -> stripe.get().v1().checkout().sessions()
                .list(SessionListParams.builder().setLimit(1L).setPaymentIntent(paymentIntentId).build()));
        return sessions.getData().stream().findFirst().map(Session::getId);
    }

    @Override
    public ChargeSnapshot charge(String chargeId) {
        Charge charge = call("retrieve_charge", () -> stripe.get().v1().charges().retrieve(chargeId));
        return new ChargeSnapshot(charge.getId(), charge.getPaymentIntent(), orZero(charge.getAmountRefunded()),
                Boolean.TRUE.equals(charge.getRefunded()));
    }

    @Override
    public List<RefundSnapshot> refunds(String chargeId) {
        List<RefundSnapshot> refunds = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            String startingAfter = after;
            RefundListParams.Builder params = RefundListParams.builder().setLimit(100L).setCharge(chargeId);
            if (startingAfter != null) {
                params.setStartingAfter(startingAfter);
            }
            StripeCollection<Refund> page = call("list_refunds", () -> stripe.get().v1().refunds().list(params.build()));
            for (Refund refund : page.getData()) {
                refunds.add(refund(refund));
                after = refund.getId();
            }
            more = Boolean.TRUE.equals(page.getHasMore()) && after != null && !after.equals(startingAfter);
        }
        return refunds;
    }

    @Override
    public RefundSnapshot refund(String refundId) {
        Refund refund = call("retrieve_refund", () -> stripe.get().v1().refunds().retrieve(refundId));
        RefundSnapshot listed = refund(refund);
        return new RefundSnapshot(listed.id(), listed.amount(), listed.currency(), listed.reason(), listed.status(),
                listed.created(), listed.requestKey(), refund.getCharge(), refund.getPaymentIntent(),
                refund.getFailureReason());
    }

    @Override
    public DisputeSnapshot dispute(String disputeId) {
        return dispute(call("retrieve_dispute", () -> stripe.get().v1().disputes().retrieve(disputeId)));
    }

    private static RefundSnapshot refund(Refund refund) {
        Map<String, String> metadata = refund.getMetadata();
        return new RefundSnapshot(refund.getId(), orZero(refund.getAmount()), refund.getCurrency(), refund.getReason(),
                refund.getStatus(), orZero(refund.getCreated()),
                metadata == null ? null : metadata.get(REQUEST_KEY_METADATA));
    }

    private static DisputeSnapshot dispute(Dispute dispute) {
        Long dueBy = dispute.getEvidenceDetails() == null ? null : dispute.getEvidenceDetails().getDueBy();
        return new DisputeSnapshot(dispute.getId(), dispute.getCharge(), dispute.getPaymentIntent(),
                orZero(dispute.getAmount()), dispute.getCurrency(), dispute.getReason(), dispute.getStatus(),
                dueBy == null || dueBy == 0 ? null : dueBy, orZero(dispute.getCreated()));
    }

    private static CheckoutSnapshot snapshot(Session session, List<LineItem> lines) {
        String currency = session.getCurrency();
        Session.CustomerDetails details = session.getCustomerDetails();
        Session.CollectedInformation collected = session.getCollectedInformation();
        Session.CollectedInformation.ShippingDetails shipping = collected == null ? null : collected.getShippingDetails();
        Session.TotalDetails totalDetails = session.getTotalDetails();
        List<OrderItem> items = lines.stream().map(line -> item(line, currency)).toList();
        OrderTotals totals = currency == null ? null : new OrderTotals(
                money(session.getAmountSubtotal(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountShipping(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountDiscount(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountTax(), currency),
                money(session.getAmountTotal(), currency));
        Map<String, String> metadata = session.getMetadata();
        return new CheckoutSnapshot(
                session.getId(),
                session.getStatus(),
                session.getPaymentStatus(),
                metadata == null ? null : metadata.get(RESERVATION_METADATA),
                details == null ? null : details.getName(),
                details == null ? session.getCustomerEmail() : details.getEmail(),
                shipping == null ? null : address(shipping.getName(), shipping.getAddress()),
                details == null ? null : address(details.getName(), details.getAddress()),
                items,
                totals,
                session.getPaymentIntent(),
                Boolean.TRUE.equals(session.getLivemode()));
    }

    private static OrderItem item(LineItem line, String currency) {
        Price price = line.getPrice();
        Product product = price == null ? null : price.getProductObject();
        String sku = product == null || product.getMetadata() == null ? null : product.getMetadata().get("sku");
        int count = line.getQuantity() == null ? 1 : line.getQuantity().intValue();
        long total = orZero(line.getAmountTotal());
        long unit = price != null && price.getUnitAmount() != null ? price.getUnitAmount() : total / count;
        return new OrderItem(sku, line.getDescription(), count, money(unit, currency), money(total, currency));
    }

    private static PostalAddress address(String name, Address address) {
        if (address == null || address.getCountry() == null) {
            return null;
        }
        return new PostalAddress(name, address.getLine1(), address.getLine2(), address.getPostalCode(),
                address.getCity(), address.getState(), address.getCountry().toUpperCase(Locale.ROOT));
    }

    private static Money money(Long amount, String currency) {
        return Money.of(orZero(amount), currency);
    }

    private static long orZero(Long amount) {
        return amount == null ? 0 : amount;
    }

    private interface StripeCall<T> {
        T call() throws StripeException;
    }

    private static <T> T call(String what, StripeCall<T> call) {
        try {
            return call.call();
        } catch (StripeException e) {
            Log.warn("stripe_call_failed", Map.of("call", what, "stripeError", e.getClass().getSimpleName(),
                    "status", String.valueOf(e.getStatusCode()), "requestId", String.valueOf(e.getRequestId())));
            throw new UpstreamException("The payment provider did not answer; the event will be retried.", e);
        }
    }
}
