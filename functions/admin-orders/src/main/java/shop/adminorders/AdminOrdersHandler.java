package shop.adminorders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import shop.core.admin.AdminCaller;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;

/**
 * Lambda entry point for the back office's orders, routed on the event's {@code routeKey}:
 * {@code GET /admin/orders}, {@code GET /admin/orders/{id}}, {@code POST /admin/orders/{id}/shipment},
 * {@code GET /admin/orders/{id}/packing-slip} (staff and owners) and {@code POST /admin/exports/orders}
 * (owners only). API Gateway's JWT authorizer has checked the token; this checks the group first.
 */
public final class AdminOrdersHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 4_096;

    private final AdminOrdersService service;

    /** Called by Lambda: real clients, built once per execution environment. */
    public AdminOrdersHandler() {
        this(Env.system());
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AdminOrdersHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AdminOrdersHandler(Env env) {
        this(AdminOrdersDependencies.fromEnvironment(env));
    }

    AdminOrdersHandler(AdminOrdersService service) {
        this.service = service;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            AdminCaller caller = AdminCaller.of(event).requireStaff();
            String id = request.pathParameter("id").orElse("");
            return switch (String.valueOf(event.getRouteKey())) {
                case "GET /admin/orders" -> ApiResponses.json(200, service.list(request.query("status"),
                        request.query("limit"), request.query("page")));
                case "GET /admin/orders/{id}" -> ApiResponses.json(200, service.detail(id));
                case "GET /admin/orders/{id}/packing-slip" -> ApiResponses.json(200, service.packingSlip(id));
                case "POST /admin/orders/{id}/shipment" -> {
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, service.ship(caller, id, body.requiredString("carrier"),
                            body.requiredString("trackingNumber"), body.requiredString("trackingUrl")));
                }
                case "POST /admin/exports/orders" -> {
                    caller.requireOwner();
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(200, service.export(caller, body.requiredString("from"),
                            body.requiredString("to")));
                }
                default -> throw new NotFoundException("No such back-office route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
