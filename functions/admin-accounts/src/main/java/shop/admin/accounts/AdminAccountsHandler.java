package shop.admin.accounts;

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
 * Lambda entry point for the back office's accounts: {@code GET /admin/me} (staff and owners),
 * {@code GET /admin/staff}, {@code POST /admin/staff}, {@code DELETE /admin/staff/{username}},
 * {@code POST /admin/staff/{username}/enable} and {@code POST /admin/staff/{username}/invitation}
 * (owners). API Gateway's JWT authorizer has verified the token before this runs; the caller's
 * group is checked here, first.
 */
public final class AdminAccountsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 2_048;
    /** A username no account has: what priming signs in as and asks about. */
    static final String NOBODY = "snapstart-priming";

    private final AdminAccountsService service;
    private final Runnable primeAdapters;

    /** Called by Lambda: real clients, built once per execution environment, primed for SnapStart. */
    public AdminAccountsHandler() {
        this(Env.system());
        Priming.beforeSnapshot("admin-accounts", this::prime);
    }

    /** Called by the local server with the environment template.yaml gives this function. */
    public AdminAccountsHandler(Map<String, String> environment) {
        this(Env.of(environment));
    }

    private AdminAccountsHandler(Env env) {
        this(AdminAccountsDependencies.fromEnvironment(env));
    }

    AdminAccountsHandler(AdminAccountsService service) {
        this(new AdminAccountsDependencies(service, () -> { }));
    }

    private AdminAccountsHandler(AdminAccountsDependencies dependencies) {
        this.service = dependencies.service();
        this.primeAdapters = dependencies.primeAdapters();
    }

    /**
     * Requests that change nothing, as a verified caller no account has: {@code /admin/me} (a
     * lookup that finds nothing), disabling, enabling and resending the invitation of that account
     * (each 404 after the lookup) and an invitation
     * of something that is not an address (400); then the directory's other calls, unsent.
     */
    void prime() {
        handleRequest(Priming.adminRequest("GET /admin/me", Map.of(), Map.of(), null, AdminCaller.STAFF), null);
        handleRequest(Priming.adminRequest("DELETE /admin/staff/{username}", Map.of("username", NOBODY), Map.of(), null,
                AdminCaller.OWNERS), null);
        for (String route : new String[] {"POST /admin/staff/{username}/enable", "POST /admin/staff/{username}/invitation"}) {
            handleRequest(Priming.adminRequest(route, Map.of("username", NOBODY), Map.of(), null, AdminCaller.OWNERS),
                    null);
        }
        handleRequest(Priming.adminRequest("POST /admin/staff", Map.of(), Map.of(), "{\"email\":\"not an address\"}",
                AdminCaller.OWNERS), null);
        primeAdapters.run();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            AdminCaller caller = AdminCaller.of(event).requireStaff();
            var request = new ApiRequest(event);
            return switch (request.routeKey()) {
                case "GET /admin/me" -> ApiResponses.json(200, service.me(caller));
                case "GET /admin/staff" -> ApiResponses.json(200, Map.of("staff", service.staff(caller)));
                case "POST /admin/staff" -> {
                    caller.requireOwner(); // before reading what a staff member sent
                    JsonBody body = JsonBody.parse(request, MAX_BODY_BYTES);
                    yield ApiResponses.json(201, service.invite(caller, body.requiredString("email")));
                }
                case "DELETE /admin/staff/{username}" -> ApiResponses.json(200, service.disable(caller, username(request)));
                case "POST /admin/staff/{username}/enable" -> ApiResponses.json(200, service.enable(caller,
                        username(request)));
                case "POST /admin/staff/{username}/invitation" -> ApiResponses.json(200,
                        service.resendInvitation(caller, username(request)));
                default -> throw new NotFoundException("No such back-office route.");
            };
        } catch (RuntimeException e) {
            return ApiResponses.error(e);
        }
    }

    private static String username(ApiRequest request) {
        return request.pathParameter("username").orElseThrow(() -> new NotFoundException("No such account."));
    }
}
