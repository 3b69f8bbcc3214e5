package shop.privacy.requests;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import java.util.Optional;
import shop.core.admin.AdminCaller;
import shop.core.config.Env;
import shop.core.errors.NotFoundException;
import shop.core.http.ApiRequest;
import shop.core.http.ApiResponses;
import shop.core.http.JsonBody;
import shop.core.snapstart.Priming;
import shop.privacy.LinkNotUsableException;
import shop.privacy.PrivacyDependencies;
import shop.privacy.RequestFailedException;
import shop.privacy.admin.PrivacyAdminService;

/**
 * Lambda entry point for the privacy routes of template.yaml: {@code POST /privacy/requests},
 * {@code GET|POST /privacy/requests/verify} and {@code GET /privacy/exports}; and the back
 * office's {@code GET /admin/privacy-requests} and {@code POST /admin/privacy-requests/{id}/retry}
 * (owners only; API Gateway's JWT authorizer has checked the token, this checks the group).
 */
public final class PrivacyRequestsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 10 * 1024;
    /** The same words for every address, known or not. */
    static final Map<String, String> RECEIVED = Map.of("status", "received", "detail",
            "We sent a link to the address. Open it within 1 hour to confirm the request.");

    /** Well-formed, and 32 zero bytes: no token drawn from SecureRandom is ever this. */
    private static final String NEVER_ISSUED_TOKEN = "A".repeat(43);

    private final PrivacyRequestService service;
    private final PrivacyAdminService admin;
    private final Runnable primeAdapters;
    private final Optional<String> publicApiUrl;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public PrivacyRequestsHandler() {
        this(Env.system());
        Priming.beforeSnapshot("privacy-requests", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public PrivacyRequestsHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private PrivacyRequestsHandler(Env env) {
        this(PrivacyDependencies.requestService(env), env.optional("PUBLIC_API_URL"));
    }

    PrivacyRequestsHandler(PrivacyRequestService service, PrivacyAdminService admin, Optional<String> publicApiUrl) {
        this(new PrivacyDependencies.Wired<>(new PrivacyDependencies.Requests(service, admin), () -> { }), publicApiUrl);
    }

    private PrivacyRequestsHandler(PrivacyDependencies.Wired<PrivacyDependencies.Requests> wired,
                                   Optional<String> publicApiUrl) {
        this.service = wired.service().requests();
        this.admin = wired.service().admin();
        this.primeAdapters = wired.primeAdapters();
        this.publicApiUrl = publicApiUrl;
    }

    /**
     * Requests that change nothing: one of a type that does not exist, refused after its body
     * is parsed; the confirmation page and the download of a link never issued, lookups that
     * find nothing; the export's S3 calls, the mail and the secret's read, stopped before they
     * are sent. The back office's list is primed as staff, refused before it reads (as an owner
     * it would read the open requests' addresses into the snapshot; its Query is primed by the
     * adapters for a due date before any); "try again" as an owner on a request never made (404
     * after its read).
     */
    void prime() {
        handleRequest(Priming.httpRequest("POST", "/privacy/requests", Map.of(),
                "{\"email\":\"priming@example.invalid\",\"type\":\"priming\"}"), null);
        handleRequest(Priming.httpRequest("GET", "/privacy/requests/verify", Map.of("token", NEVER_ISSUED_TOKEN), null), null);
        handleRequest(Priming.httpRequest("GET", "/privacy/exports", Map.of("token", NEVER_ISSUED_TOKEN), null), null);
        handleRequest(Priming.adminRequest("GET /admin/privacy-requests", Map.of(), Map.of(), null, AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("POST /admin/privacy-requests/{id}/retry",
                Map.of("id", "00000000-0000-0000-0000-000000000000"), Map.of(), null, AdminCaller.OWNERS), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = new ApiRequest(event);
        String token = request.query("token").orElse("");
        String route = request.routeKey();
        try {
            return switch (route) {
                case "POST /privacy/requests" -> {
                    var body = JsonBody.parse(request, MAX_BODY_BYTES);
                    var newRequest = NewRequest.of(body.requiredString("email"), body.requiredString("type"),
                            body.node("correction"));
                    service.submit(newRequest, request.sourceIp(), request.publicBaseUrl(publicApiUrl));
                    yield ApiResponses.json(202, RECEIVED);
                }
                case "GET /privacy/requests/verify" ->
                        ApiResponses.html(200, PrivacyPages.confirmForm(service.preview(token), token));
                case "POST /privacy/requests/verify" -> {
                    var confirmed = service.confirm(token, request.sourceIp(), request.publicBaseUrl(publicApiUrl));
                    yield ApiResponses.html(200, PrivacyPages.done(confirmed.request().type(), confirmed.outcome()));
                }
                case "GET /privacy/exports" -> ApiResponses.seeOther(service.download(token).toString());
                case "GET /admin/privacy-requests" -> ApiResponses.json(200, admin.open(AdminCaller.of(event)));
                case "POST /admin/privacy-requests/{id}/retry" -> ApiResponses.json(200, admin.retry(
                        AdminCaller.of(event), request.pathParameter("id").orElse(""),
                        request.publicBaseUrl(publicApiUrl)));
                default -> throw new NotFoundException("This privacy route does not exist.");
            };
        } catch (LinkNotUsableException e) {
            // Links are opened in a browser: they get a page, not a JSON problem.
            if (route.equals("GET /privacy/exports")) {
                return ApiResponses.html(404, PrivacyPages.invalidDownload());
            }
            return e.reason() == LinkNotUsableException.Reason.USED
                    ? ApiResponses.html(410, PrivacyPages.usedLink())
                    : ApiResponses.html(404, PrivacyPages.invalidLink());
        } catch (RequestFailedException e) {
            return ApiResponses.html(500, PrivacyPages.failed(e.dueAt()));
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }
}
