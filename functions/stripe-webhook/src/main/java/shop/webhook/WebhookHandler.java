package shop.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.PayloadTooLargeException;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for {@code POST /stripe/webhook}. The raw body (decoded when API Gateway
 * marks it base64) is verified before anything else; a bad signature answers 400 and writes
 * nothing, an internal failure answers 5xx so that Stripe retries.
 */
public final class WebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** Stripe events are a few kilobytes; a checkout session with its objects stays far below this. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final WebhookService service;
    private final Runnable primeAdapters;

    /**
     * Called by Lambda: real clients, built once per execution environment (the Stripe secrets
     * on first use), primed for SnapStart.
     */
    public WebhookHandler() {
        this(Env.system());
        Priming.beforeSnapshot("stripe-webhook", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public WebhookHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private WebhookHandler(Env env) {
        this(WebhookDependencies.fromEnvironment(env));
    }

    WebhookHandler(WebhookDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Calls that change nothing: an event without a Stripe-Signature, refused before the signing
     * secret is read; the orders table's read and write paths; and reading an event and each
     * Stripe call through stripe-java, offline (no key or secret is read before the snapshot).
     */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/stripe/webhook", Map.of(), "{\"id\":\"evt_priming\"}"), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        try {
            if (!request.routeKey().equals("POST /stripe/webhook")) {
                throw new NotFoundException("No such webhook route.");
            }
            byte[] body = request.bodyBytes();
            if (body.length > MAX_BODY_BYTES) {
                throw new PayloadTooLargeException(MAX_BODY_BYTES);
            }
            var outcome = service.receive(new String(body, StandardCharsets.UTF_8),
                    request.header("stripe-signature").orElse(null));
            return ApiResponses.json(200, Map.of("received", true, "outcome", outcome.name().toLowerCase()));
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
