package shop.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.net.ApiResource;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import shop.core.json.Json;
import shop.core.logging.Log;

/**
 * {@link PaymentRecords} from the Stripe API through an injected {@link StripeClient}: its HTTP
 * layer (key, pinned API version, retries, Stripe's errors), with the answers read by our own
 * JSON parser. stripe-java's typed models are read by Gson through reflection, which on a cold
 * start loads and links about 180 model classes (and Gson's adapters) for one expanded Checkout
 * Session; the few fields an order keeps are read here instead. There is no card data in a Checkout Session, and nothing else of
 * it is kept.
 */
final class StripePaymentRecords implements PaymentRecords {
    static final String RESERVATION_METADATA = "reservation_id";
    /** What the back office (admin-refunds) puts in a refund's metadata: the idempotency key it sent. */
    static final String REQUEST_KEY_METADATA = "requestKey";
    /** Line items, and each line's product, whose metadata carries our SKU. */
    private static final String EXPAND = "expand[]=line_items&expand[]=line_items.data.price.product";

    private final Supplier<StripeClient> stripe;

    /** {@code stripe} is built on first use, when its key is read. */
    StripePaymentRecords(Supplier<StripeClient> stripe) {
        this.stripe = stripe;
    }

    /** SnapStart priming, offline: reads and maps a session as Stripe answers it (expanded as {@link #session} asks). */
    void prime() {
        JsonNode session = json("{\"id\":\"cs_priming\",\"object\":\"checkout.session\","
                + "\"currency\":\"usd\",\"amount_subtotal\":100,\"amount_total\":100,\"metadata\":{},"
                + "\"customer_details\":{\"name\":\"Priming\",\"address\":{\"country\":\"US\"}},\"total_details\":{},"
                + "\"collected_information\":{\"shipping_details\":{\"name\":\"Priming\",\"address\":{\"country\":\"US\"}}},"
                + "\"line_items\":{\"object\":\"list\",\"has_more\":false,\"data\":[{\"id\":\"li_priming\",\"object\":\"item\","
                + "\"description\":\"Priming\",\"quantity\":1,\"amount_total\":100,\"price\":{\"id\":\"price_priming\",\"object\":\"price\",\"unit_amount\":100,"
                + "\"product\":{\"id\":\"prod_priming\",\"object\":\"product\",\"metadata\":{\"sku\":\"PRIMING\"}}}}]}}", "prime");
        snapshot(session, lines(session.path("line_items")));
        charge(json("{\"id\":\"ch_priming\",\"object\":\"charge\",\"amount_refunded\":0}", "prime"));
        refund(json("{\"id\":\"re_priming\",\"object\":\"refund\",\"amount\":100,\"currency\":\"usd\","
                + "\"status\":\"succeeded\",\"created\":1,\"metadata\":{}}", "prime"));
        dispute(json("{\"id\":\"du_priming\",\"object\":\"dispute\",\"amount\":100,\"currency\":\"usd\","
                + "\"charge\":\"ch_priming\",\"status\":\"needs_response\",\"created\":1,"
                + "\"evidence_details\":{\"due_by\":2}}", "prime"));
    }

    @Override
    public CheckoutSnapshot session(String sessionId) {
        String path = "/v1/checkout/sessions/" + encode(sessionId);
        JsonNode session = get("retrieve_session", path + "?" + EXPAND);
        List<JsonNode> lines = lines(session.path("line_items"));
        boolean more = session.path("line_items").path("has_more").asBoolean(false);
        while (more && !lines.isEmpty()) {
            String after = lines.get(lines.size() - 1).path("id").asText();
            JsonNode page = get("list_line_items", path + "/line_items?limit=100&starting_after=" + encode(after)
                    + "&expand[]=data.price.product");
            lines.addAll(lines(page));
            more = page.path("has_more").asBoolean(false);
        }
        return snapshot(session, lines);
    }

    @Override
    public Optional<String> sessionForPaymentIntent(String paymentIntentId) {
        JsonNode sessions = get("list_sessions", "/v1/checkout/sessions?limit=1&payment_intent=" + encode(paymentIntentId));
        return Optional.ofNullable(text(sessions.path("data").path(0), "id"));
    }

    @Override
    public ChargeSnapshot charge(String chargeId) {
        return charge(get("retrieve_charge", "/v1/charges/" + encode(chargeId)));
    }

