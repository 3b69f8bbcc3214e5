package shop.newsletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import shop.core.json.Json;
import shop.local.stack.CfnTemplate;
import shop.local.stack.LambdaEvents;
import shop.local.stack.LocalAws;
import shop.local.stack.LocalAwsExtension;
import shop.local.stack.Mailbox;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The handler with its real adapters, fed the sample events of {@code events/newsletter/}
 * (the same files {@code sam local invoke -e} takes), against the local stand-ins.
 */
@ExtendWith(LocalAwsExtension.class)
class NewsletterHandlerTest {
    private static NewsletterHandler handler;
    private static SignupQueueHandler worker;
    private static LocalAws aws;
    private static String signupQueue;

    @BeforeAll
    static void startHandler(LocalAws localAws) {
        aws = localAws;
        handler = new NewsletterHandler(aws.functionEnvironment("NewsletterFunction", Map.of()));
        worker = new SignupQueueHandler(aws.functionEnvironment("NewsletterSignupFunction", Map.of()));
        signupQueue = aws.queueUrl(aws.template(), "NewsletterSignupQueue");
        deliverQueuedSignups();
    }

    @Test
    void theSignupIsOnlyQueuedAndTheQueueSampleEventMails(Mailbox mailbox) throws IOException {
        var response = handler.handleRequest(event("subscribe.json"), null);

        assertEquals(202, response.getStatusCode());
        assertEquals(List.of(), mailbox.to("ada@example.com"), "the form's function sends no mail");
        var queued = receive();
        assertEquals(1, queued.size());
        var signup = PendingSignup.parse(queued.get(0).getBody());
        assertEquals("ada@example.com", signup.request().email().value());
        assertEquals("203.0.113.0/24", signup.origin().ipPrefix());

        var batch = worker.handleRequest(sqsEvent("signup-queued.json"), null);

        assertEquals(List.of(), batch.getBatchItemFailures());
        assertEquals(1, mailbox.to("ada@example.com").size());
        assertEquals("PENDING", subscriberStatus("ada@example.com"));
    }

