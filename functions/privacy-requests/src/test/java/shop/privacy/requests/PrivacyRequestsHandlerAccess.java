package shop.privacy.requests;

import java.util.Map;
import shop.local.stack.LocalAws;
import shop.privacy.testing.Events;

/** Submits a request through the real HTTP handler, for tests of the other functions. */
public final class PrivacyRequestsHandlerAccess {
    private PrivacyRequestsHandlerAccess() {
    }

    public static void submit(LocalAws aws, String body) {
        var event = Events.http("submit-access.json");
        event.setBody(body);
        var response = new PrivacyRequestsHandler(aws.functionEnvironment("PrivacyRequestsFunction", Map.of()))
                .handleRequest(event, null);
        if (response.getStatusCode() != 202) {
            throw new AssertionError(response.getBody());
        }
    }
}
