package shop.checkout;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.privacy.PrivacySignals;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for {@code POST /checkout/sessions}: {@code {"items":[{"sku","quantity"}],
 * "email"}} → {@code 201 {"id","url"}}; the storefront sends the customer to {@code url}.
 * Sold out or a deactivated email → 409, payment provider down → 502, with nothing held. A
 * {@code Sec-GPC: 1} or {@code DNT: 1} header is recorded with the payment as a marketing opt-out.
 */
public final class CheckoutHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 10 * 1024;

    private final CheckoutService service;
    private final Runnable primeAdapters;

    /**
     * Called by Lambda: real clients, built once per execution environment (the Stripe key on
     * first use), primed for SnapStart.
     */
    public CheckoutHandler() {
        this(Env.system());
        Priming.beforeSnapshot("checkout", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public CheckoutHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private CheckoutHandler(Env env) {
        this(CheckoutDependencies.fromEnvironment(env));
    }

    CheckoutHandler(CheckoutDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Calls that change nothing: a cart with a piece that is not in the catalog, refused after
     * the address and the catalog were looked up; the checkouts table's read and write paths;
     * and Stripe's parameters and answer, offline (no key is read before the snapshot).
     */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/checkout/sessions", Map.of(),
                "{\"items\":[{\"sku\":\"PRIMING-NOT-IN-THE-CATALOG\",\"quantity\":1}],\"email\":\"priming@example.invalid\"}"),
                null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            if (!request.routeKey().equals("POST /checkout/sessions")) {
                throw new NotFoundException("No such checkout route.");
            }
            var body = JsonBody.parse(request, MAX_BODY_BYTES);
            var cart = CartRequest.of(body.node("items"), body.optionalString("email"))
                    .withSignals(PrivacySignals.of(request.header("sec-gpc").orElse(null),
                            request.header("dnt").orElse(null)))
                    .from(request.sourceIp());
            CreatedSession session = service.start(cart);
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("id", session.id());
            answer.put("url", session.url());
            return ApiResponses.json(201, answer);
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
