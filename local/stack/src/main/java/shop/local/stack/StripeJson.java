package shop.local.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stripe's objects as JSON, with the fields a Checkout integration reads and Stripe's field names. */
final class StripeJson {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StripeJson() {
    }

    static String write(Object value, boolean pretty) {
        try {
            return (pretty ? PRETTY : COMPACT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A checkout.session; with line items (and their products) only when the caller expanded them. */
    static Map<String, Object> session(StripeStandIn standIn, StripeStandIn.Session s, boolean lineItems) {
        return session(standIn, s, lineItems, false);
    }

    static Map<String, Object> session(StripeStandIn standIn, StripeStandIn.Session s, boolean lineItems,
                                       boolean products) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", s.id);
        json.put("object", "checkout.session");
        json.put("after_expiration", null);
        json.put("allow_promotion_codes", s.allowPromotionCodes);
        json.put("amount_subtotal", s.subtotal());
        json.put("amount_total", s.total());
        json.put("automatic_tax", map("enabled", s.automaticTax, "liability", null,
                "status", s.automaticTax ? "complete" : null));
        json.put("billing_address_collection", s.billingAddressCollection);
        json.put("cancel_url", s.cancelUrl);
        json.put("client_reference_id", s.clientReferenceId);
        json.put("client_secret", null);
        json.put("collected_information", s.customer == null ? null
                : map("shipping_details", map("address", address(s.customer), "name", s.customer.name())));
        json.put("created", s.created);
        json.put("currency", s.currency);
        json.put("customer", null);
        json.put("customer_creation", "if_required");
        json.put("customer_details", s.customer == null ? null : map(
                "address", address(s.customer),
                "email", s.customer.email(),
                "name", s.customer.name(),
                "phone", null,
                "tax_exempt", "none",
                "tax_ids", List.of()));
        json.put("customer_email", s.customerEmail);
        json.put("expires_at", s.expiresAt);
        json.put("livemode", false);
        json.put("locale", null);
        json.put("metadata", s.metadata);
        json.put("mode", "payment");
        json.put("payment_intent", s.paymentIntentId);
        json.put("payment_method_types", List.of("card"));
        json.put("payment_status", s.paymentStatus);
        json.put("shipping_address_collection", s.allowedCountries.isEmpty() ? null
                : map("allowed_countries", s.allowedCountries));
        json.put("shipping_cost", s.shippingName == null ? null : map("amount_subtotal", s.shippingAmount,
                "amount_tax", 0, "amount_total", s.shippingAmount, "shipping_rate", s.shippingRateId));
        json.put("shipping_options", s.shippingName == null ? List.of()
                : List.of(map("shipping_amount", s.shippingAmount, "shipping_rate", s.shippingRateId)));
        json.put("status", s.status);
        json.put("submit_type", null);
        json.put("success_url", s.successUrl);
        json.put("total_details", map("amount_discount", 0, "amount_shipping", s.shippingAmount, "amount_tax", 0));
        json.put("ui_mode", "hosted");
        json.put("url", "open".equals(s.status) ? s.url : null);
        if (lineItems) {
            // As Stripe expands them: the first page of ten, has_more telling there are more.
            json.put("line_items", page("/v1/checkout/sessions/" + s.id + "/line_items", lineItems(s, products), 10, null));
        }
        return json;
    }

    static List<Object> lineItems(StripeStandIn.Session s, boolean products) {
        List<Object> items = new ArrayList<>();
        for (StripeStandIn.Line line : s.lines) {
            Map<String, Object> product = map(
                    "id", line.productId(), "object", "product", "active", false, "created", s.created,
                    "description", line.description(), "images", line.images(), "livemode", false,
                    "metadata", line.productMetadata(), "name", line.name(), "tax_code", line.taxCode(),
                    "type", "service");
            Map<String, Object> price = map(
                    "id", line.priceId(), "object", "price", "active", false, "billing_scheme", "per_unit",
                    "created", s.created, "currency", s.currency, "livemode", false, "metadata", Map.of(),
                    "product", products ? product : line.productId(), "type", "one_time",
                    "unit_amount", line.unitAmount(), "unit_amount_decimal", String.valueOf(line.unitAmount()));
            items.add(map(
                    "id", line.id(), "object", "item", "amount_discount", 0, "amount_subtotal", line.total(),
                    "amount_tax", 0, "amount_total", line.total(), "currency", s.currency,
                    "description", line.name(), "price", price, "quantity", line.quantity()));
        }
        return items;
    }

    static Map<String, Object> charge(StripeStandIn.Charge c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id);
        json.put("object", "charge");
        json.put("amount", c.amount);
        json.put("amount_captured", c.amount);
        json.put("amount_refunded", c.amountRefunded);
        json.put("captured", true);
        json.put("created", c.created);
        json.put("currency", c.currency);
        json.put("livemode", false);
        json.put("metadata", Map.of());
        json.put("paid", true);
        json.put("payment_intent", c.paymentIntentId);
        // What Stripe tells a merchant about a card: brand and last four digits, never the number.
        json.put("payment_method_details", "card".equals(c.method)
                ? map("card", map("brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2034), "type", "card")
                : map("type", c.method));
        json.put("refunded", c.amountRefunded >= c.amount);
        json.put("status", "succeeded");
        return json;
    }

    static Map<String, Object> refund(StripeStandIn.Refund r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", r.id);
        json.put("object", "refund");
        json.put("amount", r.amount);
        json.put("balance_transaction", "txn_" + r.id.substring(3));
        json.put("charge", r.chargeId);
        json.put("created", r.created);
        json.put("currency", r.currency);
        json.put("destination_details", map("card", map("reference_status", "pending", "reference_type", "acquirer_reference_number",
                "type", "refund"), "type", "card"));
        json.put("metadata", r.metadata);
        json.put("payment_intent", r.paymentIntentId);
        json.put("reason", r.reason);
        json.put("receipt_number", null);
        json.put("source_transfer_reversal", null);
        json.put("status", r.status);
        if (r.failureReason != null) {
            json.put("failure_balance_transaction", "txn_failed_" + r.id.substring(3));
            json.put("failure_reason", r.failureReason);
        }
        json.put("transfer_reversal", null);
        return json;
    }

    static Map<String, Object> dispute(StripeStandIn.Dispute d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", d.id);
        json.put("object", "dispute");
        json.put("amount", d.amount);
        json.put("balance_transactions", List.of());
        json.put("charge", d.chargeId);
        json.put("created", d.created);
        json.put("currency", d.currency);
        json.put("evidence", map("customer_email_address", null, "product_description", null, "shipping_tracking_number", null,
                "uncategorized_text", null));
        json.put("evidence_details", map("due_by", d.dueBy, "has_evidence", false, "past_due", false,
                "submission_count", 0));
        json.put("is_charge_refundable", false);
        json.put("livemode", false);
        json.put("metadata", Map.of());
        json.put("payment_intent", d.paymentIntentId);
        json.put("reason", d.reason);
        json.put("status", d.status);
        return json;
    }

    static Map<String, Object> list(String url, List<Object> data) {
        return map("object", "list", "data", data, "has_more", false, "url", url);
    }

    /** One page of a list, Stripe's way: the {@code limit} items after the one whose id is {@code startingAfter}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> page(String url, List<Object> all, int limit, String startingAfter) {
        int from = 0;
        if (startingAfter != null) {
            while (from < all.size() && !startingAfter.equals(((Map<String, Object>) all.get(from)).get("id"))) {
                from++;
            }
            from++;
        }
        int to = Math.min(all.size(), from + limit);
        List<Object> data = from >= all.size() ? List.of() : all.subList(from, to);
        return map("object", "list", "data", data, "has_more", to < all.size(), "url", url);
    }

    static Map<String, Object> error(StripeStandIn.StripeError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", error.type != null ? error.type : error.status >= 500 ? "api_error" : "invalid_request_error");
        body.put("code", error.code);
        body.put("message", error.getMessage());
        if (error.param != null) {
            body.put("param", error.param);
        }
        return Map.of("error", body);
    }

    private static Map<String, Object> address(StripeStandIn.Customer c) {
        return map("city", c.city(), "country", c.country(), "line1", c.line1(), "line2", c.line2(),
                "postal_code", c.postalCode(), "state", c.state());
    }

    /** A map that keeps order and, unlike Map.of, takes nulls (Stripe sends them). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