    @Test
    void aMessageThatIsNotASignupIsReportedAsFailedAndTheOthersAreDone(Mailbox mailbox) throws IOException {
        var event = sqsEvent("signup-queued.json");
        var good = event.getRecords().get(0);
        good.setBody(good.getBody().replace("ada@example.com", "katherine@example.com"));
        var bad = new SQSEvent.SQSMessage();
        bad.setMessageId("not-a-signup");
        bad.setBody("{\"email\":\"x@example.com\"}");
        event.setRecords(List.of(bad, good));

        var batch = worker.handleRequest(event, null);

        assertEquals(List.of("not-a-signup"), batch.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(1, mailbox.to("katherine@example.com").size());
    }

    @Test
    void subscribeEventSendsTheConfirmationMailWithLinksOnTheApiDomain(Mailbox mailbox) throws IOException {
        var signup = event("subscribe.json");
        signup.setBody(signup.getBody().replace("ada@example.com", "ida@example.com"));
        var response = signUp(signup);

        assertEquals(202, response.getStatusCode());
        assertEquals("{\"status\":\"pending\"}", response.getBody());
        var mail = mailbox.to("ida@example.com").get(0);
        assertTrue(mail.text().contains("https://abc123defg.execute-api.eu-west-1.amazonaws.com/newsletter/confirm?token="),
                mail.text());
        assertEquals("List-Unsubscribe=One-Click", mail.headers().get("List-Unsubscribe-Post"));
    }

    @Test
    void aSecGpcHeaderIsRecordedInTheConsentProofAsAnOptOutOfOtherMarketingUse(Mailbox mailbox) throws IOException {
        signUp(event("subscribe-gpc.json"));
        var mail = mailbox.to("gpc@example.com").get(0);
        handler.handleRequest(withToken(event("confirm.json"),
                RecordingMailer.tokenFrom(mail.text(), "/newsletter/confirm")), null);

        var consent = aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("SubscribersTable")).build())
                .items().stream()
                .filter(item -> item.containsKey("email") && "gpc@example.com".equals(item.get("email").s()))
                .findFirst().orElseThrow().get("consent").m();
        assertEquals(List.of(AttributeValue.fromS("Sec-GPC")), consent.get("signupOptOutSignals").l());
        assertEquals("CONFIRMED", subscriberStatus("gpc@example.com"), "the newsletter asked for still comes");
    }

    @Test
    void base64BodiesAreDecodedAsApiGatewayMarksThem(Mailbox mailbox) throws IOException {
        var response = signUp(event("subscribe-base64.json"));

        assertEquals(202, response.getStatusCode());
        assertEquals(1, mailbox.to("grace@example.com").size());
    }

    @Test
    void confirmThenUnsubscribeThroughTheSampleEvents(Mailbox mailbox) throws IOException {
        var signup = event("subscribe.json");
        signup.setBody(signup.getBody().replace("ada@example.com", "hedy@example.com"));
        signUp(signup);
        var mail = mailbox.to("hedy@example.com").get(0);
        String confirmToken = RecordingMailer.tokenFrom(mail.text(), "/newsletter/confirm");
        String unsubscribeToken = RecordingMailer.tokenFrom(mail.headers().get("List-Unsubscribe"), "/newsletter/unsubscribe");

        var confirmPage = handler.handleRequest(withToken(event("confirm-page.json"), confirmToken), null);
        assertEquals(200, confirmPage.getStatusCode());
        assertTrue(confirmPage.getBody().contains("<form method=\"post\""));
        assertEquals("PENDING", subscriberStatus("hedy@example.com"), "a GET must not confirm");

        var confirmed = handler.handleRequest(withToken(event("confirm.json"), confirmToken), null);
        assertEquals(200, confirmed.getStatusCode());
        assertTrue(confirmed.getBody().contains("Subscription confirmed"));
        assertEquals("no-store", confirmed.getHeaders().get("cache-control"));

        var page = handler.handleRequest(withToken(event("unsubscribe-page.json"), unsubscribeToken), null);
        assertEquals(200, page.getStatusCode());
        assertTrue(page.getBody().contains("<form method=\"post\""));
        assertEquals("CONFIRMED", subscriberStatus("hedy@example.com"), "a GET must not unsubscribe");

        var unsubscribed = handler.handleRequest(withToken(event("unsubscribe-one-click.json"), unsubscribeToken), null);
        assertEquals(200, unsubscribed.getStatusCode());
        assertEquals(null, subscriberStatus("hedy@example.com"));
    }

    @Test
    void badEventsGetProblemAnswersAndWriteNothing() throws IOException {
        long before = itemCount();
        assertProblem(handler.handleRequest(event("subscribe-without-consent.json"), null), 400, "consent");
        assertProblem(handler.handleRequest(event("subscribe-malformed-json.json"), null), 400, null);
        assertProblem(handler.handleRequest(event("subscribe-form-encoded.json"), null), 415, null);
        assertEquals(before, itemCount());
        assertEquals(List.of(), receive(), "nothing queued");
    }

    @Test
    void aConfirmLinkWithAnUnknownTokenAnswersA404PageAndChangesNothing() throws IOException {
        long before = itemCount();
        var response = handler.handleRequest(event("confirm.json"), null);

        assertEquals(404, response.getStatusCode());
        assertEquals(404, handler.handleRequest(event("confirm-page.json"), null).getStatusCode());
        assertTrue(response.getHeaders().get("content-type").startsWith("text/html"));
        assertTrue(response.getBody().contains("This link is not valid"));
        assertEquals(before, itemCount());
    }

    @Test
    void snapStartPrimingWritesNothingAndSendsNothing(Mailbox mailbox) {
        long items = itemCount();
        int mails = mailbox.all().size();

        handler.prime();
        worker.prime();

        assertEquals(items, itemCount());
        assertEquals(mails, mailbox.all().size());
        assertEquals(List.of(), receive(), "nothing queued");
    }

    /** The form's request, then what Lambda's event source mapping does with what it queued. */
    private static APIGatewayV2HTTPResponse signUp(APIGatewayV2HTTPEvent event) {
        var response = handler.handleRequest(event, null);
        deliverQueuedSignups();
        return response;
    }

    private static void deliverQueuedSignups() {
        for (List<SQSEvent.SQSMessage> batch = receive(); !batch.isEmpty(); batch = receive()) {
            var event = new SQSEvent();
            event.setRecords(batch);
            assertEquals(List.of(), worker.handleRequest(event, null).getBatchItemFailures());
        }
    }

    private static List<SQSEvent.SQSMessage> receive() {
        var messages = aws.sqs().receiveMessage(b -> b.queueUrl(signupQueue).maxNumberOfMessages(10).waitTimeSeconds(0))
                .messages();
        messages.forEach(m -> aws.sqs().deleteMessage(b -> b.queueUrl(signupQueue).receiptHandle(m.receiptHandle())));
        return messages.stream().map(m -> {
            var message = new SQSEvent.SQSMessage();
            message.setMessageId(m.messageId());
            message.setBody(m.body());
            return message;
        }).toList();
    }

    private static SQSEvent sqsEvent(String name) throws IOException {
        Path file = CfnTemplate.repositoryRoot().resolve("events/newsletter").resolve(name);
        return LambdaEvents.parse(Files.readString(file), SQSEvent.class);
    }

    private static void assertProblem(APIGatewayV2HTTPResponse response, int status, String field) throws IOException {
        assertEquals(status, response.getStatusCode(), response.getBody());
        assertEquals("application/problem+json", response.getHeaders().get("content-type"));
        JsonNode problem = Json.mapper().readTree(response.getBody());
        assertEquals(status, problem.get("status").asInt());
        assertFalse(problem.get("detail").asText().isBlank());
        if (field != null) {
            assertEquals(field, problem.get("field").asText());
        }
    }

    private static String subscriberStatus(String email) {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("SubscribersTable")).build()).items()
                .stream()
                .filter(item -> item.containsKey("email") && email.equals(item.get("email").s()))
                .map(item -> item.get("status"))
                .map(AttributeValue::s)
                .findFirst().orElse(null);
    }

    private static long itemCount() {
        return aws.dynamo().scan(ScanRequest.builder().tableName(aws.physicalName("SubscribersTable")).build()).count();
    }

    private static APIGatewayV2HTTPEvent withToken(APIGatewayV2HTTPEvent event, String token) {
        event.setRawQueryString("token=" + token);
        event.setQueryStringParameters(Map.of("token", token));
        return event;
    }

    static APIGatewayV2HTTPEvent event(String name) throws IOException {
        Path file = CfnTemplate.repositoryRoot().resolve("events/newsletter").resolve(name);
        return Json.mapper().readValue(Files.readString(file), APIGatewayV2HTTPEvent.class);
    }
}
