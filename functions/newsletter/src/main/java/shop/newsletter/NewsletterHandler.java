package shop.newsletter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.Optional;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.privacy.PrivacySignals;
import shop.core.snapstart.Priming;

/**
 * Lambda entry point for the newsletter routes of template.yaml:
 * {@code POST /newsletter/subscriptions}, {@code GET|POST /newsletter/confirm},
 * {@code GET|POST /newsletter/unsubscribe}. A signup is only queued here; {@link SignupQueueHandler}
 * does the rest.
 */
public final class NewsletterHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 10 * 1024;
    /** Well-formed, and 32 zero bytes: no token drawn from SecureRandom is ever this. */
    private static final String NEVER_ISSUED_TOKEN = "A".repeat(43);

    private final NewsletterService service;
    private final Runnable primeStores;
    private final Optional<String> publicApiUrl;
    private final Optional<String> storefrontUrl;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public NewsletterHandler() {
        this(Env.system());
        Priming.beforeSnapshot("newsletter", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public NewsletterHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private NewsletterHandler(Env env) {
        this(NewsletterDependencies.fromEnvironment(env), env.optional("PUBLIC_API_URL"), env.optional("STOREFRONT_URL"));
    }

    NewsletterHandler(NewsletterDependencies dependencies, Optional<String> publicApiUrl, Optional<String> storefrontUrl) {
        this.service = dependencies.service();
        this.primeStores = dependencies.primeStores();
        this.publicApiUrl = publicApiUrl;
        this.storefrontUrl = storefrontUrl;
    }

    /**
     * Calls that change nothing: a signup without consent, rejected after the body is parsed and
     * validated; the unsubscribe page of a token never issued, one GetItem that finds nothing;
     * the table's read and write paths on a key no item has; and a SendMessage to the signup queue
     * stopped before it is sent.
     */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/newsletter/subscriptions", Map.of(),
                "{\"email\":\"priming@example.invalid\",\"consent\":false,\"ageConfirmed\":true}"), null);
        handleRequest(Priming.httpRequest("GET", "/newsletter/unsubscribe", Map.of("token", NEVER_ISSUED_TOKEN), null), null);
        primeStores.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        var origin = RequestOrigin.of(request.sourceIp(), request.userAgent(),
                PrivacySignals.of(request.header("sec-gpc").orElse(null), request.header("dnt").orElse(null)));
        String token = request.query("token").orElse("");
        try {
            return switch (request.routeKey()) {
                case "POST /newsletter/subscriptions" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    var signup = SignupRequest.of(body.requiredString("email"), body.requiredBoolean("consent"),
                            body.requiredBoolean("ageConfirmed"), body.optionalString("source"));
                    service.requestSignup(signup, origin, request.sourceIp(), request.publicBaseUrl(publicApiUrl));
                    yield ApiResponses.json(202, Map.of("status", "pending"));
                }
                case "GET /newsletter/confirm" -> service.confirmLinkValid(token)
                        ? ApiResponses.html(200, NewsletterPages.confirmForm(token))
                        : ApiResponses.html(404, NewsletterPages.invalidLink());
                case "POST /newsletter/confirm" -> {
                    service.confirm(token, origin);
                    yield storefrontUrl.map(url -> ApiResponses.seeOther(url + "/subscribed.html"))
                            .orElseGet(() -> ApiResponses.html(200, NewsletterPages.confirmed()));
                }
                case "GET /newsletter/unsubscribe" -> service.unsubscribeLinkValid(token)
                        ? ApiResponses.html(200, NewsletterPages.unsubscribeForm(token))
                        : ApiResponses.html(404, NewsletterPages.invalidLink());
                case "POST /newsletter/unsubscribe" -> {
                    service.unsubscribe(token);
                    yield ApiResponses.html(200, NewsletterPages.unsubscribed());
                }
                default -> throw new NotFoundException("No such newsletter route.");
            };
        } catch (NotFoundException e) {
            // Links are opened in a browser: they get a page, not a JSON problem.
            return request.routeKey().endsWith(" /newsletter/subscriptions")
                    ? ApiResponses.error(e)
                    : ApiResponses.html(404, NewsletterPages.invalidLink());
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
