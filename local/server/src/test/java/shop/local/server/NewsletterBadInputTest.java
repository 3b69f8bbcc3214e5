package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Bad signups through the local API server: each gets a 4xx problem, and nothing is stored or sent. */
@ExtendWith(LocalAwsExtension.class)
class NewsletterBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalApiServer server;
    private static LocalAws aws;
    private static Mailbox mailbox;

    record Case(String name, String method, String path, String contentType, byte[] body, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start(LocalAws localAws, Mailbox localMailbox) throws Exception {
        aws = localAws;
        mailbox = localMailbox;
        server = LocalApiServer.start(aws, 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Case> badSignups() {
        List<Case> cases = new ArrayList<>();
        String ok = "\"consent\":true,\"ageConfirmed\":true,\"source\":\"footer\"";
        json(cases, "no body", "", 400);
        json(cases, "truncated JSON", "{\"email\":\"ada@example.com\",", 400);
        json(cases, "array instead of object", "[]", 400);
        json(cases, "string instead of object", "\"ada@example.com\"", 400);
        json(cases, "JSON null", "null", 400);
        json(cases, "empty object", "{}", 400);
        json(cases, "email missing", "{" + ok + "}", 400);
        json(cases, "email null", "{\"email\":null," + ok + "}", 400);
        json(cases, "email a number", "{\"email\":42," + ok + "}", 400);
        json(cases, "email an array", "{\"email\":[\"ada@example.com\"]," + ok + "}", 400);
        json(cases, "email empty", "{\"email\":\"\"," + ok + "}", 400);
        json(cases, "email without @", "{\"email\":\"not-an-address\"," + ok + "}", 400);
        json(cases, "email without dot in domain", "{\"email\":\"ada@localhost\"," + ok + "}", 400);
        json(cases, "email without local part", "{\"email\":\"@example.com\"," + ok + "}", 400);
        json(cases, "email without domain", "{\"email\":\"ada@\"," + ok + "}", 400);
        json(cases, "email with two @", "{\"email\":\"ada@@example.com\"," + ok + "}", 400);
        json(cases, "email with CRLF header injection", "{\"email\":\"ada@example.com\\r\\nBcc: all@example.com\"," + ok + "}", 400);
        json(cases, "email with a space", "{\"email\":\"ada lovelace@example.com\"," + ok + "}", 400);
        json(cases, "email over 254 characters", "{\"email\":\"" + "a".repeat(60) + "@" + "b".repeat(60) + "."
                + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(60) + ".com\"," + ok + "}", 400);
        json(cases, "email local part over 64", "{\"email\":\"" + "a".repeat(65) + "@example.com\"," + ok + "}", 400);
        json(cases, "email with NUL", "{\"email\":\"ada\\u0000@example.com\"," + ok + "}", 400);
        json(cases, "email with right-to-left override", "{\"email\":\"ada\\u202e@example.com\"," + ok + "}", 400);
        json(cases, "email with zero-width space", "{\"email\":\"ada\\u200b@example.com\"," + ok + "}", 400);
        json(cases, "email domain label starting with -", "{\"email\":\"ada@-example.com\"," + ok + "}", 400);
        json(cases, "email with HTML", "{\"email\":\"<script>@example.com\"," + ok + "}", 400);
        json(cases, "consent false", "{\"email\":\"ada@example.com\",\"consent\":false,\"ageConfirmed\":true}", 400);
        json(cases, "consent as a string", "{\"email\":\"ada@example.com\",\"consent\":\"true\",\"ageConfirmed\":true}", 400);
        json(cases, "consent missing", "{\"email\":\"ada@example.com\",\"ageConfirmed\":true}", 400);
        json(cases, "under 13 (ageConfirmed false)", "{\"email\":\"ada@example.com\",\"consent\":true,\"ageConfirmed\":false}", 400);
        json(cases, "ageConfirmed missing", "{\"email\":\"ada@example.com\",\"consent\":true}", 400);
        json(cases, "ageConfirmed as 1", "{\"email\":\"ada@example.com\",\"consent\":true,\"ageConfirmed\":1}", 400);
        json(cases, "source with script", "{\"email\":\"ada@example.com\",\"consent\":true,\"ageConfirmed\":true,"
                + "\"source\":\"<script>alert(1)</script>\"}", 400);
        json(cases, "source over 64 characters", "{\"email\":\"ada@example.com\",\"consent\":true,\"ageConfirmed\":true,"
                + "\"source\":\"" + "s".repeat(65) + "\"}", 400);
        json(cases, "source a number", "{\"email\":\"ada@example.com\",\"consent\":true,\"ageConfirmed\":true,\"source\":7}", 400);
        json(cases, "duplicate keys", "{\"email\":\"ada@example.com\",\"email\":\"eve@example.com\"," + ok + "}", 400);
        json(cases, "trailing garbage", "{\"email\":\"ada@example.com\"," + ok + "} {}", 400);
        json(cases, "body over 10 KB", "{\"email\":\"ada@example.com\"," + ok + ",\"padding\":\"" + "x".repeat(11_000) + "\"}", 413);
        cases.add(new Case("invalid UTF-8", "POST", "/newsletter/subscriptions", "application/json",
                new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400));
        cases.add(new Case("text/plain body", "POST", "/newsletter/subscriptions", "text/plain",
                ("{\"email\":\"ada@example.com\"," + ok + "}").getBytes(StandardCharsets.UTF_8), 415));
        cases.add(new Case("form-encoded body", "POST", "/newsletter/subscriptions", "application/x-www-form-urlencoded",
                "email=ada%40example.com&consent=true&ageConfirmed=true".getBytes(StandardCharsets.UTF_8), 415));
        cases.add(new Case("no content type", "POST", "/newsletter/subscriptions", null,
                ("{\"email\":\"ada@example.com\"," + ok + "}").getBytes(StandardCharsets.UTF_8), 415));
        cases.add(new Case("PUT not allowed", "PUT", "/newsletter/subscriptions", "application/json",
                ("{\"email\":\"ada@example.com\"," + ok + "}").getBytes(StandardCharsets.UTF_8), 405));
        cases.add(new Case("DELETE not allowed", "DELETE", "/newsletter/subscriptions", null, new byte[0], 405));
        cases.add(new Case("GET on the signup route", "GET", "/newsletter/subscriptions", null, new byte[0], 405));
        cases.add(new Case("unknown path", "POST", "/newsletter/subscriptionz", "application/json",
                ("{\"email\":\"ada@example.com\"," + ok + "}").getBytes(StandardCharsets.UTF_8), 404));
        return cases.stream();
    }

    private static void json(List<Case> cases, String name, String body, int status) {
        cases.add(new Case(name, "POST", "/newsletter/subscriptions", "application/json",
                body.getBytes(StandardCharsets.UTF_8), status));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSignups")
    void answersAProblemAndStoresAndSendsNothing(Case bad) throws Exception {
        var itemsBefore = items();
        int mailsBefore = mailbox.all().size();

        var request = java.net.http.HttpRequest.newBuilder(server.baseUri().resolve(bad.path()))
                .method(bad.method(), HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        if (bad.contentType() != null) {
            request.header("content-type", bad.contentType());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(bad.status(), response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("content-type").orElse(""));
        JsonNode problem = JSON.readTree(response.body());
        assertEquals(bad.status(), problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().length() > 10, "a detail a developer can act on");
        assertEquals(itemsBefore, items(), "nothing stored");
        assertEquals(mailsBefore, mailbox.all().size(), "nothing sent");
    }

    private static String items() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("SubscribersTable")).build())
                .items().toString();
    }
}
