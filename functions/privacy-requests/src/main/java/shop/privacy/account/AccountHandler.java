package shop.privacy.account;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import shop.core.config.Env;
import shop.core.email.EmailAddress;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.privacy.PrivacySignals;
import shop.core.snapstart.Priming;
import shop.newsletter.RequestOrigin;
import shop.privacy.Correction;
import shop.privacy.PrivacyDependencies;

/**
 * Lambda entry point for the customer account routes of template.yaml: {@code POST /account/sign-in},
 * {@code POST /account/sign-in/verify}, {@code POST /account/sign-out}, {@code GET /account} and the
 * account's changes under {@code /account/...}. Every route but the first two needs the session
 * token as {@code Authorization: Bearer}; the browser keeps it in sessionStorage, never a cookie.
 */
public final class AccountHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 10 * 1024;
    /** The same words for every address, known or not. */
    static final Map<String, String> CODE_SENT = Map.of("status", "sent", "detail",
            "We sent a 6-digit code to the address. It works for 10 minutes.");

    private final PrivacyDependencies.Account services;
    private final Runnable primeAdapters;
    private final Optional<String> publicApiUrl;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public AccountHandler() {
        this(Env.system());
        Priming.beforeSnapshot("customer-account", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AccountHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AccountHandler(Env env) {
        this(PrivacyDependencies.accountServices(env), env.optional("PUBLIC_API_URL"));
    }

    AccountHandler(PrivacyDependencies.Wired<PrivacyDependencies.Account> wired, Optional<String> publicApiUrl) {
        this.services = wired.service();
        this.primeAdapters = wired.primeAdapters();
        this.publicApiUrl = publicApiUrl;
    }

    /** Requests that change nothing: a code refused for its shape, an account read without a session. */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/account/sign-in/verify", Map.of(),
                "{\"email\":\"priming@example.invalid\",\"code\":\"x\"}"), null);
        handleRequest(Priming.httpRequest("GET", "/account", Map.of(), null), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        String route = request.routeKey();
        SignInService signIn = services.signIn();
        AccountService account = services.account();
        try {
            switch (route) {
                case "POST /account/sign-in" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    signIn.requestCode(EmailAddress.parse("email", body.requiredString("email")), request.sourceIp());
                    return ApiResponses.json(202, CODE_SENT);
                }
                case "POST /account/sign-in/verify" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    var session = signIn.verify(EmailAddress.parse("email", body.requiredString("email")),
                            body.requiredString("code"), request.sourceIp());
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("token", session.token());
                    view.put("idleMinutes", SignInService.IDLE_TIMEOUT.toMinutes());
                    view.put("endsAt", session.endsAt().toString());
                    return ApiResponses.json(200, view);
                }
                case "POST /account/sign-out" -> {
                    signIn.signOut(bearer(request));
                    return ApiResponses.noContent();
                }
                default -> {
                    // Every other route is the signed-in customer's.
                }
            }
            // The request is read and checked in full before the session is looked up (which moves
            // its idle time): a refused request changes nothing, not even that.
            Function<AccountSession, Object> action = switch (route) {
                case "GET /account" -> account::overview;
                case "PUT /account/newsletter" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    boolean subscribe = body.requiredBoolean("subscribed");
                    // The same attestation as the signup form's: the consent proof records it.
                    if (subscribe && !body.requiredBoolean("ageConfirmed")) {
                        throw new InvalidInputException("ageConfirmed", "\"ageConfirmed\" must be true: the newsletter is"
                                + " not for people under 13.");
                    }
                    var origin = RequestOrigin.of(request.sourceIp(), request.userAgent(),
                            PrivacySignals.of(request.header("sec-gpc").orElse(null), request.header("dnt").orElse(null)));
                    yield session -> account.newsletter(session, subscribe, origin, baseUrl(request));
                }
                case "POST /account/corrections" -> {
                    Correction correction = Correction.fromJson(JsonBody.parse(request, MAX_BODY_BYTES).node("correction"));
                    yield session -> account.correct(session, correction, baseUrl(request)).view();
                }
                case "POST /account/email" -> {
                    EmailAddress email = EmailAddress.parse("email", JsonBody.parse(request, MAX_BODY_BYTES).requiredString("email"));
                    yield session -> {
                        signIn.requestAddressCode(session, email, request.sourceIp());
                        return CODE_SENT;
                    };
                }
                case "POST /account/email/verify" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    EmailAddress email = EmailAddress.parse("email", body.requiredString("email"));
                    String code = SignInService.requireCodeShape(body.requiredString("code"));
                    yield session -> account.changeEmail(session, email, code, request.sourceIp(), baseUrl(request)).view();
                }
                case "POST /account/export" -> session -> account.export(session, request.sourceIp(), baseUrl(request)).view();
                case "POST /account/delete" -> {
                    String confirm = confirm(request, "delete");
                    yield session -> account.delete(session, confirm, request.sourceIp(), baseUrl(request)).view();
                }
                case "POST /account/deactivate" -> {
                    String confirm = confirm(request, "deactivate");
                    yield session -> account.deactivate(session, confirm, baseUrl(request)).view();
                }
                case "POST /account/reactivate" -> {
                    String confirm = confirm(request, "reactivate");
                    yield session -> account.reactivate(session, confirm, baseUrl(request)).view();
                }
                default -> throw new NotFoundException("This account route does not exist.");
            };
            AccountSession session = signIn.authenticate(bearer(request));
            Object answer = action.apply(session);
            return ApiResponses.json(answer == CODE_SENT ? 202 : 200, answer);
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    /** The confirmation step: the page asks twice, and the API takes the action only with its name. */
    private static String confirm(ApiRequest request, String action) {
        String confirm = JsonBody.parse(request, MAX_BODY_BYTES).requiredString("confirm");
        if (!action.equals(confirm)) {
            throw new InvalidInputException("confirm", "To go ahead, send \"confirm\": \"" + action + "\".");
        }
        return confirm;
    }

    private String baseUrl(ApiRequest request) {
        return request.publicBaseUrl(publicApiUrl);
    }

    /** The token of {@code Authorization: Bearer <token>}; empty (and so refused) otherwise. */
    private static String bearer(ApiRequest request) {
        String value = request.header("authorization").orElse("");
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7) : "";
    }
}