    @Override
    public List<RefundSnapshot> refunds(String chargeId) {
        List<RefundSnapshot> refunds = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            JsonNode page = get("list_refunds", "/v1/refunds?limit=100&charge=" + encode(chargeId)
                    + (after == null ? "" : "&starting_after=" + encode(after)));
            for (JsonNode refund : page.path("data")) {
                refunds.add(refund(refund));
                after = text(refund, "id");
            }
            more = page.path("has_more").asBoolean(false) && after != null;
        }
        return refunds;
    }

    @Override
    public DisputeSnapshot dispute(String disputeId) {
        return dispute(get("retrieve_dispute", "/v1/disputes/" + encode(disputeId)));
    }

    private static RefundSnapshot refund(JsonNode refund) {
        Long amount = amount(refund, "amount");
        Long created = amount(refund, "created");
        return new RefundSnapshot(text(refund, "id"), amount == null ? 0 : amount, text(refund, "currency"),
                text(refund, "reason"), text(refund, "status"), created == null ? 0 : created,
                text(object(refund, "metadata"), REQUEST_KEY_METADATA));
    }

    private static DisputeSnapshot dispute(JsonNode dispute) {
        Long amount = amount(dispute, "amount");
        Long created = amount(dispute, "created");
        Long dueBy = amount(object(dispute, "evidence_details"), "due_by");
        return new DisputeSnapshot(text(dispute, "id"), id(dispute, "charge"), id(dispute, "payment_intent"),
                amount == null ? 0 : amount, text(dispute, "currency"), text(dispute, "reason"),
                text(dispute, "status"), dueBy == null || dueBy == 0 ? null : dueBy, created == null ? 0 : created);
    }

    private static ChargeSnapshot charge(JsonNode charge) {
        return new ChargeSnapshot(text(charge, "id"), id(charge, "payment_intent"),
                charge.path("amount_refunded").asLong(0), charge.path("refunded").asBoolean(false));
    }

    private static List<JsonNode> lines(JsonNode list) {
        List<JsonNode> lines = new ArrayList<>();
        list.path("data").forEach(lines::add);
        return lines;
    }

    private static CheckoutSnapshot snapshot(JsonNode session, List<JsonNode> lines) {
        String currency = text(session, "currency");
        JsonNode details = object(session, "customer_details");
        JsonNode shipping = object(object(session, "collected_information"), "shipping_details");
        JsonNode totalDetails = object(session, "total_details");
        List<OrderItem> items = lines.stream().map(line -> item(line, currency)).toList();
        OrderTotals totals = currency == null ? null : new OrderTotals(
                money(amount(session, "amount_subtotal"), currency),
                money(amount(totalDetails, "amount_shipping"), currency),
                money(amount(totalDetails, "amount_discount"), currency),
                money(amount(totalDetails, "amount_tax"), currency),
                money(amount(session, "amount_total"), currency));
        return new CheckoutSnapshot(
                text(session, "id"),
                text(session, "status"),
                text(session, "payment_status"),
                text(object(session, "metadata"), RESERVATION_METADATA),
                text(details, "name"),
                details == null ? text(session, "customer_email") : text(details, "email"),
                shipping == null ? null : address(text(shipping, "name"), object(shipping, "address")),
                details == null ? null : address(text(details, "name"), object(details, "address")),
                items,
                totals,
                id(session, "payment_intent"),
                session.path("livemode").asBoolean(false));
    }

    private static OrderItem item(JsonNode line, String currency) {
        JsonNode price = object(line, "price");
        String sku = text(object(object(price, "product"), "metadata"), "sku");
        Long quantity = amount(line, "quantity");
        int count = quantity == null ? 1 : quantity.intValue();
        Long amountTotal = amount(line, "amount_total");
        long total = amountTotal == null ? 0 : amountTotal;
        Long unitAmount = amount(price, "unit_amount");
        long unit = unitAmount != null ? unitAmount : total / count;
        return new OrderItem(sku, text(line, "description"), count, money(unit, currency), money(total, currency));
    }

    private static PostalAddress address(String name, JsonNode address) {
        String country = text(address, "country");
        if (country == null) {
            return null;
        }
        return new PostalAddress(name, text(address, "line1"), text(address, "line2"), text(address, "postal_code"),
                text(address, "city"), text(address, "state"), country.toUpperCase(Locale.ROOT));
    }

    private static Money money(Long amount, String currency) {
        return Money.of(amount == null ? 0 : amount, currency);
    }

    /** The object at {@code field}, or null when it is absent or null (as stripe-java's getters answer). */
    private static JsonNode object(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static Long amount(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }

    /** An expandable field: the id, whether Stripe sent the id alone or the object. */
    private static String id(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isObject() ? text(value, "id") : text(node, field);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode get(String what, String pathAndQuery) {
        String body;
        try {
            body = stripe.get().rawRequest(ApiResource.RequestMethod.GET, pathAndQuery, null).body();
        } catch (StripeException e) {
            Log.warn("stripe_call_failed", Map.of("call", what, "stripeError", e.getClass().getSimpleName(),
                    "status", String.valueOf(e.getStatusCode()), "requestId", String.valueOf(e.getRequestId())));
            throw new UpstreamException("The payment provider did not answer; the event will be retried.", e);
        }
        return json(body, what);
    }

    private static JsonNode json(String body, String what) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // Answered below, as for a body that is JSON but not an object.
        }
        Log.warn("stripe_call_failed", Map.of("call", what, "stripeError", "not_json"));
        throw new UpstreamException("The payment provider answered something else than a JSON object.", null);
    }
}
