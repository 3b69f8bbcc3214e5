package shop.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.local.stack.LocalAws;
import shop.local.stack.Mailbox;
import shop.local.stack.SentMail;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The newsletter as a storefront and a mail client use it: HTTP to the local API server. */
@ExtendWith(RunningShopExtension.class) // its pollers: the signup mail comes from the signup queue's function
@ShopEnvironment(freshSourceIpLimits = true)
class NewsletterEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static LocalApiServer server;
    @ShopFixture private static LocalAws aws;
    private static Mailbox mailbox;
    @ShopFixture private static LocalFunctions functions;

    @BeforeAll
    static void start(RunningShop running) {
        server = running.server();
        mailbox = aws.mailbox();
    }

    @Test
    void signupConfirmAndOneClickUnsubscribe() throws Exception {
        var signup = subscribe("journey@example.com");
        assertEquals(202, signup.statusCode());
        assertEquals("{\"status\":\"pending\"}", signup.body());

        SentMail mail = onlyMailTo("journey@example.com");
        assertTrue(mail.subject().startsWith("Please confirm your subscription"), mail.subject());
        assertTrue(mail.html().contains("/newsletter/confirm?token="), "HTML part has the link");
        String confirmLink = link(mail.text(), "/newsletter/confirm");
        assertTrue(confirmLink.startsWith(server.baseUri().toString()), confirmLink);
        String unsubscribeLink = mail.headers().get("List-Unsubscribe").replaceAll("[<>]", "");
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));

        var confirmPage = get(confirmLink);
        assertEquals(200, confirmPage.statusCode());
        assertTrue(confirmPage.body().contains("<form method=\"post\""), confirmPage.body());
        assertEquals("PENDING", subscriberItem("journey@example.com").orElseThrow().get("status").s(),
                "a GET on the confirm link (a mail scanner) changes nothing");
        var confirmed = post(confirmLink);
        assertEquals(200, confirmed.statusCode());
        assertTrue(confirmed.body().contains("Subscription confirmed"));
        assertEquals(200, post(confirmLink).statusCode(), "confirming twice is harmless");

        var subscriber = subscriberItem("journey@example.com").orElseThrow();
        assertEquals("CONFIRMED", subscriber.get("status").s());
        assertEquals("newsletter", subscriber.get("audience").s(), "in the campaigns' sparse index (ConfirmedSubscribers)");
        assertFalse(subscriber.containsKey("expiresAt"), "a confirmed subscriber is kept until unsubscribe");
        Map<String, AttributeValue> consent = subscriber.get("consent").m();
        assertEquals("2016-07-01", consent.get("policyVersion").s());
        assertEquals("e2e-test", consent.get("source").s());
        assertEquals("127.0.0.0/24", consent.get("signupIpPrefix").s());
        assertEquals("e2e-browser/1.0", consent.get("signupUserAgent").s());
        assertTrue(consent.get("ageConfirmed").bool());
        assertNotNull(consent.get("givenAt"));
        assertNotNull(consent.get("confirmedAt"));

        var page = get(unsubscribeLink);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<button"));
        assertEquals("CONFIRMED", subscriberItem("journey@example.com").orElseThrow().get("status").s(),
                "a GET on the unsubscribe link changes nothing");

        var oneClick = HTTP.send(HttpRequest.newBuilder(URI.create(unsubscribeLink))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, oneClick.statusCode());
        assertTrue(subscriberItem("journey@example.com").isEmpty(), "the address is gone");
        assertTrue(tableText().contains("SUPPRESSION#"), "a suppression entry (hash only) remains");
        assertFalse(tableText().contains("journey@example.com"), "nothing in the table holds the address any more");
        assertEquals(404, get(confirmLink).statusCode(), "the old confirmation link no longer works");
        assertEquals(404, post(confirmLink).statusCode(), "the old confirmation link no longer works");
    }

    @Test
    void everyStateOfAnAddressGetsTheSameAnswer() throws Exception {
        String address = "states@example.com";
        var fresh = subscribe(address);
        var pending = subscribe(address);
        post(link(mailbox.to(address).get(0).text(), "/newsletter/confirm"));
        var confirmed = subscribe(address);
        String unsubscribe = mailbox.to(address).get(0).headers().get("List-Unsubscribe").replaceAll("[<>]", "");
        HTTP.send(HttpRequest.newBuilder(URI.create(unsubscribe)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        var unsubscribed = subscribe(address);

        for (var response : List.of(pending, confirmed, unsubscribed)) {
            assertEquals(fresh.statusCode(), response.statusCode());
            assertEquals(fresh.body(), response.body());
            assertEquals(comparableHeaders(fresh), comparableHeaders(response));
        }
    }

    @Test
    void atMostThreeConfirmationMailsPerAddressPerDay() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(202, subscribe("limited@example.com").statusCode());
        }
        assertEquals(3, mailbox.to("limited@example.com").size());
    }

    @Test
    void aConfirmLinkWithAForgedTokenAnswersA404Page() throws Exception {
        var response = get(server.baseUri() + "/newsletter/confirm?token=" + "x".repeat(43));
        assertEquals(404, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertEquals("no-store", response.headers().firstValue("cache-control").orElse(""));
        assertEquals("no-referrer", response.headers().firstValue("referrer-policy").orElse(""));
    }

    /**
     * Issue 13, finding 9: the confirmation link was built from the request's Host (the local
     * server's domainName) and X-Forwarded-Proto, so a client could point it elsewhere.
     */
    @Test
    void linksInMailComeFromTheConfiguredUrlNeverFromTheRequestsHeaders() throws Exception {
        String body = "{\"email\":\"steered@example.com\",\"consent\":true,\"ageConfirmed\":true}";
        try (var socket = new java.net.Socket("localhost", server.port())) {
            socket.getOutputStream().write(("POST /newsletter/subscriptions HTTP/1.1\r\n"
                    + "Host: evil.example\r\nX-Forwarded-Proto: javascript\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
        }
        ShopClient.awaitSignupsHandled(aws);
        String confirmLink = link(onlyMailTo("steered@example.com").text(), "/newsletter/confirm");
        assertTrue(confirmLink.startsWith(server.baseUri() + "/newsletter/confirm?token="), confirmLink);
    }

    /** The form's request, then until the signup function has handled what it queued (mail sent or not). */
    private static HttpResponse<String> subscribe(String email) throws Exception {
        String body = JSON.writeValueAsString(Map.of("email", email, "consent", true, "ageConfirmed", true,
                "source", "e2e-test"));
        var response = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("/newsletter/subscriptions"))
                .header("content-type", "application/json")
                .header("user-agent", "e2e-browser/1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        ShopClient.awaitSignupsHandled(aws);
        return response;
    }

    /**
     * Issue 13, finding 3: a mail scanner that opens every link must not confirm a signup someone
     * else typed, and a confirm of a signup requested before a suppression (here a complaint, as
     * SES feedback records it) must not lift it. Before, the GET confirmed and deleted the entry.
     */
    @Test
    void openingTheConfirmLinkConfirmsNothingAndAnOlderSignupNeverLiftsALaterSuppression() throws Exception {
        String address = "scanned@example.com";
        assertEquals(202, subscribe(address).statusCode());
        String confirmLink = link(onlyMailTo(address).text(), "/newsletter/confirm");
        String hash = PrivacyClient.hashOf(address);
        var complaint = Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash),
                "reason", AttributeValue.fromS("complaint"), "since", AttributeValue.fromS(java.time.Instant.now().toString()));
        aws.dynamo().putItem(b -> b.tableName(aws.physicalName("SubscribersTable")).item(complaint));

        var scanned = get(confirmLink);
        assertEquals("PENDING", subscriberItem(address).orElseThrow().get("status").s(), "the scanner's GET confirmed");
        assertEquals(200, scanned.statusCode());

        var pressed = post(confirmLink);
        assertEquals(404, pressed.statusCode(), "the signup predates the complaint: its link no longer confirms");
        assertEquals("PENDING", subscriberItem(address).orElseThrow().get("status").s());
        assertEquals(complaint, suppressionItem(hash).orElseThrow(), "the complaint stands");

        // A signup made after the complaint, confirmed with its button, is a fresh opt-in: it lifts it.
        Thread.sleep(5);
        assertEquals(202, subscribe(address).statusCode());
        List<SentMail> mails = mailbox.to(address);
        assertEquals(2, mails.size());
        String fresh = mails.stream().map(mail -> link(mail.text(), "/newsletter/confirm"))
                .filter(l -> !l.equals(confirmLink)).findFirst().orElseThrow();
        assertEquals(200, post(fresh).statusCode());
        assertEquals("CONFIRMED", subscriberItem(address).orElseThrow().get("status").s());
        assertTrue(suppressionItem(hash).isEmpty());
    }

    /**
     * Issue 13, finding 3, through SES's own feedback: a complaint about a confirmation mail,
     * recorded by the feedback function while an earlier unsubscribe's entry stands, must move
     * the suppression to the complaint's time, so that the link of the signup the person
     * complained about can never lift it (a later signup is needed). Before, the feedback
     * function kept the earlier entry's time, and that link, still stored, confirmed and deleted
     * the suppression once any later signup had made the address pending again.
     */
    @Test
    void aComplaintRecordedByTheFeedbackFunctionIsNeverLiftedByTheSignupItWasAbout() throws Exception {
        String address = "complained@example.com";
        String hash = PrivacyClient.hashOf(address);
        subscribe(address);
        String firstLink = link(onlyMailTo(address).text(), "/newsletter/confirm");
        assertEquals(200, post(firstLink).statusCode());
        assertEquals(200, post(onlyMailTo(address).headers().get("List-Unsubscribe").replaceAll("[<>]", "")).statusCode());
        assertEquals("unsubscribe", suppressionItem(hash).orElseThrow().get("reason").s());

        // Someone signs the address up again; its owner marks that confirmation mail as spam.
        Thread.sleep(5);
        assertEquals(202, subscribe(address).statusCode());
        List<SentMail> mails = mailbox.to(address);
        assertEquals(2, mails.size());
        SentMail complainedAbout = mails.stream()
                .filter(m -> !link(m.text(), "/newsletter/confirm").equals(firstLink)).findFirst().orElseThrow();
        String olderLink = link(complainedAbout.text(), "/newsletter/confirm");
        Thread.sleep(5);
        complain(complainedAbout);

        // A later signup makes the address pending again; the link complained about must not lift the complaint.
        Thread.sleep(5);
        assertEquals(202, subscribe(address).statusCode());
        assertEquals(3, mailbox.to(address).size());
        assertEquals(404, post(olderLink).statusCode(), "the signup complained about predates the complaint");
        assertEquals("PENDING", subscriberItem(address).orElseThrow().get("status").s());
        var suppression = suppressionItem(hash).orElseThrow();
        assertEquals("complaint", suppression.get("reason").s(), "the complaint stands: " + suppression);
    }

    /** SES's complaint event for {@code mail}, as EventBridge hands it to the feedback function, at this moment. */
    private static void complain(SentMail mail) throws Exception {
        var event = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(java.nio.file.Files.readString(
                java.nio.file.Path.of(System.getProperty("user.dir")).resolve("../../events/campaigns/ses-complaint.json")
                        .normalize()));
        var detail = (com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail");
        var sesMail = (com.fasterxml.jackson.databind.node.ObjectNode) detail.get("mail");
        String now = java.time.Instant.now().toString();
        sesMail.put("messageId", mail.messageId()).put("timestamp", now);
        sesMail.putArray("destination").add(mail.to().get(0));
        ((com.fasterxml.jackson.databind.node.ObjectNode) sesMail.get("tags")).remove("campaign");
        var complaint = (com.fasterxml.jackson.databind.node.ObjectNode) detail.get("complaint");
        complaint.put("timestamp", now);
        ((com.fasterxml.jackson.databind.node.ObjectNode) complaint.get("complainedRecipients").get(0))
                .put("emailAddress", mail.to().get(0));
        functions.invoke("SesFeedbackFunction", JSON.convertValue(event, Map.class));
    }

    @Test
    void anUnsubscribeIsRecordedWithItsReasonAndTime() throws Exception {
        String address = "reasoned@example.com";
        subscribe(address);
        post(link(onlyMailTo(address).text(), "/newsletter/confirm"));
        String unsubscribe = onlyMailTo(address).headers().get("List-Unsubscribe").replaceAll("[<>]", "");
        post(unsubscribe);
        var suppression = suppressionItem(PrivacyClient.hashOf(address)).orElseThrow();
        assertEquals("unsubscribe", suppression.get("reason").s());
        assertTrue(java.time.Instant.parse(suppression.get("since").s()).isAfter(java.time.Instant.now().minusSeconds(60)));
    }

    private static Optional<Map<String, AttributeValue>> suppressionItem(String hash) {
        return Optional.ofNullable(aws.dynamo().getItem(b -> b.tableName(aws.physicalName("SubscribersTable"))
                .key(Map.of("pk", AttributeValue.fromS("SUPPRESSION#" + hash)))).item()).filter(item -> !item.isEmpty());
    }

    private static HttpResponse<String> post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SentMail onlyMailTo(String address) {
        List<SentMail> mails = mailbox.to(address);
        assertEquals(1, mails.size(), "mails to " + address);
        return mails.get(0);
    }

    private static String link(String text, String path) {
        Matcher m = Pattern.compile("(https?://\\S+" + Pattern.quote(path) + "\\?token=[A-Za-z0-9_-]+)").matcher(text);
        assertTrue(m.find(), "no " + path + " link in " + text);
        return m.group(1);
    }

    private static Map<String, List<String>> comparableHeaders(HttpResponse<?> response) {
        return response.headers().map().entrySet().stream()
                .filter(e -> !Set.of("date", "content-length", "x-request-id").contains(e.getKey().toLowerCase()))
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(), Map.Entry::getValue));
    }

    private static Optional<Map<String, AttributeValue>> subscriberItem(String email) {
        return scan().stream()
                .filter(item -> item.containsKey("email") && email.equals(item.get("email").s()))
                .findFirst();
    }

    private static List<Map<String, AttributeValue>> scan() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("SubscribersTable")).build()).items();
    }

    private static String tableText() {
        return scan().toString();
    }
}
