package shop.local.stack;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of {@link StripeStandIn}: a WireMock transformer that answers Stripe's REST API
 * paths from the stand-in's state, with Stripe's status codes and error bodies.
 */
final class StripeApi implements ResponseDefinitionTransformerV2 {
    static final String NAME = "stripe-stand-in";
    private static final Pattern SESSION = Pattern.compile("/v1/checkout/sessions/([A-Za-z0-9_]+)");
    private static final Pattern LINE_ITEMS = Pattern.compile("/v1/checkout/sessions/([A-Za-z0-9_]+)/line_items");
    private static final Pattern EXPIRE = Pattern.compile("/v1/checkout/sessions/([A-Za-z0-9_]+)/expire");
    private static final Pattern CHARGE = Pattern.compile("/v1/charges/([A-Za-z0-9_]+)");
    private static final Pattern CUSTOMER = Pattern.compile("/v1/customers/([A-Za-z0-9_]+)");
    private static final Pattern REFUND = Pattern.compile("/v1/refunds/([A-Za-z0-9_]+)");
    private static final Pattern DISPUTE = Pattern.compile("/v1/disputes/([A-Za-z0-9_]+)");
    /** Stripe accepts an expires_at 30 minutes to 24 hours after it creates the session. */
    private static final long MIN_LIFETIME = 30 * 60;
    private static final long MAX_LIFETIME = 24 * 60 * 60;

    private final StripeStandIn standIn;

