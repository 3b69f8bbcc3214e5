package shop.catalog;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for {@code GET /products} and {@code GET /products/{sku}}. Answers may be
 * cached for a minute: availability is a hint, and checkout checks the stock again anyway.
 */
public final class CatalogHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_AGE_SECONDS = 60;

    private final CatalogService service;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public CatalogHandler() {
        this(Env.system());
        Priming.beforeSnapshot("catalog", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public CatalogHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private CatalogHandler(Env env) {
        this(CatalogDependencies.fromEnvironment(env));
    }

    CatalogHandler(CatalogService service) {
        this.service = service;
    }

    /** Reads only: the catalog (a Scan) and a piece that is not in it (a GetItem that finds nothing). */
    void prime() {
        handleRequest(Priming.httpRequest("GET", "/products", Map.of(), null), null);
        handleRequest(Priming.routeRequest("GET /products/{sku}", Map.of("sku", "PRIMING-NOT-IN-THE-CATALOG"), Map.of(),
                null), null);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            return switch (request.routeKey()) {
                case "GET /products" ->
                        ApiResponses.cacheableJson(200, Map.of("products", service.activeProducts()), MAX_AGE_SECONDS);
                case "GET /products/{sku}" -> ApiResponses.cacheableJson(200,
                        service.product(request.pathParameter("sku").orElse("")), MAX_AGE_SECONDS);
                default -> throw new NotFoundException("No such catalog route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
