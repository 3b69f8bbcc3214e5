package shop.webhook;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.Address;
import com.stripe.model.Charge;
import com.stripe.model.LineItem;
import com.stripe.model.StripeCollection;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionListParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import com.stripe.param.checkout.SessionLineItemListParams;
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

/**
 * {@link PaymentRecords} from the Stripe API through an injected {@link StripeClient}. Only what
 * an order keeps is copied out of Stripe's objects; there is no card data in a Checkout Session,
 * and nothing else of it is kept.
 */
final class StripePaymentRecords implements PaymentRecords {
    static final String RESERVATION_METADATA = "reservation_id";
    /** Line items, and each line's product, whose metadata carries our SKU. */
    private static final List<String> EXPAND = List.of("line_items", "line_items.data.price.product");

    private final Supplier<StripeClient> stripe;

    /** {@code stripe} is built on first use, when its key is read. */
    StripePaymentRecords(Supplier<StripeClient> stripe) {
        this.stripe = stripe;
    }

    /**
     * SnapStart priming, offline: reads a session (with its line items, prices and products
     * expanded, as {@link #session} asks for them) and a charge as Stripe answers them, which
     * loads what stripe-java's Gson needs; then maps the session as an order would be.
     */
    void prime() {
        Session session = StripeObject.deserializeStripeObject("{\"id\":\"cs_priming\",\"object\":\"checkout.session\","
                + "\"currency\":\"usd\",\"amount_subtotal\":100,\"amount_total\":100,\"metadata\":{},"
                + "\"customer_details\":{\"name\":\"Priming\",\"address\":{\"country\":\"US\"}},\"total_details\":{},"
                + "\"collected_information\":{\"shipping_details\":{\"name\":\"Priming\",\"address\":{\"country\":\"US\"}}},"
                + "\"line_items\":{\"object\":\"list\",\"has_more\":false,\"data\":[{\"id\":\"li_priming\",\"object\":\"item\","
                + "\"description\":\"Priming\",\"quantity\":1,\"amount_total\":100,\"price\":{\"id\":\"price_priming\",\"object\":\"price\",\"unit_amount\":100,"
                + "\"product\":{\"id\":\"prod_priming\",\"object\":\"product\",\"metadata\":{\"sku\":\"PRIMING\"}}}}]}}",
                Session.class, null);
        snapshot(session, session.getLineItems().getData());
        StripeObject.deserializeStripeObject("{\"id\":\"ch_priming\",\"object\":\"charge\",\"amount_refunded\":0}",
                Charge.class, null);
    }

    @Override
    public CheckoutSnapshot session(String sessionId) {
        Session session = call("retrieve_session", () -> stripe.get().v1().checkout().sessions().retrieve(sessionId,
                SessionRetrieveParams.builder().addAllExpand(EXPAND).build()));
        List<LineItem> lines = new ArrayList<>(session.getLineItems() == null ? List.of() : session.getLineItems().getData());
        boolean more = session.getLineItems() != null && Boolean.TRUE.equals(session.getLineItems().getHasMore());
        while (more) {
            String after = lines.get(lines.size() - 1).getId();
            StripeCollection<LineItem> page = call("list_line_items", () -> stripe.get().v1().checkout().sessions().lineItems()
                    .list(sessionId, SessionLineItemListParams.builder().setLimit(100L).setStartingAfter(after)
                            .addExpand("data.price.product").build()));
            lines.addAll(page.getData());
            more = Boolean.TRUE.equals(page.getHasMore());
        }
        return snapshot(session, lines);
    }

    @Override
    public Optional<String> sessionForPaymentIntent(String paymentIntentId) {
        var sessions = call("list_sessions", () -> stripe.get().v1().checkout().sessions().list(
                SessionListParams.builder().setPaymentIntent(paymentIntentId).setLimit(1L).build()));
        return sessions.getData().stream().findFirst().map(Session::getId);
    }

    @Override
    public ChargeSnapshot charge(String chargeId) {
        Charge charge = call("retrieve_charge", () -> stripe.get().v1().charges().retrieve(chargeId));
        return new ChargeSnapshot(charge.getId(), charge.getPaymentIntent(),
                charge.getAmountRefunded() == null ? 0 : charge.getAmountRefunded(),
                Boolean.TRUE.equals(charge.getRefunded()));
    }

    private static CheckoutSnapshot snapshot(Session session, List<LineItem> lines) {
        String currency = session.getCurrency();
        var details = session.getCustomerDetails();
        var shipping = session.getCollectedInformation() == null ? null
                : session.getCollectedInformation().getShippingDetails();
        var totalDetails = session.getTotalDetails();
        List<OrderItem> items = lines.stream().map(line -> item(line, currency)).toList();
        OrderTotals totals = currency == null ? null : new OrderTotals(
                money(session.getAmountSubtotal(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountShipping(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountDiscount(), currency),
                money(totalDetails == null ? null : totalDetails.getAmountTax(), currency),
                money(session.getAmountTotal(), currency));
        return new CheckoutSnapshot(
                session.getId(),
                session.getStatus(),
                session.getPaymentStatus(),
                session.getMetadata() == null ? null : session.getMetadata().get(RESERVATION_METADATA),
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
        var price = line.getPrice();
        String sku = price == null || price.getProductObject() == null || price.getProductObject().getMetadata() == null
                ? null : price.getProductObject().getMetadata().get("sku");
        int quantity = line.getQuantity() == null ? 1 : line.getQuantity().intValue();
        long total = line.getAmountTotal() == null ? 0 : line.getAmountTotal();
        long unit = price != null && price.getUnitAmount() != null ? price.getUnitAmount() : total / quantity;
        return new OrderItem(sku, line.getDescription(), quantity, money(unit, currency), money(total, currency));
    }

    private static PostalAddress address(String name, Address address) {
        if (address == null || address.getCountry() == null) {
            return null;
        }
        return new PostalAddress(name, address.getLine1(), address.getLine2(), address.getPostalCode(),
                address.getCity(), address.getState(), address.getCountry().toUpperCase(Locale.ROOT));
    }

    private static Money money(Long amount, String currency) {
        return Money.of(amount == null ? 0 : amount, currency);
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