    StripeApi(StripeStandIn standIn) {
        this.standIn = standIn;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        try {
            if (standIn.outage() == StripeStandIn.Outage.CONNECTION_RESETS) {
                return new ResponseDefinitionBuilder().withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            }
            if (standIn.outage() == StripeStandIn.Outage.HANGING) {
                return new ResponseDefinitionBuilder().withStatus(504).withFixedDelay(StripeStandIn.HANG_MILLIS).build();
            }
            if (standIn.outage() == StripeStandIn.Outage.SERVER_ERRORS) {
                throw new StripeStandIn.StripeError(500, "api_error", "The Stripe stand-in is failing on purpose.", null);
            }
            String authorization = request.getHeader("Authorization");
            if (!("Bearer " + StripeStandIn.SECRET_KEY).equals(authorization)) {
                throw new StripeStandIn.StripeError(401, "api_key_invalid", "Invalid API Key provided.", null);
            }
            URI uri = URI.create(request.getUrl());
            String path = uri.getRawPath();
            FormFields query = FormFields.parse(uri.getRawQuery());
            String method = request.getMethod().getName();
            Matcher session = SESSION.matcher(path);
            Matcher charge = CHARGE.matcher(path);
            if (method.equals("POST") && path.equals("/v1/checkout/sessions")) {
                return ok(StripeJson.session(standIn, create(FormFields.parse(request.getBodyAsString()),
                        request.getHeader("Idempotency-Key")), false));
            }
            Matcher expire = EXPIRE.matcher(path);
            if (method.equals("POST") && expire.matches()) {
                return ok(standIn.expireByApi(expire.group(1), request.getHeader("Idempotency-Key"),
                        request.getBodyAsString()));
            }
            Matcher lineItems = LINE_ITEMS.matcher(path);
            if (method.equals("GET") && lineItems.matches()) {
                var found = standIn.find(lineItems.group(1)).orElseThrow(() -> missing("checkout.session", lineItems.group(1)));
                long limit = query.get("limit").map(Long::parseLong).orElse(10L);
                if (limit < 1 || limit > 100) {
                    throw new StripeStandIn.StripeError(400, "parameter_invalid_integer", "limit must be 1 to 100.", "limit");
                }
                synchronized (found) {
                    return ok(StripeJson.page(path, StripeJson.lineItems(found, query.list("expand").contains("data.price.product")),
                            (int) limit, query.get("starting_after").orElse(null)));
                }
            }
            if (method.equals("GET") && session.matches()) {
                List<String> expand = query.list("expand");
                var found = standIn.find(session.group(1)).orElseThrow(() -> missing("checkout.session", session.group(1)));
                synchronized (found) {
                    return ok(StripeJson.session(standIn, found, expand.contains("line_items"),
                            expand.contains("line_items.data.price.product")));
                }
            }
            if (method.equals("GET") && path.equals("/v1/checkout/sessions")) {
                String paymentIntent = query.require("payment_intent");
                List<Object> data = new ArrayList<>();
                for (var found : standIn.byPaymentIntent(paymentIntent)) {
                    synchronized (found) {
                        data.add(StripeJson.session(standIn, found, false));
                    }
                }
                return ok(StripeJson.list("/v1/checkout/sessions", data));
            }
            if (method.equals("GET") && charge.matches()) {
                var found = standIn.charge(charge.group(1)).orElseThrow(() -> missing("charge", charge.group(1)));
                synchronized (found) {
                    return ok(StripeJson.charge(found));
                }
            }
            // Refunds (admin-refunds makes them; the webhook lists a charge's) and disputes (the webhook reads them).
            if (method.equals("POST") && path.equals("/v1/refunds")) {
                String body = request.getBodyAsString();
                FormFields form = FormFields.parse(body);
                String paymentIntent = form.require("payment_intent");
                Long amount = form.has("amount") ? form.requireLong("amount") : null;
                String reason = form.get("reason").orElse(null);
                if (reason != null && !StripeStandIn.REFUND_REASONS.contains(reason)) {
                    throw new StripeStandIn.StripeError(400, "parameter_invalid_string",
                            "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer", "reason");
                }
                var refund = standIn.createRefund(paymentIntent, amount, reason, form.map("metadata"),
                        request.getHeader("Idempotency-Key"), body);
                return ok(StripeJson.refund(refund));
            }
            Matcher refund = REFUND.matcher(path);
            if (method.equals("GET") && refund.matches()) {
                return ok(StripeJson.refund(standIn.findRefund(refund.group(1))
                        .orElseThrow(() -> missing("refund", refund.group(1)))));
            }
            if (method.equals("GET") && path.equals("/v1/refunds")) {
                List<Object> data = new ArrayList<>();
                for (var found : standIn.refundsOf(query.get("charge").orElse(null), query.get("payment_intent").orElse(null))) {
                    data.add(StripeJson.refund(found));
                }
                return ok(StripeJson.list("/v1/refunds", data));
            }
            Matcher dispute = DISPUTE.matcher(path);
            if (method.equals("GET") && dispute.matches()) {
                var found = standIn.findDispute(dispute.group(1)).orElseThrow(() -> missing("dispute", dispute.group(1)));
                synchronized (found) {
                    return ok(StripeJson.dispute(found));
                }
            }
            // Customers, for erasure: listed by exact email, deleted by id (privacy-requests).
            Matcher customer = CUSTOMER.matcher(path);
            if (method.equals("GET") && path.equals("/v1/customers")) {
                String email = query.get("email").orElse("");
                List<Object> data = new ArrayList<>();
                for (String id : standIn.customersWithEmail(email)) {
                    data.add(StripeJson.map("id", id, "object", "customer", "email", email));
                }
                return ok(StripeJson.list("/v1/customers", data));
            }
            if (method.equals("DELETE") && customer.matches()) {
                if (!standIn.deleteCustomer(customer.group(1))) {
                    throw missing("customer", customer.group(1));
                }
                return ok(StripeJson.map("id", customer.group(1), "object", "customer", "deleted", true));
            }
            throw new StripeStandIn.StripeError(404, "resource_missing",
                    "Unrecognized request URL (" + method + ": " + path + "). The local Stripe stand-in answers only"
                            + " what the shop uses.", null);
        } catch (StripeStandIn.StripeError e) {
            return response(e.status, StripeJson.error(e));
        }
    }

