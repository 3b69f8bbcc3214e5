package shop.orderstatus;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.Map;
import shop.commerce.orders.DynamoOrderStore;
import shop.core.aws.AwsClients;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.snapstart.Priming;

/** Lambda entry point for {@code GET /orders/{sessionId}}: the thank-you page's order summary. */
public final class OrderStatusHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final OrderStatusService service;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public OrderStatusHandler() {
        this(Env.system());
        Priming.beforeSnapshot("order-status", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public OrderStatusHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private OrderStatusHandler(Env env) {
        this(new OrderStatusService(new DynamoOrderStore(new AwsClients(env).dynamo(), env.require("ORDERS_TABLE"),
                Clock.systemUTC())));
    }

    OrderStatusHandler(OrderStatusService service) {
        this.service = service;
    }

    /**
     * A Checkout Session id of the shape Stripe makes that no order has (the service refuses
     * other shapes before it reads anything, which would leave the read unprimed).
     */
    static final String NEVER_ORDERED = "cs_test_PrimingNeverOrdered";

    /** The summary of an order that was never made: one GetItem that finds nothing, a 404. */
    void prime() {
        handleRequest(Priming.routeRequest("GET /orders/{sessionId}", Map.of("sessionId", NEVER_ORDERED),
                Map.of(), null), null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            if (!request.routeKey().equals("GET /orders/{sessionId}")) {
                throw new NotFoundException("No such order route.");
            }
            return ApiResponses.json(200, service.find(request.pathParameter("sessionId").orElse("")));
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
