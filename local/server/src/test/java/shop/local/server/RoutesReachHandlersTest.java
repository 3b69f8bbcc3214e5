package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
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

    @BeforeAll
    static void start(LocalAws aws) throws Exception {
        server = LocalApiServer.start(aws, 0);
        // The back office's routes are behind the JWT authorizer: the local owner's token gets past it.
        ownerToken = aws.admins().signIn(shop.local.stack.LocalAdmins.OWNER.username()).accessToken();
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