    /** Validates like Stripe for what the shop sends, and remembers the session. */
    private StripeStandIn.Session create(FormFields form, String idempotencyKey) {
        if (!"payment".equals(form.require("mode"))) {
            throw new StripeStandIn.StripeError(400, "parameter_invalid", "Only mode=payment is stood in for.", "mode");
        }
        long now = standIn.now();
        long expiresAt = form.has("expires_at") ? form.requireLong("expires_at") : now + MAX_LIFETIME;
        if (expiresAt < now + MIN_LIFETIME || expiresAt > now + MAX_LIFETIME) {
            throw new StripeStandIn.StripeError(400, "parameter_invalid",
                    "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
                    "expires_at");
        }
        String currency = null;
        List<StripeStandIn.Line> lines = new ArrayList<>();
        for (int i = 0; form.has("line_items[" + i + "][quantity]"); i++) {
            String prefix = "line_items[" + i + "]";
            String lineCurrency = form.require(prefix + "[price_data][currency]");
            if (currency != null && !currency.equals(lineCurrency)) {
                throw new StripeStandIn.StripeError(400, "parameter_invalid", "All line items need one currency.",
                        prefix + "[price_data][currency]");
            }
            currency = lineCurrency;
            String product = prefix + "[price_data][product_data]";
            long quantity = form.requireLong(prefix + "[quantity]");
            long unitAmount = form.requireLong(prefix + "[price_data][unit_amount]");
            if (quantity < 1 || unitAmount < 0) {
                throw new StripeStandIn.StripeError(400, "parameter_invalid", "Invalid quantity or amount.", prefix);
            }
            lines.add(new StripeStandIn.Line(StripeStandIn.newId("li_", 24), form.require(product + "[name]"),
                    form.get(product + "[description]").orElse(null), form.list(product + "[images]"),
                    form.map(product + "[metadata]"), StripeStandIn.newId("price_", 24), StripeStandIn.newId("prod_", 14),
                    unitAmount, quantity, form.get(product + "[tax_code]").orElse(null)));
        }
        if (lines.isEmpty()) {
            throw new StripeStandIn.StripeError(400, "parameter_missing", "line_items is required in payment mode.",
                    "line_items");
        }
        String shipping = "shipping_options[0][shipping_rate_data]";
        String shippingName = form.get(shipping + "[display_name]").orElse(null);
        long shippingAmount = shippingName == null ? 0 : form.requireLong(shipping + "[fixed_amount][amount]");
        if (shippingName != null && !currency.equals(form.require(shipping + "[fixed_amount][currency]"))) {
            throw new StripeStandIn.StripeError(400, "parameter_invalid", "The shipping rate's currency must match.",
                    shipping + "[fixed_amount][currency]");
        }
        String id = StripeStandIn.newId("cs_test_", 58);
        var session = new StripeStandIn.Session(id, now, expiresAt, currency, form.get("customer_email").orElse(null),
                form.get("client_reference_id").orElse(null), form.map("metadata"), form.require("success_url"),
                form.get("cancel_url").orElse(null), lines, shippingName, shippingAmount,
                form.list("shipping_address_collection[allowed_countries]"),
                form.get("billing_address_collection").orElse("auto"), standIn.payUrl(id));
        session.request = new StripeStandIn.CreateRequest(form.first(), idempotencyKey);
        session.automaticTax = "true".equals(form.get("automatic_tax[enabled]").orElse(null));
        session.allowPromotionCodes = form.get("allow_promotion_codes").map("true"::equals).orElse(null);
        return standIn.create(session, idempotencyKey);
    }

    private static StripeStandIn.StripeError missing(String type, String id) {
        return new StripeStandIn.StripeError(404, "resource_missing", "No such " + type + ": '" + id + "'", "id");
    }

    private static ResponseDefinition ok(Map<String, Object> body) {
        return response(200, body);
    }

    private static ResponseDefinition response(int status, Map<String, Object> body) {
        return new ResponseDefinitionBuilder()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", StripeStandIn.newId("req_", 14))
                .withBody(StripeJson.write(body, false))
                .build();
    }
}
