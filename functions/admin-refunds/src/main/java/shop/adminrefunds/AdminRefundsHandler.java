package shop.adminrefunds;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
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
 *   same refund for a repeat of the same key); 409 when the order cannot be refunded that much.</li>
 *   <li>{@code POST /admin/orders/{id}/restock} → 200, the order's pieces back on sale (once; 409 after).</li>
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
        handleRequest(Priming.adminRequest(RESTOCK_ROUTE, never, Map.of(), null, AdminCaller.OWNERS), null);
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
                case RESTOCK_ROUTE -> ApiResponses.json(200, order(service.restock(caller, orderId)));
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
                body.requiredBoolean("restock"));
        var outcome = service.refund(caller, orderId, refundRequest, request.header("idempotency-key").orElse(null));
        Map<String, Object> answer = order(outcome.account());
        answer.put("refund", refund(outcome.refund()));
        answer.put("created", outcome.created());
        answer.put("restocked", outcome.restocked());
        return ApiResponses.json(outcome.created() ? 201 : 200, answer);
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
        return json;
    }
}
