package shop.adminrefunds;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import shop.commerce.orders.OrderAccount;
import shop.commerce.orders.Refund;
import shop.core.admin.AdminCaller;
import shop.core.config.Env;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the owners' refund routes (JWT authorizer AdminAuthorizer, then the
 * owners group checked here):
 * <ul>
 *   <li>{@code POST /admin/orders/{id}/refunds} {@code {"amount"?, "reason", "note"?, "restock"}} with an
 *   {@code Idempotency-Key} header → 201 with the refund and the order's refunded amount (200 and the
 *   same refund for a repeat of the same key); 409 when the order cannot be refunded that much.
 *   {@code restock} is a boolean (every piece not back on sale yet, or none) or
 *   {@code {"lines", "restockedPieces"}} as below.</li>
 *   <li>{@code POST /admin/orders/{id}/restock}, no body (every piece not back on sale yet) or
 *   {@code {"lines": [{"sku", "quantity"}], "restockedPieces": {sku: count as the page read it}}} → 200, those
 *   pieces back on sale; 409 when the counts changed since the page read them (or everything is back).</li>
 * </ul>
 */
public final class AdminRefundsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 4 * 1024;
    static final String REFUND_ROUTE = "POST /admin/orders/{id}/refunds";
    static final String RESTOCK_ROUTE = "POST /admin/orders/{id}/restock";

    private final RefundsService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment (the Stripe key on first use), primed for SnapStart. */
    public AdminRefundsHandler() {
        this(Env.system());
        Priming.beforeSnapshot("admin-refunds", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AdminRefundsHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AdminRefundsHandler(Env env) {
        this(AdminRefundsDependencies.fromEnvironment(env));
    }

    AdminRefundsHandler(AdminRefundsDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Calls that change nothing: a refund without verified claims (401 before anything is read);
     * an owner's refund and restock of an order never placed (404 after its read); the orders and
     * products tables' write paths refused on keys nothing has; Stripe's parameters and answer,
     * offline (no key is read before the snapshot); the queue and the trail, unsent.
     */
    void prime() {
        String body = "{\"reason\":\"requested_by_customer\",\"restock\":false}";
        handleRequest(Priming.httpRequest("POST", "/admin/orders/cs_priming/refunds", Map.of(), body), null);
        Map<String, String> never = Map.of("id", "cs_priming_never_ordered");
        var refund = Priming.adminRequest(REFUND_ROUTE, never, Map.of(), body, AdminCaller.OWNERS);
        refund.setHeaders(Map.of("content-type", "application/json", "idempotency-key", "snapstart-priming"));
        handleRequest(refund, null);
        // The page's choice of pieces: its body read, then 404 after the order's read.
        handleRequest(Priming.adminRequest(RESTOCK_ROUTE, never, Map.of(),
                "{\"lines\":[{\"sku\":\"PRIMING\",\"quantity\":1}],\"restockedPieces\":{}}", AdminCaller.OWNERS), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            AdminCaller caller = AdminCaller.of(event).requireOwner();
            String orderId = request.pathParameter("id").orElse("");
            return switch (String.valueOf(event.getRouteKey())) {
                case REFUND_ROUTE -> refund(caller, orderId, request);
                case RESTOCK_ROUTE -> ApiResponses.json(200, order(service.restock(caller, orderId, restockBody(request))));
                default -> throw new NotFoundException("No such refund route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    private APIGatewayV2HTTPResponse refund(AdminCaller caller, String orderId, ApiRequest request) {
        var body = JsonBody.parse(request, MAX_BODY_BYTES);
        var amount = body.node("amount");
        if (amount != null && !amount.isNull() && !(amount.isIntegralNumber() && amount.canConvertToLong())) {
            throw new InvalidInputException("amount", "\"amount\" is a whole number of minor units (cents).");
        }
        var refundRequest = new RefundRequest(amount == null || amount.isNull() ? null : amount.longValue(),
                body.optionalString("reason").orElse(null), body.optionalString("note").orElse(null),
                refundRestock(body.node("restock")));
        var outcome = service.refund(caller, orderId, refundRequest, request.header("idempotency-key").orElse(null));
        Map<String, Object> answer = order(outcome.account());
        answer.put("refund", refund(outcome.refund()));
        answer.put("created", outcome.created());
        answer.put("restocked", outcome.restocked());
        return ApiResponses.json(outcome.created() ? 201 : 200, answer);
    }

    /** The restock route's body: none (or {@code {}}) for every piece not back on sale yet, else the lines. */
    private static RestockRequest restockBody(ApiRequest request) {
        if (request.bodyBytes().length == 0) {
            return RestockRequest.EVERYTHING;
        }
        var body = JsonBody.parse(request, MAX_BODY_BYTES);
        JsonNode lines = body.node("lines");
        JsonNode read = body.node("restockedPieces");
        if ((lines == null || lines.isNull()) && (read == null || read.isNull())) {
            return RestockRequest.EVERYTHING;
        }
        return restock(lines, read);
    }

    /** A refund's {@code restock}: true (every piece not back yet), false (none), or {@code {"lines", "restockedPieces"}}. */
    private static RestockRequest refundRestock(JsonNode restock) {
        if (restock != null && restock.isBoolean()) {
            return restock.booleanValue() ? RestockRequest.EVERYTHING : null;
        }
        if (restock == null || !restock.isObject()) {
            throw new InvalidInputException("restock", "\"restock\" is true (every piece not back on sale yet), false,"
                    + " or {\"lines\": [{\"sku\", \"quantity\"}], \"restockedPieces\": {...}} for some of them.");
        }
        return restock(restock.get("lines"), restock.get("restockedPieces"));
    }

    private static RestockRequest restock(JsonNode lines, JsonNode read) {
        if (lines == null || !lines.isArray() || lines.size() > RestockRequest.MAX_LINES) {
            throw new InvalidInputException("lines", RestockRequest.LINES);
        }
        List<RestockRequest.Line> chosen = new ArrayList<>();
        for (JsonNode line : lines) {
            JsonNode sku = line.get("sku");
            JsonNode quantity = line.get("quantity");
            if (!line.isObject() || sku == null || !sku.isTextual() || quantity == null || !quantity.isIntegralNumber()
                    || !quantity.canConvertToInt()) {
                throw new InvalidInputException("lines", RestockRequest.LINES);
            }
            chosen.add(new RestockRequest.Line(sku.textValue(), quantity.intValue()));
        }
        if (read == null || !read.isObject() || read.size() > RestockRequest.MAX_LINES) {
            throw new InvalidInputException("restockedPieces", RestockRequest.READ);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var count : (Iterable<Map.Entry<String, JsonNode>>) read::fields) {
            JsonNode value = count.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new InvalidInputException("restockedPieces", RestockRequest.READ);
            }
            counts.put(count.getKey(), value.intValue());
        }
        return new RestockRequest(chosen, counts);
    }

    private static Map<String, Object> order(OrderAccount account) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", account.order().id());
        order.put("orderNumber", account.order().number());
        order.put("status", account.order().status().name());
        order.put("currency", account.order().totals().currency());
        order.put("amountTotal", account.order().totals().total().amount());
        order.put("amountRefunded", account.order().amountRefunded());
        order.put("refunds", account.refunds().stream().map(AdminRefundsHandler::refund).toList());
        order.put("restockedPieces", account.restockedCounts());
        order.put("restockedAt", account.restockedAt() == null ? null : account.restockedAt().toString());
        return order;
    }

    private static Map<String, Object> refund(Refund refund) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stripeRefundId", refund.stripeRefundId());
        json.put("amount", refund.amount());
        json.put("currency", refund.currency());
        json.put("reason", refund.reason());
        json.put("note", refund.note());
        json.put("at", refund.at().toString());
        json.put("by", refund.by());
        json.put("restocked", refund.restocked());
        if (refund.failed()) {
            json.put("failure", refund.failure());
            json.put("failureReason", refund.failureReason());
            json.put("failedAt", refund.failedAt().toString());
        }
        return json;
    }
}
