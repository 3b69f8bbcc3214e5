package shop.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

@ExtendWith(LocalAwsExtension.class)
class MailboxTest {

    private final LocalAws aws;
    private final Mailbox mailbox;

    MailboxTest(LocalAws aws, Mailbox mailbox) {
        this.aws = aws;
        this.mailbox = mailbox;
    }

    @BeforeEach
    void emptyMailbox() {
        mailbox.clear();
    }

    @Test
    void readsWhatWasSentThroughSesV2() {
        Instant before = Instant.now();
        send("anna@example.com", "Please confirm your subscription");
        send("ben@example.com", "Something else");

        List<SentMail> toAnna = mailbox.to("Anna@Example.com");
        assertEquals(1, toAnna.size(), "addresses match case-insensitively: " + toAnna);
        SentMail mail = toAnna.get(0);
        assertEquals("shop@localhost.test", mail.from());
        assertEquals(List.of("anna@example.com"), mail.to());
        assertEquals("Please confirm your subscription", mail.subject());
        assertEquals("<p>Hello</p>", mail.html());
        assertEquals("Hello", mail.text());
        assertEquals("<https://shop.example/unsubscribe?t=x>", mail.headers().get("List-Unsubscribe"));
        assertTrue(!mail.at().isBefore(before.minusSeconds(1)) && !mail.at().isAfter(Instant.now()), mail.at().toString());
        assertTrue(!mail.messageId().isBlank());
        assertEquals(2, mailbox.all().size());
        assertEquals(2, mailbox.since(before).size());
        assertEquals(0, mailbox.since(Instant.now().plusSeconds(60)).size());
    }

    @Test
    void clearForgetsEveryMessage() {
        send("anna@example.com", "One");
        mailbox.clear();
        assertEquals(List.of(), mailbox.all());
    }

    @Test
    void webUrlIsAPageAPersonCanOpen() throws Exception {
        URI page = mailbox.webUrl();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("<html"), response.body());
    }

    private void send(String to, String subject) {
        try (SesV2Client ses = SesV2Client.builder().endpointOverride(aws.endpoint(Service.SESV2))
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            ses.sendEmail(b -> b.fromEmailAddress("shop@localhost.test")
                    .destination(d -> d.toAddresses(to))
                    .content(c -> c.simple(m -> m.subject(s -> s.data(subject))
                            .body(body -> body.html(h -> h.data("<p>Hello</p>")).text(t -> t.data("Hello")))
                            .headers(h -> h.name("List-Unsubscribe").value("<https://shop.example/unsubscribe?t=x>")))));
        }
    }
}
