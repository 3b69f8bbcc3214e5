package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;

/**
 * Every route of template.yaml reaches its function and the function knows it: an empty
 * request may be refused (4xx), but never by the router, never as "no such route" from the
 * function's own dispatch, and never with a 5xx.
 */
@ExtendWith(LocalAwsExtension.class)
class RoutesReachHandlersTest {
    private static LocalApiServer server;
    private static String ownerToken;
    private static LocalFunctions functions;
    private static Routes routes;

    @BeforeAll
    static void start(LocalAws aws) throws Exception {
        server = LocalApiServer.start(aws, 0);
        functions = new LocalFunctions(aws, aws.template(), Map.of());
        routes = Routes.from(aws.template());
        // The back office's routes are behind the JWT authorizer: the local owner's token gets past it.
        ownerToken = aws.admins().signIn(shop.local.stack.LocalAdmins.OWNER.username()).accessToken();
    }

    /**
     * Handlers route on the event's routeKey, not on its path: each route's own method and path,
     * under a routeKey the template does not declare, is "no such route" (404) from its function.
     * (The test above shows the routeKey the server sets does reach the right branch.)
     */
    @Test
    void aHandlerRoutesOnTheRouteKeyNotOnThePath() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Routes.Route route : routes.all()) {
            if (route.isDefault()) {
                continue;
            }
            Map<String, String> parameters = new HashMap<>();
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(route.path());
            while (names.find()) {
                parameters.put(names.group(1), "probe");
            }
            var event = shop.core.snapstart.Priming.routeRequest(route.routeKey(), parameters, Map.of(), null);
            if (route.authorizer() != null) {
                // As the authorizer passes it: an owner's verified claims, so that only the route can refuse it.
                event = shop.core.snapstart.Priming.adminRequest(route.routeKey(), parameters, Map.of(), null,
                        shop.core.admin.AdminCaller.OWNERS);
            }
            event.setRouteKey(route.method() + " /not/a/template/route");
            var response = (com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse)
                    functions.invoke(route.functionId(), event);
            if (response.getStatusCode() != 404) {
                problems.add(route.routeKey() + " -> " + response.getStatusCode() + " " + response.getBody());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyRouteIsAnsweredByItsFunction() throws Exception {
        assertFalse(server.routeKeys().isEmpty());
        List<String> problems = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        for (String routeKey : server.routeKeys()) {
            String[] parts = routeKey.split(" ", 2);
            String path = parts[1].replaceAll("\\{[^}]+}", "probe");
            var request = HttpRequest.newBuilder(server.baseUri().resolve(path))
                    .method(parts[0], HttpRequest.BodyPublishers.noBody());
            if (path.startsWith("/admin/")) {
                request.header("Authorization", "Bearer " + ownerToken);
            }
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            if (response.statusCode() >= 500 || body.contains("No route matches") || body.contains("No such")
                    || response.statusCode() == 405 || body.equals("{\"message\":\"Unauthorized\"}")) {
                problems.add(routeKey + " -> " + response.statusCode() + " " + body);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
