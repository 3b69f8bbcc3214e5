package shop.privacy.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.privacy.testing.Events.withToken;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.commerce.orders.DynamoOrderStore;
import shop.commerce.orders.OrderStatus;
import shop.commerce.testing.Samples;
import shop.core.json.Json;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import shop.privacy.testing.Events;
import shop.privacy.testing.RecordingMailer;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The HTTP handler with its real adapters, fed the sample events of {@code events/privacy-requests/}
 * against the local stand-ins (Stripe's customers API stubbed here).
 */
@ExtendWith(LocalAwsExtension.class)
class PrivacyRequestsHandlerTest {
    private static LocalAws aws;
    private static Mailbox mailbox;
    private static PrivacyRequestsHandler handler;

    @BeforeAll
    static void start(LocalAws localAws, Mailbox localMailbox) throws Exception {
        aws = localAws;
        mailbox = localMailbox;
        // The Stripe stand-in's address and key come with the environment.
        handler = new PrivacyRequestsHandler(aws.functionEnvironment("PrivacyRequestsFunction", Map.of()));
    }

    @Test
    void theSubmitEventIsAcceptedAndTheLinkPointsAtTheApiDomain() {
        String address = unique("access");
        var response = handler.handleRequest(submit("submit-access.json", address), null);

        assertEquals(202, response.getStatusCode());
        assertEquals("received", json(response).get("status").asText());
        assertEquals("no-store", response.getHeaders().get("cache-control"));
        SentMail mail = only(address);
        assertTrue(mail.text().contains("https://abc123defg.execute-api.eu-west-1.amazonaws.com/privacy/requests/verify?token="),
                mail.text());
    }

    @Test
    void badSubmissionsAreProblemsNamingTheFieldAndWriteNothing() {
        long before = requestItems();
        var unknownType = handler.handleRequest(Events.http("submit-unknown-type.json"), null);
        var noCorrection = handler.handleRequest(Events.http("submit-correct-without-correction.json"), null);

        assertEquals(400, unknownType.getStatusCode());
        assertEquals("type", json(unknownType).get("field").asText());
        assertEquals(400, noCorrection.getStatusCode());
        assertEquals("correction", json(noCorrection).get("field").asText());
        assertEquals("application/problem+json", noCorrection.getHeaders().get("content-type"));
        assertEquals(before, requestItems());
    }

    @Test
    void aCorrectionThroughTheSampleEventsPageFirstThenTheButton() {
        String address = unique("correct");
        var orders = new DynamoOrderStore(aws.dynamo(), aws.physicalName("OrdersTable"), Clock.systemUTC(), Samples.HASHER);
        String orderId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        orders.create(Samples.order(orderId, OrderStatus.PAID, address, "Ada Byron"), Instant.now().getEpochSecond() + 3600);
        handler.handleRequest(submit("submit-correct.json", address), null);
        String token = RecordingMailer.tokenFrom(only(address).text(), "/privacy/requests/verify");

        var page = handler.handleRequest(withToken(Events.http("verify-page.json"), token), null);
        assertEquals(200, page.getStatusCode());
        assertTrue(page.getBody().contains("Ada King") && page.getBody().contains("<form method=\"post\""), page.getBody());
        assertEquals("no-referrer", page.getHeaders().get("referrer-policy"));
        assertTrue(page.getHeaders().get("content-security-policy").contains("default-src 'none'"));
        assertEquals("Ada Byron", orders.find(orderId).orElseThrow().customerName(), "the page changes nothing");

        var done = handler.handleRequest(withToken(Events.http("verify-confirm.json"), token), null);
        assertEquals(200, done.getStatusCode(), done.getBody());
        assertTrue(done.getBody().contains("corrected 1 order"), done.getBody());
        assertEquals("Ada King", orders.find(orderId).orElseThrow().customerName());
        assertEquals("London", orders.find(orderId).orElseThrow().shipping().city());

        var again = handler.handleRequest(withToken(Events.http("verify-confirm.json"), token), null);
        assertEquals(410, again.getStatusCode());
        assertTrue(again.getBody().contains("used already"));
    }

    @Test
    void accessThenTheDownloadLinkRedirectsToTheExportInTheBucket() throws Exception {
        String address = unique("export");
        handler.handleRequest(submit("submit-access.json", address), null);
        String token = RecordingMailer.tokenFrom(only(address).text(), "/privacy/requests/verify");
        handler.handleRequest(withToken(Events.http("verify-confirm.json"), token), null);
        String download = RecordingMailer.tokenFrom(mailbox.to(address).get(1).text(), "/privacy/exports");

        var redirect = handler.handleRequest(withToken(Events.http("download-export.json"), download), null);

        assertEquals(303, redirect.getStatusCode());
        var file = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(redirect.getHeaders().get("location")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, file.statusCode());
        JsonNode export = Json.mapper().readTree(file.body());
        assertEquals(address, export.get("email").asText());
        assertEquals("jewelry-shop/privacy-export/v1", export.get("schema").asText());
    }

    @Test
    void anUnknownOrMalformedTokenAnswersA404PageAndChangesNothing() {
        long before = requestItems();
        var page = handler.handleRequest(Events.http("verify-page.json"), null);
        var post = handler.handleRequest(Events.http("verify-confirm.json"), null);
        var download = handler.handleRequest(Events.http("download-export.json"), null);

        for (var response : new APIGatewayV2HTTPResponse[] {page, post, download}) {
            assertEquals(404, response.getStatusCode());
            assertTrue(response.getHeaders().get("content-type").startsWith("text/html"));
            assertEquals("no-store", response.getHeaders().get("cache-control"));
        }
        assertTrue(page.getBody().contains("This link is not valid"));
        assertEquals(before, requestItems());
    }

    /** The back office's routes: owners only, a request from outside the authorizer has no caller. */
    @Test
    void theBackOfficeRoutesAnswerOwnersOnly() {
        var list = handler.handleRequest(Events.http("admin-list-open.json"), null);
        assertEquals(200, list.getStatusCode(), list.getBody());
        assertTrue(json(list).get("requests").isArray());
        assertEquals("no-store", list.getHeaders().get("cache-control"));

        var staff = Events.http("admin-list-open.json");
        staff.getRequestContext().getAuthorizer().getJwt().setClaims(java.util.Map.of("sub", "s", "cognito:groups", "[staff]"));
        assertEquals(403, handler.handleRequest(staff, null).getStatusCode());
        var anonymous = Events.http("admin-list-open.json");
        anonymous.getRequestContext().setAuthorizer(null);
        assertEquals(401, handler.handleRequest(anonymous, null).getStatusCode());

        long items = requestItems();
        var unknown = handler.handleRequest(Events.http("admin-retry-unknown.json"), null);
        assertEquals(404, unknown.getStatusCode(), unknown.getBody());
        assertEquals("application/problem+json", unknown.getHeaders().get("content-type"));
        assertEquals(items, requestItems(), "nothing made for an unknown id");
    }

    @Test
    void snapStartPrimingWritesNothingAndSendsNothing() {
        long items = requestItems();
        int mails = mailbox.all().size();

        handler.prime();

        assertEquals(items, requestItems());
        assertEquals(mails, mailbox.all().size());
        assertTrue(aws.s3().listObjectsV2(b -> b.bucket(aws.physicalName("ExportsBucket"))).contents().stream()
                .noneMatch(object -> object.key().startsWith("priming")), "no export written");
    }

    private static APIGatewayV2HTTPEvent submit(String file, String address) {
        APIGatewayV2HTTPEvent event = Events.http(file);
        event.setBody(event.getBody().replace("ada@example.com", address));
        return event;
    }

    private static String unique(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static SentMail only(String address) {
        var mails = mailbox.to(address);
        assertEquals(1, mails.size(), "mails to " + address);
        assertFalse(mails.get(0).text().isBlank());
        return mails.get(0);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            return Json.mapper().readTree(response.getBody());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long requestItems() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("PrivacyRequestsTable")).build()).count();
    }
}
