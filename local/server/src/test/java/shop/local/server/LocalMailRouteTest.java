package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import shop.local.stack.Service;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

@ExtendWith(LocalAwsExtension.class)
class LocalMailRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalApiServer server;

    @BeforeAll
    static void start(LocalAws aws) {
        server = LocalApiServer.start(new LocalFunctions(aws, LocalApiServerTest.apiFixture(), Map.of()), 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void showsTheMailSentThroughSes(LocalAws aws, Mailbox mailbox) throws Exception {
        mailbox.clear();
        try (SesV2Client ses = SesV2Client.builder().endpointOverride(aws.endpoint(Service.SESV2))
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            ses.sendEmail(b -> b.fromEmailAddress("shop@localhost.test")
                    .destination(d -> d.toAddresses("customer@example.com"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Your order"))
                            .body(body -> body.text(t -> t.data("Thank you"))))));
        }

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/_local/mail")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("application/json"), response.headers().firstValue("content-type"));
        JsonNode emails = JSON.readTree(response.body()).path("emails");
        assertEquals(1, emails.size(), response.body());
        assertEquals("Your order", emails.get(0).path("subject").asText());
        assertEquals("customer@example.com", emails.get(0).path("to").get(0).asText());
        assertEquals("Thank you", emails.get(0).path("text").asText());

        HttpResponse<String> cleared = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/_local/mail")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, cleared.statusCode());
        assertEquals(0, mailbox.all().size());
    }
}
