package shop.admincatalog;

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
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the back office's catalog, {@code /admin/products...}, behind the HTTP
 * API's JWT authorizer (AdminAuthorizer); routes on the event's route key. Who may do what is
 * the service's: staff read, owners change.
 */
public final class AdminCatalogHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** A well-formed SKU the catalog never has. */
    static final String NOT_IN_THE_CATALOG = "PRIMING-NOT-IN-THE-CATALOG";

    private final AdminCatalogService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public AdminCatalogHandler() {
        this(Env.system());
        Priming.beforeSnapshot("admin-catalog", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AdminCatalogHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AdminCatalogHandler(Env env) {
        this(AdminCatalogDependencies.fromEnvironment(env));
    }

    AdminCatalogHandler(AdminCatalogService service) {
        this(new AdminCatalogDependencies(service, () -> { }));
    }

    private AdminCatalogHandler(AdminCatalogDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Every route as a verified caller whom no record names, on requests that change nothing: the
     * list (a read of the catalog, whose items carry what checkouts hold; it names no one), then a stock change, an
     * edit, an archive, an unarchive and a photo upload of a product the catalog does not have
     * (refused or 404 after its read); then the adapters' calls the routes did not reach. A new
     * product is not primed through its route, which would create it.
     */
    void prime() {
        Map<String, String> sku = Map.of("sku", NOT_IN_THE_CATALOG);
        String owners = AdminCaller.OWNERS;
        handleRequest(Priming.adminRequest("GET /admin/products", Map.of(), Map.of(), null, AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("POST /admin/products/{sku}/stock", sku, Map.of(), "{\"delta\":1}", owners), null);
        handleRequest(Priming.adminRequest("PUT /admin/products/{sku}", sku, Map.of(),
                "{\"version\":1,\"name\":\"Priming\",\"description\":\"\",\"price\":{\"amount\":100,\"currency\":\"USD\"},"
                        + "\"images\":[],\"oneOfAKind\":true}", owners), null);
        handleRequest(Priming.adminRequest("POST /admin/products/{sku}/archive", sku, Map.of(), null, owners), null);
        handleRequest(Priming.adminRequest("POST /admin/products/{sku}/unarchive", sku, Map.of(), null, owners), null);
        handleRequest(Priming.adminRequest("POST /admin/products/{sku}/images", sku, Map.of(),
                "{\"contentType\":\"image/png\",\"size\":1000}", owners), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            AdminCaller caller = AdminCaller.of(event);
            String sku = request.pathParameter("sku").orElse("");
            return switch (String.valueOf(event.getRouteKey())) {
                case "GET /admin/products" -> ApiResponses.json(200, Map.of("products", service.list(caller)));
                case "POST /admin/products" -> ApiResponses.json(201, service.create(caller.requireOwner(),
                        ProductRequests.draft(body(request))));
                case "PUT /admin/products/{sku}" -> {
                    caller.requireOwner();
                    JsonBody body = body(request);
                    yield ApiResponses.json(200, service.update(caller, sku, ProductRequests.version(body),
                            ProductRequests.edit(sku, body)));
                }
                case "POST /admin/products/{sku}/archive" -> ApiResponses.json(200, service.archive(caller, sku));
                case "POST /admin/products/{sku}/unarchive" -> ApiResponses.json(200, service.unarchive(caller, sku));
                case "POST /admin/products/{sku}/stock" -> {
                    caller.requireOwner();
                    yield ApiResponses.json(200, service.adjustStock(caller, sku,
                            ProductRequests.integer(body(request), "delta", true),
                            request.header("idempotency-key").orElse(null)));
                }
                case "POST /admin/products/{sku}/images" -> {
                    caller.requireOwner();
                    JsonBody body = body(request);
                    yield ApiResponses.json(201, service.imageUpload(caller, sku, body.requiredString("contentType"),
                            ProductRequests.size(body)));
                }
                default -> throw new NotFoundException("No such back-office catalog route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    private static JsonBody body(ApiRequest request) {
        return JsonBody.parse(request, ProductRequests.MAX_BODY_BYTES);
    }
}
